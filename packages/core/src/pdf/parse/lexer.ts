/**
 * Tokens of PDF syntax (ISO 32000-1 §7.2, §7.3) over a byte array. Iterative throughout (nested
 * literal-string parentheses are counted, not recursed), every token is charged to the work budget,
 * and strings and names are bounded, so no input can make it hang or allocate without limit.
 */
import { PdfError, malformed } from './errors.js';
import type { WorkBudget } from './limits.js';

export type Token =
  | { readonly type: 'int' | 'real'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly type: 'name'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly type: 'string'; readonly bytes: Uint8Array; readonly hex: boolean; readonly start: number; readonly end: number }
  | { readonly type: 'delim' | 'keyword'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly type: 'eof'; readonly start: number; readonly end: number };

const WHITESPACE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CLASS[c] = WHITESPACE;
for (const c of '()<>[]{}/%') CLASS[c.charCodeAt(0)] = DELIMITER;

const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[0x41 + i] = 10 + i;
  HEX_VALUE[0x61 + i] = 10 + i;
}
/** The byte two hex digits make, indexed by the digits' character codes (first << 8 | second); -1 otherwise. */
const HEX_PAIR_VALUE = new Int16Array(1 << 16).fill(-1);
for (let hi = 0; hi < 256; hi++) {
  for (let lo = 0; lo < 256; lo++) {
    if (HEX_VALUE[hi]! >= 0 && HEX_VALUE[lo]! >= 0) HEX_PAIR_VALUE[(hi << 8) | lo] = (HEX_VALUE[hi]! << 4) | HEX_VALUE[lo]!;
  }
}

/** Keywords and numbers are short; anything longer is garbage, not a token worth keeping. */
const MAX_REGULAR_RUN = 256;
const MAX_NAME_BYTES = 4096;

export function isWhitespace(byte: number | undefined): boolean {
  return byte !== undefined && CLASS[byte] === WHITESPACE;
}

export function isRegular(byte: number | undefined): boolean {
  return byte !== undefined && CLASS[byte] === 0;
}

/** Grows a byte buffer as literal strings are unescaped. */
class ByteWriter {
  private buffer = new Uint8Array(64);
  length = 0;

  push(byte: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = byte;
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class Lexer {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly budget: WorkBudget,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  skipWhitespaceAndComments(): void {
    const { bytes, end } = this;
    let pos = this.pos;
    while (pos < end) {
      const c = bytes[pos]!;
      if (CLASS[c] === WHITESPACE) pos++;
      else if (c === 0x25) {
        while (pos < end && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
      } else break;
    }
    this.pos = pos;
  }

  peek(): Token {
    const saved = this.pos;
    const token = this.next();
    this.pos = saved;
    return token;
  }

  next(): Token {
    this.skipWhitespaceAndComments();
    const start = this.pos;
    this.budget.spend(1, start);
    if (start >= this.end) return { type: 'eof', start, end: start };
    const c = this.bytes[start]!;
    switch (c) {
      case 0x2f: // '/'
        return this.readName(start);
      case 0x28: // '('
        return this.readLiteralString(start);
      case 0x3c: // '<'
        if (this.bytes[start + 1] === 0x3c) {
          this.pos = start + 2;
          return { type: 'delim', value: '<<', start, end: this.pos };
        }
        return this.readHexString(start);
      case 0x3e: // '>'
        if (this.bytes[start + 1] === 0x3e) {
          this.pos = start + 2;
          return { type: 'delim', value: '>>', start, end: this.pos };
        }
        throw malformed("unexpected '>'", start);
      case 0x5b:
      case 0x5d:
      case 0x7b:
      case 0x7d:
        this.pos = start + 1;
        return { type: 'delim', value: String.fromCharCode(c), start, end: this.pos };
      case 0x29:
        throw malformed("unexpected ')'", start);
      default:
        return this.readRegular(start);
    }
  }

  private readRegular(start: number): Token {
    let pos = start;
    while (pos < this.end && CLASS[this.bytes[pos]!] === 0) {
      pos++;
      if (pos - start > MAX_REGULAR_RUN) throw malformed('token too long', start);
    }
    this.pos = pos;
    let text = '';
    for (let i = start; i < pos; i++) text += String.fromCharCode(this.bytes[i]!);
    if (/^[+-]?\d+$/.test(text)) {
      const value = Number(text);
      return { type: Number.isSafeInteger(value) ? 'int' : 'real', value, start, end: pos };
    }
    if (/^[+-]?(\d+\.\d*|\.\d+)$/.test(text)) return { type: 'real', value: Number(text), start, end: pos };
    return { type: 'keyword', value: text, start, end: pos };
  }

  private readName(start: number): Token {
    let pos = start + 1;
    let name = '';
    while (pos < this.end && CLASS[this.bytes[pos]!] === 0) {
      const c = this.bytes[pos]!;
      if (c === 0x23) {
        // '#xx' escapes a byte; a '#' without two hex digits is kept literally, as PDF 1.1 readers did.
        const hi = HEX_VALUE[this.bytes[pos + 1] ?? 0]!;
        const lo = HEX_VALUE[this.bytes[pos + 2] ?? 0]!;
        if (hi >= 0 && lo >= 0) {
          name += String.fromCharCode(hi * 16 + lo);
          pos += 3;
          continue;
        }
      }
      name += String.fromCharCode(c);
      pos++;
      if (name.length > MAX_NAME_BYTES) throw malformed('name too long', start);
    }
    this.pos = pos;
    return { type: 'name', value: name, start, end: pos };
  }

  private readLiteralString(start: number): Token {
    const { bytes, end } = this;
    const max = this.budget.limits.maxStringBytes;
    const out = new ByteWriter();
    let depth = 1;
    let pos = start + 1;
    while (pos < end) {
      const c = bytes[pos++]!;
      if (c === 0x5c) {
        if (pos >= end) break;
        const e = bytes[pos++]!;
        switch (e) {
          case 0x6e: out.push(0x0a); break;
          case 0x72: out.push(0x0d); break;
          case 0x74: out.push(0x09); break;
          case 0x62: out.push(0x08); break;
          case 0x66: out.push(0x0c); break;
          case 0x0d:
            // A backslash before an end-of-line continues the string on the next line.
            if (bytes[pos] === 0x0a) pos++;
            break;
          case 0x0a:
            break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let value = e - 0x30;
              for (let i = 0; i < 2 && pos < end && bytes[pos]! >= 0x30 && bytes[pos]! <= 0x37; i++) value = value * 8 + bytes[pos++]! - 0x30;
              out.push(value & 0xff);
            } else {
              // Unknown escapes drop the backslash (ISO 32000-1 §7.3.4.2); covers \( \) \\ too.
              out.push(e);
            }
        }
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) {
          this.pos = pos;
          this.budget.spend(pos - start, start);
          return { type: 'string', bytes: out.bytes(), hex: false, start, end: pos };
        }
        out.push(c);
      } else if (c === 0x0d) {
        // An unescaped end-of-line of any kind reads as a single line feed.
        if (bytes[pos] === 0x0a) pos++;
        out.push(0x0a);
      } else {
        out.push(c);
      }
      if (out.length > max) throw new PdfError('PDF_LIMIT_EXCEEDED', `string longer than ${max} bytes`, start);
    }
    throw malformed('unterminated literal string', start);
  }

  private readHexString(start: number): Token {
    const { bytes, end } = this;
    let close = bytes.indexOf(0x3e, start + 1);
    if (close < 0 || close >= end) close = end;
    if (close >= end) throw malformed('unterminated hex string', start);
    const max = this.budget.limits.maxStringBytes;
    if ((close - start - 1) / 2 > max) throw new PdfError('PDF_LIMIT_EXCEEDED', `string longer than ${max} bytes`, start);
    this.budget.spend(close - start, start);
    const out = new Uint8Array(Math.ceil((close - start - 1) / 2));
    let n = 0;
    let high = -1;
    // A signature's /Contents is mostly zero padding: the trailing run of '0' digits stands for zero
    // bytes, which the new array already holds, so that run is only counted (below), not decoded.
    let tail = close;
    while (tail > start + 1 && bytes[tail - 1] === 0x30) tail--;
    // Fast path for the common case, digits without whitespace: two digits per step until anything
    // else turns up, then the general loop takes over.
    let pos = start + 1;
    for (; pos + 1 < tail; pos += 2) {
      const value = HEX_PAIR_VALUE[(bytes[pos]! << 8) | bytes[pos + 1]!]!;
      if (value < 0) break;
      out[n++] = value;
    }
    for (; pos < tail; pos++) {
      const c = bytes[pos]!;
      const v = HEX_VALUE[c]!;
      if (v < 0) {
        if (CLASS[c] === WHITESPACE) continue;
        throw malformed('invalid character in hex string', pos);
      }
      if (high < 0) high = v;
      else {
        out[n++] = high * 16 + v;
        high = -1;
      }
    }
    let zeros = close - tail;
    if (zeros > 0 && high >= 0) {
      out[n++] = high * 16;
      high = -1;
      zeros--;
    }
    // Pairs of zeros, and a last lone one with its implied 0.
    n += (zeros + 1) >> 1;
    // An odd final digit is followed by an implied 0 (ISO 32000-1 §7.3.4.3).
    if (high >= 0) out[n++] = high * 16;
    this.pos = close + 1;
    return { type: 'string', bytes: out.subarray(0, n), hex: true, start, end: close + 1 };
  }
}
