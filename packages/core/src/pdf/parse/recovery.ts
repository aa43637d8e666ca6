/**
 * Reading a file whose cross-reference data is unusable, by scanning for `n g obj`: the last
 * definition of each number wins and the whole file becomes one revision. Only for reading damaged
 * files; a document read this way says so (`recovered`), and signature verification refuses it.
 */
import { ascii, indexOfBytes, lastIndexOfBytes } from './byte-search.js';
import { malformed } from './errors.js';
import { Lexer, isRegular, isWhitespace } from './lexer.js';
import { parseIndirectObject, parseValue, type ParseContext } from './object-parser.js';
import { PdfDict, PdfStream, isName } from './objects.js';
import type { Revision } from './revisions.js';
import type { XrefEntry } from './xref.js';

const OBJ = ascii('obj');
const TRAILER = ascii('trailer');
const EOF_MARKER = ascii('%%EOF');

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/** Start of `n g` before an `obj` keyword at `at`, with the two numbers, or undefined. */
function objectHeaderBefore(bytes: Uint8Array, at: number): { start: number; num: number; gen: number } | undefined {
  let pos = at - 1;
  if (!isWhitespace(bytes[pos])) return undefined;
  while (isWhitespace(bytes[pos])) pos--;
  const genEnd = pos + 1;
  while (isDigit(bytes[pos]) && genEnd - pos <= 5) pos--;
  const genStart = pos + 1;
  if (genStart === genEnd || !isWhitespace(bytes[pos])) return undefined;
  while (isWhitespace(bytes[pos])) pos--;
  const numEnd = pos + 1;
  while (isDigit(bytes[pos]) && numEnd - pos <= 7) pos--;
  const numStart = pos + 1;
  if (numStart === numEnd || isRegular(bytes[pos])) return undefined;
  const text = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  return { start: numStart, num: Number(text(numStart, numEnd)), gen: Number(text(genStart, genEnd)) };
}

export function recoverRevision(bytes: Uint8Array, ctx: ParseContext): Revision {
  const entries = new Map<number, XrefEntry>();
  for (let at = indexOfBytes(bytes, OBJ); at >= 0; at = indexOfBytes(bytes, OBJ, at + OBJ.length)) {
    ctx.budget.spend(1, at);
    if (isRegular(bytes[at + OBJ.length])) continue;
    const header = objectHeaderBefore(bytes, at);
    if (header) entries.set(header.num, { type: 'offset', num: header.num, gen: header.gen, offset: header.start });
  }
  const trailer = findTrailer(bytes, entries, ctx);
  const eof = lastIndexOfBytes(bytes, EOF_MARKER);
  const end = eof < 0 ? bytes.length : eof + EOF_MARKER.length;
  return { index: 0, sections: [], trailer, entries, eofOffset: end, endOffset: eof < 0 ? end : bytes.length };
}

/** The last `trailer` dictionary with /Root, else the last xref stream dictionary with /Root. */
function findTrailer(bytes: Uint8Array, entries: ReadonlyMap<number, XrefEntry>, ctx: ParseContext): PdfDict {
  for (let at = lastIndexOfBytes(bytes, TRAILER); at >= 0; at = lastIndexOfBytes(bytes, TRAILER, at)) {
    try {
      const value = parseValue(new Lexer(bytes, ctx.budget, at + TRAILER.length), ctx);
      if (value instanceof PdfDict && value.has('Root')) return value;
    } catch {
      // A damaged trailer: try an earlier one.
    }
  }
  const offsets = [...entries.values()].flatMap((e) => (e.type === 'offset' ? [e.offset] : [])).sort((a, b) => b - a);
  for (const offset of offsets) {
    try {
      const object = parseIndirectObject(bytes, offset, ctx, () => undefined);
      if (object.value instanceof PdfStream && isName(object.value.dict.get('Type'), 'XRef') && object.value.dict.has('Root')) return object.value.dict;
    } catch {
      // Not parseable: keep looking.
    }
  }
  throw malformed('no trailer with /Root found while recovering', bytes.length);
}
