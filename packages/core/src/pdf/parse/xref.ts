/**
 * Cross-reference sections: classic tables (ISO 32000-1 §7.5.4) and cross-reference streams (§7.5.8),
 * each with its trailer dictionary. One section is read exactly where an offset says it is; an offset
 * that does not land on `xref` or on an `n g obj` holding /Type /XRef is an error, not a cue to search.
 */
import { decodeRequiredStream } from './decode-stream.js';
import { PdfError, malformed } from './errors.js';
import { Lexer } from './lexer.js';
import { parseIndirectObject, parseValue, type ParseContext } from './object-parser.js';
import { PdfDict, PdfStream, isName } from './objects.js';

export type XrefEntry =
  | { readonly type: 'free'; readonly num: number; readonly gen: number }
  | { readonly type: 'offset'; readonly num: number; readonly gen: number; readonly offset: number }
  | { readonly type: 'compressed'; readonly num: number; readonly gen: 0; readonly stream: number; readonly index: number };

export interface XrefSection {
  readonly kind: 'table' | 'stream';
  /** Where the section starts (`xref`, or the xref stream's `n g obj`). */
  readonly offset: number;
  /** Where the section ends: after the trailer dictionary or after the xref stream object. */
  readonly end: number;
  readonly trailer: PdfDict;
  readonly entries: ReadonlyMap<number, XrefEntry>;
  /** For an xref stream: its own object number. */
  readonly streamObject?: number;
}

const MAX_OBJECT_NUMBER = 8_388_607;

export async function readXrefSection(bytes: Uint8Array, offset: number, ctx: ParseContext, entriesSoFar: { count: number }): Promise<XrefSection> {
  const lexer = new Lexer(bytes, ctx.budget, offset);
  const first = lexer.peek();
  if (first.type === 'keyword' && first.value === 'xref') {
    if (first.start !== offset) ctx.findings.add('warning', 'xref offset points at whitespace before `xref`', offset);
    return readXrefTable(lexer, ctx, entriesSoFar);
  }
  if (first.type === 'int') return readXrefStream(bytes, offset, ctx, entriesSoFar);
  throw malformed('cross-reference offset points at neither `xref` nor an xref stream', offset);
}

function countEntries(ctx: ParseContext, entriesSoFar: { count: number }, n: number, offset: number): void {
  entriesSoFar.count += n;
  ctx.budget.spend(n, offset);
  if (entriesSoFar.count > ctx.budget.limits.maxXrefEntries) {
    throw new PdfError('PDF_LIMIT_EXCEEDED', `more than ${ctx.budget.limits.maxXrefEntries} cross-reference entries`, offset);
  }
}

function readXrefTable(lexer: Lexer, ctx: ParseContext, entriesSoFar: { count: number }): XrefSection {
  const start = lexer.next().start;
  const entries = new Map<number, XrefEntry>();
  for (;;) {
    const token = lexer.next();
    if (token.type === 'keyword' && token.value === 'trailer') break;
    if (token.type !== 'int') throw malformed('expected a subsection header or `trailer` in xref table', token.start);
    const count = lexer.next();
    if (count.type !== 'int' || count.value < 0) throw malformed('invalid xref subsection count', count.start);
    const firstNum = token.value;
    if (firstNum < 0 || firstNum + count.value - 1 > MAX_OBJECT_NUMBER) throw malformed('xref subsection out of range', token.start);
    countEntries(ctx, entriesSoFar, count.value, token.start);
    for (let i = 0; i < count.value; i++) {
      const field1 = lexer.next();
      const field2 = lexer.next();
      const kind = lexer.next();
      if (field1.type !== 'int' || field2.type !== 'int' || kind.type !== 'keyword' || (kind.value !== 'n' && kind.value !== 'f')) {
        throw malformed('malformed xref table entry', field1.start);
      }
      const num = firstNum + i;
      if (entries.has(num)) {
        ctx.findings.add('error', `object ${num} listed twice in one xref table`, field1.start);
        continue;
      }
      entries.set(
        num,
        kind.value === 'n'
          ? { type: 'offset', num, gen: field2.value, offset: field1.value }
          : { type: 'free', num, gen: field2.value },
      );
    }
  }
  const trailer = parseValue(lexer, ctx);
  if (!(trailer instanceof PdfDict)) throw malformed('trailer is not a dictionary', start);
  return { kind: 'table', offset: start, end: lexer.pos, trailer, entries };
}

function intArray(value: unknown, what: string, offset: number): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && v >= 0)) throw malformed(`xref stream ${what} is not an array of non-negative integers`, offset);
  return value as number[];
}

async function readXrefStream(bytes: Uint8Array, offset: number, ctx: ParseContext, entriesSoFar: { count: number }): Promise<XrefSection> {
  // An xref stream's /Length must be direct (ISO 32000-1 §7.5.8.2): there is no table yet to resolve it with.
  const object = parseIndirectObject(bytes, offset, ctx, () => undefined);
  const stream = object.value;
  if (!(stream instanceof PdfStream) || !isName(stream.dict.get('Type'), 'XRef')) {
    throw malformed(`object ${object.num} ${object.gen} at the cross-reference offset is not an xref stream`, offset);
  }
  const dict = stream.dict;
  const size = dict.get('Size');
  if (typeof size !== 'number' || size < 0 || size > MAX_OBJECT_NUMBER + 1) throw malformed('xref stream /Size invalid', offset);
  const widths = intArray(dict.get('W'), '/W', offset);
  if (widths.length !== 3 || widths.some((w) => w > 8)) throw malformed('xref stream /W must hold three widths of at most 8 bytes', offset);
  const index = dict.has('Index') ? intArray(dict.get('Index'), '/Index', offset) : [0, size];
  if (index.length % 2 !== 0) throw malformed('xref stream /Index has an odd length', offset);
  const data = await decodeRequiredStream(stream, ctx.budget, 'xref stream');
  const rowWidth = widths[0]! + widths[1]! + widths[2]!;
  if (rowWidth === 0) throw malformed('xref stream /W is all zero', offset);

  const entries = new Map<number, XrefEntry>();
  let row = 0;
  for (let i = 0; i < index.length; i += 2) {
    const firstNum = index[i]!;
    const count = index[i + 1]!;
    if (firstNum + count - 1 > MAX_OBJECT_NUMBER) throw malformed('xref stream /Index out of range', offset);
    countEntries(ctx, entriesSoFar, count, offset);
    if ((row + count) * rowWidth > data.length) throw malformed('xref stream data shorter than /Index says', offset);
    for (let j = 0; j < count; j++, row++) {
      let at = row * rowWidth;
      const read = (width: number, fallback: number): number => {
        if (width === 0) return fallback;
        let value = 0;
        for (let k = 0; k < width; k++) value = value * 256 + data[at++]!;
        return value;
      };
      const type = read(widths[0]!, 1);
      const f2 = read(widths[1]!, 0);
      const f3 = read(widths[2]!, 0);
      const num = firstNum + j;
      if (entries.has(num)) {
        ctx.findings.add('error', `object ${num} listed twice in one xref stream`, offset);
        continue;
      }
      // Unknown entry types are references to null (§7.5.8.3).
      if (type === 0) entries.set(num, { type: 'free', num, gen: f3 });
      else if (type === 1) entries.set(num, { type: 'offset', num, gen: f3, offset: f2 });
      else if (type === 2) entries.set(num, { type: 'compressed', num, gen: 0, stream: f2, index: f3 });
    }
  }
  return { kind: 'stream', offset: object.start, end: object.end, trailer: dict, entries, streamObject: object.num };
}
