/**
 * Appends an incremental update (ISO 32000-2 7.5.6): the original bytes stay untouched, followed by the
 * new and changed objects and a cross-reference section of the file's own kind whose /Prev points at
 * the previous one. This is the only way this codebase changes a PDF that may already carry signatures.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { PDFArray, PDFContext, PDFHexString, PDFNumber, type PDFObject, type PDFRef } from 'pdf-lib';
import { concatBytes, toHex, utf8 } from '../../bytes.js';
import { ElicenseError } from '../../errors.js';
import { invalidPdf } from './invalid-pdf.js';
import { ascii, objectBytes } from './pdf-bytes.js';
import { MAX_OBJECT_NUMBER, readPdfTrailer, type PdfTrailer } from './read-trailer.js';
import { trailerDict, xrefStream, xrefTable, type XrefEntry } from './xref-section.js';

/** One object of the update: a pdf-lib value, or the bytes of a value already serialized. */
export type UpdateObject = { readonly ref: PDFRef; readonly object: PDFObject } | { readonly ref: PDFRef; readonly bytes: Uint8Array };

export interface IncrementalUpdate {
  /** New objects (numbered from the trailer's /Size on) and changed ones (their number and generation). */
  readonly objects: readonly UpdateObject[];
  /** Trailer entries to add or replace, e.g. a new /ID. /Size and /Prev belong to the writer. */
  readonly trailer?: Readonly<Record<string, PDFObject>>;
}

export interface WrittenUpdate {
  /** The original bytes followed by the update. */
  readonly bytes: Uint8Array;
  /** Where each written object's value starts (just after `n g obj\n`), by object number. */
  readonly valueOffsets: ReadonlyMap<number, number>;
}

const WRITER_OWNED_TRAILER_KEYS = new Set(['Size', 'Prev', 'XRefStm', 'Type', 'W', 'Index', 'Length', 'Filter', 'DecodeParms']);

export function appendIncrementalUpdate(pdf: Uint8Array, update: IncrementalUpdate): Uint8Array {
  return writeIncrementalUpdate(pdf, readPdfTrailer(pdf), update).bytes;
}

/**
 * As appendIncrementalUpdate, for callers that have read the trailer already and need object positions.
 * `sizeFloor` lifts /Size past object numbers the file uses beyond what its trailer declares.
 */
export function writeIncrementalUpdate(pdf: Uint8Array, trailer: PdfTrailer, update: IncrementalUpdate, sizeFloor = trailer.size): WrittenUpdate {
  if (trailer.encrypt !== undefined) throw invalidPdf('encrypted PDFs cannot be updated here');
  if (update.objects.length === 0) throw new ElicenseError('ERR_INVALID_INPUT', 'an update needs at least one object', { field: 'objects' });

  const seen = new Set<number>();
  let size = Math.max(trailer.size, sizeFloor);
  for (const { ref } of update.objects) {
    const { objectNumber, generationNumber } = ref;
    if (!Number.isInteger(objectNumber) || objectNumber < 1 || objectNumber > MAX_OBJECT_NUMBER) {
      throw new ElicenseError('ERR_INVALID_INPUT', `object number ${objectNumber} is out of range`, { field: 'objects' });
    }
    if (!Number.isInteger(generationNumber) || generationNumber < 0 || generationNumber > 65_535) {
      throw new ElicenseError('ERR_INVALID_INPUT', `generation ${generationNumber} is out of range`, { field: 'objects' });
    }
    if (seen.has(objectNumber)) throw new ElicenseError('ERR_INVALID_INPUT', `object ${objectNumber} is written twice`, { field: 'objects' });
    seen.add(objectNumber);
    size = Math.max(size, objectNumber + 1);
  }

  const needsEol = pdf.length > 0 && pdf[pdf.length - 1] !== 0x0a && pdf[pdf.length - 1] !== 0x0d;
  const parts: Uint8Array[] = needsEol ? [ascii('\n')] : [];
  let offset = pdf.length + (needsEol ? 1 : 0);
  const entries: XrefEntry[] = [];
  const valueOffsets = new Map<number, number>();
  for (const item of update.objects) {
    const header = ascii(`${item.ref.objectNumber} ${item.ref.generationNumber} obj\n`);
    const value = 'bytes' in item ? item.bytes : objectBytes(item.object);
    const footer = ascii('\nendobj\n');
    entries.push({ objectNumber: item.ref.objectNumber, generation: item.ref.generationNumber, offset });
    valueOffsets.set(item.ref.objectNumber, offset + header.length);
    parts.push(header, value, footer);
    offset += header.length + value.length + footer.length;
  }

  const trailerEntries = new Map<string, PDFObject>([['Root', trailer.root]]);
  if (trailer.info !== undefined) trailerEntries.set('Info', trailer.info);
  trailerEntries.set('ID', trailer.id ?? newDocumentId(pdf));
  for (const [key, value] of Object.entries(update.trailer ?? {})) {
    if (WRITER_OWNED_TRAILER_KEYS.has(key)) {
      throw new ElicenseError('ERR_INVALID_INPUT', `trailer /${key} is written by the update writer`, { field: 'trailer' });
    }
    trailerEntries.set(key, value);
  }
  trailerEntries.set('Prev', PDFNumber.of(trailer.startxref));

  if (trailer.xrefKind === 'table') {
    parts.push(xrefTable(entries, trailerDict(trailerEntries, size), offset));
  } else {
    parts.push(xrefStream(entries, trailerDict(trailerEntries, size + 1), size, offset));
  }

  return { bytes: concatBytes(pdf, ...parts), valueOffsets };
}

/**
 * PDF 2.0 requires /ID and signature validators expect it; a file without one gets one here, derived
 * from its length and tail so the same input always yields the same output.
 */
function newDocumentId(pdf: Uint8Array): PDFObject {
  const digest = sha256(concatBytes(utf8(String(pdf.length)), pdf.subarray(Math.max(0, pdf.length - 4096))));
  const half = PDFHexString.of(toHex(digest.subarray(0, 16)));
  const id = PDFArray.withContext(PDFContext.create());
  id.push(half);
  id.push(half);
  return id;
}
