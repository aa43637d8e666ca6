/**
 * Object streams (ISO 32000-1 §7.5.7): a decoded header of `num offset` pairs, then the objects.
 * Each object is parsed only up to where the next one starts, so one object cannot swallow another.
 */
import { decodeRequiredStream } from './decode-stream.js';
import { PdfError, malformed } from './errors.js';
import { Lexer } from './lexer.js';
import { parseValue, type ParseContext } from './object-parser.js';
import type { PdfStream} from './objects.js';
import { isName, type PdfObject } from './objects.js';

export interface ObjectStream {
  readonly data: Uint8Array;
  /** Object number and absolute start in `data` of each object, in header order. */
  readonly objects: readonly { readonly num: number; readonly start: number; readonly end: number }[];
  /** File offset of the stream's encoded data, for messages. */
  readonly fileOffset: number;
}

export async function readObjectStream(stream: PdfStream, ctx: ParseContext): Promise<ObjectStream> {
  const at = stream.rawOffset;
  if (!isName(stream.dict.get('Type'), 'ObjStm')) throw malformed('object stream without /Type /ObjStm', at);
  const n = stream.dict.get('N');
  const first = stream.dict.get('First');
  if (typeof n !== 'number' || n < 0 || typeof first !== 'number' || first < 0) throw malformed('object stream /N or /First invalid', at);
  if (n > ctx.budget.limits.maxObjectStreamObjects) throw new PdfError('PDF_LIMIT_EXCEEDED', `object stream holds more than ${ctx.budget.limits.maxObjectStreamObjects} objects`, at);
  const data = await decodeRequiredStream(stream, ctx.budget, 'object stream');
  if (first > data.length) throw malformed('object stream /First beyond its data', at);
  const lexer = new Lexer(data, ctx.budget, 0, first);
  const pairs: { num: number; start: number }[] = [];
  for (let i = 0; i < n; i++) {
    const num = lexer.next();
    const offset = lexer.next();
    if (num.type !== 'int' || offset.type !== 'int' || num.value < 0 || offset.value < 0 || first + offset.value > data.length) {
      throw malformed(`object stream header entry ${i} invalid`, at);
    }
    pairs.push({ num: num.value, start: first + offset.value });
  }
  const starts = [...new Set(pairs.map((p) => p.start))].sort((a, b) => a - b);
  const nextStart = new Map(starts.map((start, i) => [start, starts[i + 1] ?? data.length]));
  const objects = pairs.map(({ num, start }) => ({ num, start, end: nextStart.get(start)! }));
  return { data, objects, fileOffset: at };
}

/** The object at `index`, which must carry number `num`; strings in it have no file span. */
export function objectFromStream(objstm: ObjectStream, num: number, index: number, ctx: ParseContext): PdfObject {
  const slot = objstm.objects[index];
  if (!slot) throw malformed(`object ${num} index ${index} beyond its object stream`, objstm.fileOffset);
  if (slot.num !== num) throw malformed(`object stream slot ${index} holds object ${slot.num}, not ${num}`, objstm.fileOffset);
  return parseValue(new Lexer(objstm.data, ctx.budget, slot.start, slot.end), ctx);
}
