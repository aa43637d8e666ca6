import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64, base64url, byteKey, fromBase64, fromBase64url, fromHex, fromUtf8, toHex, utf8 } from './bytes.js';
import { isElicenseError } from './errors.js';

test('base64 and base64url agree with Node for every length', () => {
  for (let n = 0; n < 70; n++) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
    assert.equal(base64(bytes), Buffer.from(bytes).toString('base64'));
    assert.equal(base64url(bytes), Buffer.from(bytes).toString('base64url'));
    assert.deepEqual(fromBase64url(base64url(bytes)), bytes);
    assert.deepEqual(fromBase64(base64(bytes)), bytes);
  }
});

test('refuses malformed and non-canonical base64url', () => {
  for (const bad of ['a', 'ab=', 'a+b', 'AB', 'A=']) {
    assert.throws(() => fromBase64url(bad), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'), bad);
  }
  assert.deepEqual(fromBase64url('AA'), new Uint8Array([0]));
});

test('hex and strict UTF-8', () => {
  assert.equal(toHex(fromHex('00ff10')), '00ff10');
  assert.throws(() => fromHex('0g'), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
  assert.equal(fromUtf8(utf8('电子证照')), '电子证照');
  assert.throws(() => fromUtf8(new Uint8Array([0xff, 0xfe])), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
});

test('byteKey: one character per byte, equal keys exactly for equal bytes', () => {
  const single = Array.from({ length: 256 }, (_, b) => byteKey(Uint8Array.of(b)));
  assert.equal(new Set(single).size, 256, 'every byte value has its own character');
  assert.ok(single.every((key) => key.length === 1));
  const bytes = new Uint8Array(5000).map((_, i) => (i * 131) & 0xff);
  const copy = new Uint8Array(new ArrayBuffer(6000), 1000).subarray(0, 5000);
  copy.set(bytes);
  assert.equal(byteKey(copy), byteKey(bytes), 'the same bytes in another buffer');
  for (const at of [0, 129, 4999]) {
    const changed = bytes.slice();
    changed[at] = changed[at]! ^ 0x01;
    assert.notEqual(byteKey(changed), byteKey(bytes), `a change at ${at}`);
  }
});
