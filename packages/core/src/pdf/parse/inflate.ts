/**
 * zlib inflate (FlateDecode) with fflate, stopping as soon as the output passes a cap: a few kilobytes of
 * deflate can expand to gigabytes. Synchronous and pure JavaScript: for the small streams a PDF verifier
 * reads (an embedded license, DSS entries, object streams) it is many times faster than a
 * DecompressionStream, whose setup alone costs more than the work.
 */
import { Unzlib } from 'fflate';
import { concatBytes } from '../../bytes.js';
import { PdfError, malformed } from './errors.js';

/** Fed to the inflater a slice at a time, so an over-long output is caught after at most one slice. */
const INPUT_SLICE = 4 * 1024;

export async function inflateBounded(input: Uint8Array, maxOutput: number, offset: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  const inflater = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > maxOutput) overflow = true;
    else chunks.push(chunk);
  });
  try {
    for (let at = 0; at < input.length && !overflow; at += INPUT_SLICE) {
      inflater.push(input.subarray(at, at + INPUT_SLICE), at + INPUT_SLICE >= input.length);
    }
    if (input.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    throw malformed(`FlateDecode failed: ${error instanceof Error ? error.message : String(error)}`, offset);
  }
  if (overflow) throw new PdfError('PDF_LIMIT_EXCEEDED', `stream decodes to more than ${maxOutput} bytes`, offset);
  return chunks.length === 1 ? chunks[0]! : concatBytes(...chunks);
}
