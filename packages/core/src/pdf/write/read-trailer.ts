/**
 * Reads what an incremental update must carry over from the file's last cross-reference section: where
 * it is, its kind, and the trailer entries. Only the tail and that one section are parsed.
 */
import { PDFContext, PDFDict, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';
import { ascii, indexOf, lastIndexOf } from './pdf-bytes.js';
import { invalidPdf } from './invalid-pdf.js';

export type XrefKind = 'table' | 'stream';

export interface PdfTrailer {
  /** Offset of the last cross-reference section, the value of the file's final `startxref`. */
  readonly startxref: number;
  /** A classic `xref` table or a cross-reference stream; an update uses the same kind. */
  readonly xrefKind: XrefKind;
  /** The trailer's /Size: one more than the highest object number the file declares. */
  readonly size: number;
  readonly root: PDFRef;
  readonly info?: PDFObject;
  readonly id?: PDFObject;
  readonly encrypt?: PDFObject;
}

/** ISO 32000 puts startxref within the last 1024 bytes; twice that tolerates trailing junk. */
const TAIL_SEARCH = 2048;
/** Annex C of ISO 32000-1: the largest object number readers must support. */
export const MAX_OBJECT_NUMBER = 8_388_607;

const STARTXREF = ascii('startxref');
const XREF = ascii('xref');
const TRAILER = ascii('trailer');

export function readPdfTrailer(pdf: Uint8Array, context: PDFContext = PDFContext.create()): PdfTrailer {
  const startxrefAt = lastIndexOf(pdf, STARTXREF, Math.max(0, pdf.length - TAIL_SEARCH), pdf.length);
  if (startxrefAt < 0) throw invalidPdf('no startxref near the end of the file');
  const startxref = readOffset(pdf, startxrefAt + STARTXREF.length);
  if (startxref >= startxrefAt) throw invalidPdf('startxref points past itself');

  const sectionAt = skipWhitespace(pdf, startxref);
  if (indexOf(pdf, XREF, sectionAt, sectionAt + XREF.length) === sectionAt) {
    const trailerAt = indexOf(pdf, TRAILER, sectionAt, startxrefAt);
    if (trailerAt < 0) throw invalidPdf('cross-reference table without a trailer');
    const dict = parseObjectAt(pdf, trailerAt + TRAILER.length, startxrefAt, context);
    if (!(dict instanceof PDFDict)) throw invalidPdf('trailer is not a dictionary');
    return trailerFrom(dict, startxref, 'table');
  }
  const stream = parseIndirectObjectAt(pdf, sectionAt, startxrefAt, context);
  if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) {
    throw invalidPdf('startxref points at neither a cross-reference table nor a cross-reference stream');
  }
  return trailerFrom(stream.dict, startxref, 'stream');
}

function trailerFrom(dict: PDFDict, startxref: number, xrefKind: XrefKind): PdfTrailer {
  const size = dict.get(PDFName.of('Size'));
  const root = dict.get(PDFName.of('Root'));
  if (!(size instanceof PDFNumber) || !Number.isInteger(size.asNumber()) || size.asNumber() < 1 || size.asNumber() > MAX_OBJECT_NUMBER + 1) {
    throw invalidPdf('trailer /Size is missing or out of range');
  }
  if (!(root instanceof PDFRef)) throw invalidPdf('trailer /Root is not an indirect reference');
  const info = dict.get(PDFName.of('Info'));
  const id = dict.get(PDFName.of('ID'));
  const encrypt = dict.get(PDFName.of('Encrypt'));
  return {
    startxref,
    xrefKind,
    size: size.asNumber(),
    root,
    ...(info === undefined ? {} : { info }),
    ...(id === undefined ? {} : { id }),
    ...(encrypt === undefined ? {} : { encrypt }),
  };
}

function readOffset(pdf: Uint8Array, from: number): number {
  let i = skipWhitespace(pdf, from);
  const start = i;
  let value = 0;
  while (i < pdf.length && i - start < 12 && pdf[i]! >= 0x30 && pdf[i]! <= 0x39) value = value * 10 + pdf[i++]! - 0x30;
  if (i === start) throw invalidPdf('startxref is not followed by an offset');
  return value;
}

function skipWhitespace(pdf: Uint8Array, from: number): number {
  let i = from;
  while (i < pdf.length && (pdf[i] === 0x20 || pdf[i] === 0x0a || pdf[i] === 0x0d || pdf[i] === 0x09 || pdf[i] === 0x0c || pdf[i] === 0x00)) i++;
  return i;
}

function parseObjectAt(pdf: Uint8Array, from: number, to: number, context: PDFContext): PDFObject {
  try {
    return PDFObjectParser.forBytes(pdf.subarray(from, to), context).parseObject();
  } catch (cause) {
    throw invalidPdf('unparseable trailer', cause);
  }
}

/** Parses `n g obj <value>` and returns the value. */
function parseIndirectObjectAt(pdf: Uint8Array, from: number, to: number, context: PDFContext): PDFObject {
  const header = /^(\d{1,10})\s+(\d{1,5})\s+obj\b/.exec(latin1(pdf.subarray(from, Math.min(to, from + 32))));
  if (header === null) throw invalidPdf('startxref points at neither a cross-reference table nor an object');
  return parseObjectAt(pdf, from + header[0].length, to, context);
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}
