/**
 * JSON.parse keeps the last of two members with the same name, so `{"alg":"ES256","alg":"none"}` means
 * different things to different parsers. Everything signed or trusted is read with this parser instead:
 * RFC 8259 grammar, duplicate member names rejected (RFC 7515 §5.2 lets JWS readers do so), depth and
 * size bounded, and `__proto__` kept as an ordinary member.
 */
import { ElicenseError } from '../errors.js';

export interface StrictParseOptions {
  /** Largest input in UTF-16 code units; default 1 MiB. */
  readonly maxLength?: number;
  /** Deepest nesting of arrays and objects; default 64. */
  readonly maxDepth?: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

function parseJsonExactly(text: string, options: StrictParseOptions): unknown {
  const maxDepth = options.maxDepth ?? 64;
  let pos = 0;

  const fail = (what: string): never => {
    throw new ElicenseError('ERR_JSON_INVALID', `invalid JSON at offset ${pos}: ${what}`);
  };
  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };

  const parseString = (): string => {
    const start = pos;
    let plain = true;
    pos++;
    for (;;) {
      const ch = text.charCodeAt(pos);
      if (Number.isNaN(ch)) fail('unterminated string');
      if (ch === 0x22) break;
      if (ch < 0x20) fail('control character in string');
      if (ch === 0x5c) {
        plain = false;
        pos += 2;
      } else {
        pos++;
      }
    }
    pos++;
    // Most strings have no escapes: their text is their value.
    if (plain) return text.slice(start + 1, pos - 1);
    try {
      // The slice is a complete string token; JSON.parse validates its escapes exactly.
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      pos = start;
      return fail('bad escape in string');
    }
  };

  const parseValue = (depth: number): unknown => {
    skipWhitespace();
    const ch = text[pos];
    if (ch === '{') return parseObject(depth + 1);
    if (ch === '[') return parseArray(depth + 1);
    if (ch === '"') return parseString();
    if (text.startsWith('true', pos)) return (pos += 4), true;
    if (text.startsWith('false', pos)) return (pos += 5), false;
    if (text.startsWith('null', pos)) return (pos += 4), null;
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) return fail(ch === undefined ? 'unexpected end' : `unexpected character ${JSON.stringify(ch)}`);
    pos = NUMBER.lastIndex;
    const value = Number(match[0]);
    if (!Number.isFinite(value)) fail('number out of range');
    return value;
  };

  const parseArray = (depth: number): unknown[] => {
    if (depth > maxDepth) throw new ElicenseError('ERR_JSON_TOO_DEEP', `JSON nested deeper than ${maxDepth}`);
    pos++;
    const out: unknown[] = [];
    skipWhitespace();
    if (text[pos] === ']') return pos++, out;
    for (;;) {
      out.push(parseValue(depth));
      skipWhitespace();
      const ch = text[pos++];
      if (ch === ']') return out;
      if (ch !== ',') fail('expected , or ]');
    }
  };

  const parseObject = (depth: number): Record<string, unknown> => {
    if (depth > maxDepth) throw new ElicenseError('ERR_JSON_TOO_DEEP', `JSON nested deeper than ${maxDepth}`);
    pos++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    skipWhitespace();
    if (text[pos] === '}') return pos++, out;
    for (;;) {
      skipWhitespace();
      if (text[pos] !== '"') fail('expected member name');
      const name = parseString();
      if (seen.has(name)) {
        throw new ElicenseError('ERR_JSON_DUPLICATE_MEMBER', `duplicate JSON member name ${JSON.stringify(name)}`, {
          field: name,
        });
      }
      seen.add(name);
      skipWhitespace();
      if (text[pos++] !== ':') fail('expected :');
      const value = parseValue(depth);
      Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      skipWhitespace();
      const ch = text[pos++];
      if (ch === '}') return out;
      if (ch !== ',') fail('expected , or }');
    }
  };

  const value = parseValue(0);
  skipWhitespace();
  if (pos !== text.length) fail('trailing characters after the JSON value');
  return value;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Member names in the text: in JSON that JSON.parse has accepted, every `:` outside a string separates
 * a name from its value. Strings are skipped with indexOf, so the cost is in the few structural
 * characters, not in the (long, often CJK) string contents.
 */
function countMemberNames(text: string): number {
  let count = 0;
  let pos = 0;
  for (;;) {
    const quote = text.indexOf('"', pos);
    const end = quote === -1 ? text.length : quote;
    for (let i = pos; i < end; i++) if (text.charCodeAt(i) === 0x3a /* : */) count++;
    if (quote === -1) return count;
    // The closing quote is the first one not escaped by an odd run of backslashes.
    let close = quote;
    for (;;) {
      close = text.indexOf('"', close + 1);
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 0x5c /* \ */) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    pos = close + 1;
  }
}

/**
 * Own members of every object in `value`, or -1 when it holds what JSON.parse lets through but this
 * parser refuses: nesting deeper than `maxDepth`, or a number too large for a double (Infinity).
 */
function countMembers(value: unknown, depth: number, maxDepth: number): number {
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : -1;
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > maxDepth) return -1;
  let count = 0;
  const values = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
  if (!Array.isArray(value)) count += values.length;
  for (const item of values) {
    const inner = countMembers(item, depth + 1, maxDepth);
    if (inner < 0) return -1;
    count += inner;
  }
  return count;
}

/**
 * Whether the value JSON.parse produced is what the exact parser would give: JSON.parse keeps the last
 * of two members with the same name, so a duplicate shows as fewer members than the text names.
 */
function isStrict(text: string, value: unknown, maxDepth: number): boolean {
  const members = countMembers(value, 1, maxDepth);
  return members >= 0 && members === countMemberNames(text);
}

export function parseJsonStrict(text: string, options: StrictParseOptions = {}): unknown {
  const maxLength = options.maxLength ?? 1 << 20;
  if (text.length > maxLength) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `JSON input of ${text.length} characters exceeds ${maxLength}`);
  }
  // Fast path: the engine's parser (iterative, so deep nesting cannot exhaust the stack) for the grammar
  // and the values, then one light scan for what it tolerates. Anything doubtful goes to the exact parser.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseJsonExactly(text, options);
  }
  return isStrict(text, value, options.maxDepth ?? 64) ? value : parseJsonExactly(text, options);
}
