import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, zlibSync } from 'fflate';
import { inflateBounded } from './inflate.js';

const text = new TextEncoder().encode('电子证照 BT /F1 12 Tf (license) Tj ET\n'.repeat(500));

test('small inputs (one call) and large ones (streamed) inflate to the same bytes, zlib and raw', () => {
  const noise = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 24);
  for (const data of [text, noise]) {
    for (const [format, packed] of [['zlib', zlibSync(data)], ['raw', deflateSync(data)]] as const) {
      // A cap under 1032 × the input forces the streamed path; a large one allows the single call.
      const streamed = inflateBounded(packed, packed.length * 1032 - 1, format);
      const single = inflateBounded(packed, packed.length * 1032, format);
      assert.ok(streamed.ok && single.ok);
      assert.deepEqual(streamed.data, data);
      assert.deepEqual(single.data, data);
    }
  }
});

test('output larger than the first guess at its size is inflated whole, whatever block type overflows it', () => {
  const noise = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 2654435761) >>> 24);
  const zeros = new Uint8Array(400_000);
  // Zeros alone expand far past eight times their deflate; zeros then incompressible noise end in stored
  // blocks that start past the guessed room.
  for (const data of [zeros, Uint8Array.from([...zeros, ...noise]), Uint8Array.from([...noise, ...zeros])]) {
    for (const level of [0, 6] as const) {
      const result = inflateBounded(zlibSync(data, { level }), 1 << 26, 'zlib');
      assert.ok(result.ok, `level ${level}`);
      assert.equal(result.data.length, data.length);
      assert.deepEqual(result.data, data);
    }
  }
});

test('a zlib stream without its Adler-32 trailer is read, as PDF readers do; a broken one is malformed', () => {
  const packed = zlibSync(text);
  // A roomy cap takes the single call; a cap of exactly the output, the streamed path.
  for (const cap of [1 << 26, text.length]) {
    const result = inflateBounded(packed.subarray(0, packed.length - 4), cap, 'zlib');
    assert.ok(result.ok && result.data.length === text.length, `cap ${cap}`);
    const truncated = inflateBounded(packed.subarray(0, packed.length >> 1), cap, 'zlib');
    assert.ok(!truncated.ok && truncated.reason === 'malformed', `cap ${cap}`);
    const header = inflateBounded(Uint8Array.of(0x78, 0x00, ...packed.subarray(2)), cap, 'zlib');
    assert.ok(!header.ok && header.reason === 'malformed', `cap ${cap}`);
  }
});

test('output past the cap is refused before it is all made', () => {
  const bomb = zlibSync(new Uint8Array(50_000_000));
  const result = inflateBounded(bomb, 1_000_000, 'zlib');
  assert.ok(!result.ok && result.reason === 'too-large');
});
