/**
 * FlateDecode compression through the platform's CompressionStream (native zlib in Node and browsers):
 * several times faster than pdf-lib's JavaScript deflate, which dominated the time to render a page.
 * (Reading goes through pdf/parse, whose inflation is bounded.)
 */
import { PDFRawStream, type PDFContext, type PDFDict } from 'pdf-lib';
import { bufferSource, concatBytes } from '../../bytes.js';

export function deflate(data: Uint8Array): Promise<Uint8Array> {
  return readAll(single(data).pipeThrough(new CompressionStream('deflate')).getReader());
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

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(...chunks);
    chunks.push(value);
  }
}
