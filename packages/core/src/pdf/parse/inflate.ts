/**
 * zlib inflate through the platform's DecompressionStream (Node 20 and browsers), stopping as soon as
 * the output passes a cap: a few kilobytes of deflate can expand to gigabytes.
 */
import { bufferSource, concatBytes } from '../../bytes.js';
import { PdfError, malformed } from './errors.js';

export async function inflateBounded(input: Uint8Array, maxOutput: number, offset: number): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  // Write and close errors surface on the reader as well; these catches only keep them from being unhandled.
  writer.write(bufferSource(input)).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxOutput) {
        await reader.cancel().catch(() => undefined);
        throw new PdfError('PDF_LIMIT_EXCEEDED', `stream decodes to more than ${maxOutput} bytes`, offset);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof PdfError) throw error;
    throw malformed(`FlateDecode failed: ${error instanceof Error ? error.message : String(error)}`, offset);
  }
  return chunks.length === 1 ? chunks[0]! : concatBytes(...chunks);
}
