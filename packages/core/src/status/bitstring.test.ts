import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { isElicenseError } from '../errors.js';
import { createStatusBitstring, decodeStatusBitstring, encodeStatusBitstring, getStatusBit, MIN_STATUS_LIST_BITS, setStatusBit } from './bitstring.js';

test('bits round-trip through the GZIP/multibase encoding, most significant bit first', async () => {
  const bits = createStatusBitstring();
  assert.equal(bits.length * 8, MIN_STATUS_LIST_BITS);
  for (const index of [0, 7, 8, 1001, MIN_STATUS_LIST_BITS - 1]) setStatusBit(bits, index, true);
  assert.equal(bits[0], 0x81);
  const decoded = await decodeStatusBitstring(await encodeStatusBitstring(bits));
  assert.deepEqual(decoded, bits);
  assert.equal(getStatusBit(decoded, 1001), true);
  assert.equal(getStatusBit(decoded, 1002), false);
  assert.equal(getStatusBit(decoded, MIN_STATUS_LIST_BITS), undefined);
  setStatusBit(bits, 1001, false);
  assert.equal(getStatusBit(bits, 1001), false);
});

test('a GZIP bomb is refused instead of inflated', async () => {
  const bomb = gzipSync(Buffer.alloc(64 << 20));
  const encoded = `u${bomb.toString('base64url')}`;
  await assert.rejects(decodeStatusBitstring(encoded), (e) => isElicenseError(e, 'ERR_STATUS_LIST_INVALID'));
});

test('garbage is a clear error', async () => {
  await assert.rejects(decodeStatusBitstring('zabc'), (e) => isElicenseError(e, 'ERR_STATUS_LIST_INVALID'));
  await assert.rejects(decodeStatusBitstring('uAAAA'), (e) => isElicenseError(e, 'ERR_STATUS_LIST_INVALID'));
});
