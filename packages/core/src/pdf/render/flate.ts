/**
 * FlateDecode through the platform's CompressionStream and DecompressionStream (native zlib in Node and
 * browsers): several times faster than pdf-lib's JavaScript deflate, which dominated the time to render a
 * page, and inflation that can stop at a size limit.
 */
import { PDFRawStream, type PDFContext, type PDFDict } from 'pdf-lib';
import { bufferSource, concatBytes } from '../../bytes.js';
import { ElicenseError } from '../../errors.js';

export function deflate(data: Uint8Array): Promise<Uint8Array> {
  return readAll(single(data).pipeThrough(new CompressionStream('deflate')).getReader(), Number.POSITIVE_INFINITY);
}

/** zlib inflation that stops as soon as the output passes `limit` (ERR_INPUT_TOO_LARGE), so a bomb costs nothing. */
export function inflateBounded(data: Uint8Array, limit: number): Promise<Uint8Array> {
  return readAll(single(data).pipeThrough(new DecompressionStream('deflate')).getReader(), limit);
}

/** A stream object holding already-deflated bytes, with the dictionary entries given. */
export function flateStream(context: PDFContext, deflated: Uint8Array, dict: Record<string, unknown> = {}): PDFRawStream {
  const entries = context.obj({ ...dict, Filter: 'FlateDecode' } as Parameters<PDFContext['obj']>[0]) as unknown as PDFDict;
  return PDFRawStream.of(entries, deflated);
}

function single(data: Uint8Array): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bufferSource(data));
      controller.close();
    },
  });
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(...chunks);
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new ElicenseError('ERR_INPUT_TOO_LARGE', `the stream inflates past ${limit} bytes`, { field: 'pdf' });
    }
    chunks.push(value);
  }
}
