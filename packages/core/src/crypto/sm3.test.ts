import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { toHex, utf8 } from '../bytes.js';
import { sm3 } from './sm3.js';

function opensslSm3(data: Uint8Array): string {
  const out = execFileSync('openssl', ['dgst', '-sm3', '-r'], { input: data }).toString();
  return out.split(' ')[0]!;
}

test('SM3 standard vectors (GB/T 32905 appendix A)', () => {
  assert.equal(toHex(sm3(utf8('abc'))), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(
    toHex(sm3(utf8('abcd'.repeat(16)))),
    'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
  );
});

test('SM3 matches openssl dgst -sm3 around every padding boundary', () => {
  for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_000]) {
    const data = new Uint8Array(randomBytes(length));
    assert.equal(toHex(sm3(data)), opensslSm3(data), `length ${length}`);
  }
});

test('SM3 reads a subarray view, not its whole buffer', () => {
  const backing = new Uint8Array(randomBytes(200));
  const view = backing.subarray(17, 117);
  assert.equal(toHex(sm3(view)), opensslSm3(view.slice()));
});
