/** FlateDecode for the PDF parser: bounded zlib inflate, failures as PdfErrors at the stream's offset. */
import { inflateBounded as inflate } from '../../inflate.js';
import { PdfError, malformed } from './errors.js';

export async function inflateBounded(input: Uint8Array, maxOutput: number, offset: number): Promise<Uint8Array> {
  const result = inflate(input, maxOutput, 'zlib');
  if (result.ok) return result.data;
  if (result.reason === 'too-large') throw new PdfError('PDF_LIMIT_EXCEEDED', `stream decodes to more than ${maxOutput} bytes`, offset);
  throw malformed(`FlateDecode failed: ${result.message}`, offset);
}
