/** Byte helpers shared by every module: WebCrypto-era code, no Buffer, so it runs in browsers too. */
import { ElicenseError } from './errors.js';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, rejecting malformed sequences instead of silently replacing them. */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch (cause) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'input is not valid UTF-8', { cause });
  }
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'not a hexadecimal string');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function encodeBase64(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

const B64URL = B64.slice(0, 62) + '-_';

/** Byte → sextet; 0xff marks a byte outside the alphabet. */
function decodeTable(alphabet: string): Uint8Array {
  const table = new Uint8Array(256).fill(0xff);
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}
const B64_TABLE = decodeTable(B64);
const B64URL_TABLE = decodeTable(B64URL);

/**
 * The text's characters as bytes, for the decoder to read: the engine's encoder copies ASCII in bulk,
 * which is much cheaper than reading the string a character at a time. One reused buffer for the sizes
 * license payloads have; larger inputs get their own.
 */
const asciiScratch = new Uint8Array(16 * 1024);

function asciiBytes(text: string): Uint8Array | undefined {
  const target = text.length <= asciiScratch.length ? asciiScratch : new Uint8Array(text.length);
  // A character outside ASCII takes more than one byte, so it cannot all fit: not base64 either way.
  const { read, written } = encoder.encodeInto(text, target);
  return read === text.length && written === text.length ? target : undefined;
}

export function base64url(bytes: Uint8Array): string {
  return encodeBase64(bytes, B64URL, false);
}

export function base64(bytes: Uint8Array): string {
  return encodeBase64(bytes, B64, true);
}

function decodeBase64(text: string, url: boolean, what: string): Uint8Array {
  const body = url ? text : text.replace(/=+$/, '');
  const invalid = () => new ElicenseError('ERR_INVALID_INPUT', `${what} is not valid ${url ? 'base64url' : 'base64'}`);
  if (body.length % 4 === 1) {
    if (!(url ? /^[A-Za-z0-9_-]*$/ : /^[A-Za-z0-9+/]*$/).test(body)) throw invalid();
    throw new ElicenseError('ERR_INVALID_INPUT', `${what} has an impossible base64 length`);
  }
  const table = url ? B64URL_TABLE : B64_TABLE;
  const src = asciiBytes(body);
  if (src === undefined) throw invalid();
  // One pass decodes and validates: every sextet is ORed into `seen`, and any byte outside the alphabet
  // (0xff in the table) leaves bits above the low six set. The loop is written out by hand because it
  // runs over every license payload.
  let seen = 0;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let o = 0;
  let i = 0;
  for (const whole = body.length - (body.length % 4); i < whole; i += 4) {
    const a = table[src[i]!]!;
    const b = table[src[i + 1]!]!;
    const c = table[src[i + 2]!]!;
    const d = table[src[i + 3]!]!;
    seen |= a | b | c | d;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = body.length - i;
  let tail = 0;
  for (let k = 0; k < rest; k++) {
    const v = table[src[i + k]!]!;
    seen |= v;
    tail = (tail << 6) | v;
  }
  if (seen & ~0x3f) throw invalid();
  // Non-canonical encodings (stray low bits) would give two strings for one value: refuse them.
  if (rest === 2) {
    if (tail & 0x0f) throw new ElicenseError('ERR_INVALID_INPUT', `${what} is not canonical base64`);
    out[o++] = tail >> 4;
  } else if (rest === 3) {
    if (tail & 0x03) throw new ElicenseError('ERR_INVALID_INPUT', `${what} is not canonical base64`);
    out[o++] = tail >> 10;
    out[o++] = (tail >> 2) & 0xff;
  }
  return out;
}

export function fromBase64url(text: string, what = 'value'): Uint8Array {
  return decodeBase64(text, true, what);
}

export function fromBase64(text: string, what = 'value'): Uint8Array {
  return decodeBase64(text.replace(/\s+/g, ''), false, what);
}

/** WebCrypto wants a BufferSource backed by an ArrayBuffer; TypeScript 5.7+ types insist on it. */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/**
 * The WHATWG "latin1" decoder (windows-1252) maps each of the 256 byte values to its own character, so
 * equal strings mean equal bytes; it decodes natively, several times faster than String.fromCharCode.
 */
const byteKeyDecoder = new TextDecoder('latin1');

/**
 * The bytes as a string of one character per byte: a cheap exact key for maps that remember things by
 * content (certificates, keys) when the same bytes arrive in new buffers.
 */
export function byteKey(bytes: Uint8Array): string {
  return byteKeyDecoder.decode(bytes);
}
