/**
 * DEFLATE decoding with fflate, stopped as soon as the output passes a cap: a few kilobytes of deflate
 * expand to gigabytes, so no declared size is trusted for allocation. Synchronous and pure JavaScript:
 * for the small streams verifiers read it is many times faster than a DecompressionStream, whose setup
 * alone costs more than the work. Callers turn the outcome into their own errors.
 */
import { Inflate, Unzlib } from 'fflate';
import { concatBytes } from './bytes.js';

/** Fed a slice at a time, so an over-long output is noticed after at most one slice's expansion. */
const INPUT_SLICE = 4 * 1024;

export type InflateResult = { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly reason: 'too-large' | 'malformed'; readonly message: string };

/** `zlib` is FlateDecode (RFC 1950 framing, as PDF streams use); `raw` is bare DEFLATE (zip method 8). */
export function inflateBounded(input: Uint8Array, maxOutput: number, format: 'zlib' | 'raw'): InflateResult {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  const onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > maxOutput) overflow = true;
    else chunks.push(chunk);
  };
  const inflater = format === 'zlib' ? new Unzlib(onData) : new Inflate(onData);
  try {
    for (let at = 0; at < input.length && !overflow; at += INPUT_SLICE) {
      inflater.push(input.subarray(at, at + INPUT_SLICE), at + INPUT_SLICE >= input.length);
    }
    if (input.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    return { ok: false, reason: 'malformed', message: error instanceof Error ? error.message : String(error) };
  }
  if (overflow) return { ok: false, reason: 'too-large', message: `inflates to more than ${maxOutput} bytes` };
  return { ok: true, data: chunks.length === 1 ? chunks[0]! : concatBytes(...chunks) };
}
