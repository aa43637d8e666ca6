/**
 * Objects from tokens: direct values (recursion bounded by `maxNestingDepth`), indirect objects
 * `n g obj ... endobj` and streams. Stream extent comes from /Length; the `endstream` scan is a
 * fallback used only when /Length is missing, unresolvable or wrong, and it is always logged as an
 * error finding, because two readers that disagree about where a stream ends see different documents.
 */
import { ascii, indexOfBytes, startsWithAt } from './byte-search.js';
import { PdfError, malformed } from './errors.js';
import type { FindingLog } from './findings.js';
import { Lexer, type Token } from './lexer.js';
import type { WorkBudget } from './limits.js';
import { PdfDict, PdfName, PdfReal, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';

export interface ParseContext {
  readonly budget: WorkBudget;
  readonly findings: FindingLog;
  /** True when token offsets are file offsets (so string spans can be recorded). */
  readonly fileOffsets: boolean;
}

const ENDSTREAM = ascii('endstream');
const MAX_OBJECT_NUMBER = 8_388_607; // the largest object number ISO 32000-1 Annex C allows

export function parseValue(lexer: Lexer, ctx: ParseContext, depth = 0): PdfObject {
  return valueFromToken(lexer, lexer.next(), ctx, depth);
}

function valueFromToken(lexer: Lexer, token: Token, ctx: ParseContext, depth: number): PdfObject {
  switch (token.type) {
    case 'int':
      return referenceOrInteger(lexer, token.value);
    case 'real':
      return new PdfReal(token.value);
    case 'name':
      return new PdfName(token.value);
    case 'string':
      return new PdfString(token.bytes, token.hex, ctx.fileOffsets ? { start: token.start, end: token.end } : undefined);
    case 'delim':
      if (token.value === '[') return parseArray(lexer, ctx, depth + 1, token.start);
      if (token.value === '<<') return parseDict(lexer, ctx, depth + 1, token.start);
      throw malformed(`unexpected '${token.value}'`, token.start);
    case 'keyword':
      if (token.value === 'true') return true;
      if (token.value === 'false') return false;
      if (token.value === 'null') return null;
      throw malformed(`unexpected keyword '${token.value.slice(0, 32)}'`, token.start);
    case 'eof':
      throw malformed('unexpected end of data', token.start);
  }
}

/** `12 0 R` is one value; a lone integer is another. */
function referenceOrInteger(lexer: Lexer, value: number): PdfObject {
  const saved = lexer.pos;
  const gen = lexer.next();
  if (gen.type === 'int') {
    const r = lexer.next();
    if (r.type === 'keyword' && r.value === 'R') {
      if (value < 0 || value > MAX_OBJECT_NUMBER || gen.value < 0 || gen.value > 65535) {
        throw malformed(`invalid reference ${value} ${gen.value} R`, r.start);
      }
      return new PdfRef(value, gen.value);
    }
  }
  lexer.pos = saved;
  return value;
}

function checkDepth(ctx: ParseContext, depth: number, offset: number): void {
  if (depth > ctx.budget.limits.maxNestingDepth) {
    throw new PdfError('PDF_LIMIT_EXCEEDED', `nesting deeper than ${ctx.budget.limits.maxNestingDepth}`, offset);
  }
}

function parseArray(lexer: Lexer, ctx: ParseContext, depth: number, start: number): PdfObject[] {
  checkDepth(ctx, depth, start);
  const items: PdfObject[] = [];
  for (;;) {
    const token = lexer.next();
    if (token.type === 'delim' && token.value === ']') return items;
    if (token.type === 'eof') throw malformed('unterminated array', start);
    items.push(valueFromToken(lexer, token, ctx, depth));
  }
}

function parseDict(lexer: Lexer, ctx: ParseContext, depth: number, start: number): PdfDict {
  checkDepth(ctx, depth, start);
  const entries = new Map<string, PdfObject>();
  for (;;) {
    const key = lexer.next();
    if (key.type === 'delim' && key.value === '>>') return new PdfDict(entries);
    if (key.type !== 'name') throw malformed('dictionary key is not a name', key.start);
    if (entries.has(key.value)) {
      // Readers disagree on which duplicate wins, so the same bytes can mean two things.
      ctx.findings.add('error', `duplicate key /${key.value} in a dictionary`, key.start);
    }
    const value = parseValue(lexer, ctx, depth);
    if (value === null) entries.delete(key.value);
    else entries.set(key.value, value);
  }
}

export interface IndirectObject {
  readonly num: number;
  readonly gen: number;
  readonly value: PdfObject;
  /** Where `n g obj` starts and where the object (after `endobj`) ends. */
  readonly start: number;
  readonly end: number;
}

/** Resolves an indirect /Length; returns undefined when it cannot be resolved. */
export type LengthResolver = (ref: PdfRef) => number | undefined;

function expectInt(lexer: Lexer, what: string): number {
  const token = lexer.next();
  if (token.type !== 'int') throw malformed(`expected ${what}`, token.start);
  return token.value;
}

/** Parses `n g obj value [stream ... endstream] endobj` starting at `offset` (whitespace allowed first). */
export function parseIndirectObject(bytes: Uint8Array, offset: number, ctx: ParseContext, resolveLength: LengthResolver): IndirectObject {
  if (offset < 0 || offset >= bytes.length) throw malformed('object offset outside the file', offset);
  const lexer = new Lexer(bytes, ctx.budget, offset);
  lexer.skipWhitespaceAndComments();
  const start = lexer.pos;
  const num = expectInt(lexer, 'object number');
  const gen = expectInt(lexer, 'generation number');
  const obj = lexer.next();
  if (obj.type !== 'keyword' || obj.value !== 'obj') throw malformed("expected 'obj'", obj.start);
  let value = parseValue(lexer, ctx);
  const after = lexer.next();
  if (after.type === 'keyword' && after.value === 'stream') {
    if (!(value instanceof PdfDict)) throw malformed('stream without a dictionary', after.start);
    const stream = readStream(bytes, value, after.end, ctx, resolveLength);
    value = stream.stream;
    lexer.pos = stream.end;
    const endobj = lexer.next();
    if (endobj.type !== 'keyword' || endobj.value !== 'endobj') ctx.findings.add('warning', `object ${num} ${gen}: missing 'endobj'`, endobj.start);
    return { num, gen, value, start, end: lexer.pos };
  }
  if (after.type !== 'keyword' || after.value !== 'endobj') {
    ctx.findings.add('warning', `object ${num} ${gen}: missing 'endobj'`, after.start);
    return { num, gen, value, start, end: after.start };
  }
  return { num, gen, value, start, end: after.end };
}

function readStream(
  bytes: Uint8Array,
  dict: PdfDict,
  keywordEnd: number,
  ctx: ParseContext,
  resolveLength: LengthResolver,
): { stream: PdfStream; end: number } {
  // The keyword is followed by CRLF or LF (ISO 32000-1 §7.3.8.1); a lone CR is tolerated and noted.
  let dataStart = keywordEnd;
  if (bytes[dataStart] === 0x0d && bytes[dataStart + 1] === 0x0a) dataStart += 2;
  else if (bytes[dataStart] === 0x0a) dataStart += 1;
  else if (bytes[dataStart] === 0x0d) {
    dataStart += 1;
    ctx.findings.add('warning', "'stream' followed by a lone CR", keywordEnd);
  } else ctx.findings.add('warning', "'stream' not followed by an end-of-line", keywordEnd);

  const lengthValue = dict.get('Length');
  const length = lengthValue instanceof PdfRef ? resolveLength(lengthValue) : typeof lengthValue === 'number' ? lengthValue : undefined;
  const max = ctx.budget.limits.maxStreamBytes;
  if (length !== undefined && length > max) throw new PdfError('PDF_LIMIT_EXCEEDED', `stream longer than ${max} bytes`, dataStart);
  if (length !== undefined && length >= 0 && dataStart + length <= bytes.length) {
    const end = endOfStreamAt(bytes, dataStart + length);
    if (end !== undefined) return { stream: new PdfStream(dict, bytes.subarray(dataStart, dataStart + length), dataStart), end };
  }

  const found = indexOfBytes(bytes, ENDSTREAM, dataStart, Math.min(bytes.length, dataStart + max + ENDSTREAM.length + 2));
  ctx.budget.spend(((found < 0 ? bytes.length : found) - dataStart) >> 6, dataStart);
  if (found < 0) throw malformed('stream without endstream', dataStart);
  ctx.findings.add('error', `stream /Length ${length === undefined ? 'missing or unresolvable' : `${length} does not end at 'endstream'`}`, dataStart);
  let dataEnd = found;
  if (bytes[dataEnd - 1] === 0x0a) dataEnd--;
  if (bytes[dataEnd - 1] === 0x0d) dataEnd--;
  dataEnd = Math.max(dataStart, dataEnd);
  return { stream: new PdfStream(dict, bytes.subarray(dataStart, dataEnd), dataStart), end: found + ENDSTREAM.length };
}

/** Where `endstream` ends if it follows `at` after an optional end-of-line (the spec's "should"). */
function endOfStreamAt(bytes: Uint8Array, at: number): number | undefined {
  let pos = at;
  if (bytes[pos] === 0x0d) pos++;
  if (bytes[pos] === 0x0a) pos++;
  while (bytes[pos] === 0x20) pos++;
  return startsWithAt(bytes, ENDSTREAM, pos) ? pos + ENDSTREAM.length : undefined;
}
