/**
 * DEFLATE decoding with fflate, stopped as soon as the output passes a cap: a few kilobytes of deflate
 * expand to gigabytes, so no declared size is trusted for allocation. Synchronous and pure JavaScript:
 * for the small streams verifiers read it is many times faster than a DecompressionStream, whose setup
 * alone costs more than the work. Callers turn the outcome into their own errors.
 */
import { Inflate, inflateSync } from 'fflate';
import { concatBytes } from './bytes.js';

/** Fed a slice at a time, so an over-long output is noticed after at most one slice's expansion. */
const INPUT_SLICE = 4 * 1024;

export type InflateResult = { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly reason: 'too-large' | 'malformed'; readonly message: string };

/**
 * DEFLATE expands at most 1032:1 (a 258-byte match coded in two bits), so an input this many times
 * smaller than the cap cannot pass it: it is inflated in one call, without the streaming machinery.
 */
const MAX_DEFLATE_RATIO = 1032;

/**
 * The DEFLATE data inside a zlib stream (RFC 1950): the header checked as the streaming reader checks it,
 * and the Adler-32 trailer left to be ignored, as it is there (some PDF writers leave it out).
 */
function withoutZlibHeader(input: Uint8Array): Uint8Array {
  if (input.length < 2) throw new Error('invalid zlib data');
  const [cmf, flg] = [input[0]!, input[1]!];
  if ((cmf & 15) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw new Error('invalid zlib data');
  if (flg & 32) throw new Error('invalid zlib data: preset dictionaries not supported');
  return input.subarray(2);
}

/**
 * Left to size its output itself, fflate grows it to 128 KiB past what it has written at every block:
 * an allocation and copy that cost more than inflating a small stream (a license's JSON, a page). Given
 * a buffer, it never grows it and drops what would run past its end. So a stream is first inflated into
 * a buffer of a generous guess; output shorter than the buffer is complete, while output that fills it
 * may have been cut short (or, in a stored block, made fflate throw), and is inflated again the growing way.
 */
const GUESSED_RATIO = 8;
const SMALLEST_GUESS = 16 * 1024;

function inflateWhole(body: Uint8Array, maxOutput: number): Uint8Array {
  const room = Math.min(maxOutput + 1, Math.max(body.length * GUESSED_RATIO, SMALLEST_GUESS));
  try {
    const data = inflateSync(body, { out: new Uint8Array(room) });
    // A small result is copied out so the roomy buffer is not kept alive behind it.
    if (data.length < room) return data.length * 2 < room ? data.slice() : data;
  } catch {
    // Decided below: a malformed stream fails there too.
  }
  return inflateSync(body);
}

/** `zlib` is FlateDecode (RFC 1950 framing, as PDF streams use); `raw` is bare DEFLATE (zip method 8). */
export function inflateBounded(input: Uint8Array, maxOutput: number, format: 'zlib' | 'raw'): InflateResult {
  const malformed = (error: unknown): InflateResult => ({ ok: false, reason: 'malformed', message: error instanceof Error ? error.message : String(error) });
  let body: Uint8Array;
  try {
    body = format === 'zlib' ? withoutZlibHeader(input) : input;
  } catch (error) {
    return malformed(error);
  }
  if (body.length > 0 && body.length * MAX_DEFLATE_RATIO <= maxOutput) {
    try {
      return { ok: true, data: inflateWhole(body, maxOutput) };
    } catch (error) {
      return malformed(error);
    }
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  const inflater = new Inflate((chunk: Uint8Array) => {
    total += chunk.length;
    if (total > maxOutput) overflow = true;
    else chunks.push(chunk);
  });
  try {
    for (let at = 0; at < body.length && !overflow; at += INPUT_SLICE) {
      inflater.push(body.subarray(at, at + INPUT_SLICE), at + INPUT_SLICE >= body.length);
    }
    if (body.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    return malformed(error);
  }
  if (overflow) return { ok: false, reason: 'too-large', message: `inflates to more than ${maxOutput} bytes` };
  return { ok: true, data: chunks.length === 1 ? chunks[0]! : concatBytes(...chunks) };
}
