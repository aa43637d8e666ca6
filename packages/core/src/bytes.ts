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
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
B64_INDEX['-'.charCodeAt(0)] = 62;
B64_INDEX['_'.charCodeAt(0)] = 63;

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

export function base64url(bytes: Uint8Array): string {
  return encodeBase64(bytes, B64URL, false);
}

export function base64(bytes: Uint8Array): string {
  return encodeBase64(bytes, B64, true);
}

function decodeBase64(text: string, url: boolean, what: string): Uint8Array {
  const body = url ? text : text.replace(/=+$/, '');
  if (url ? !/^[A-Za-z0-9_-]*$/.test(body) : !/^[A-Za-z0-9+/]*$/.test(body)) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${what} is not valid ${url ? 'base64url' : 'base64'}`);
  }
  if (body.length % 4 === 1) throw new ElicenseError('ERR_INVALID_INPUT', `${what} has an impossible base64 length`);
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  const value = (i: number) => B64_INDEX[body.charCodeAt(i)]!;
  let o = 0;
  let i = 0;
  for (const whole = body.length - (body.length % 4); i < whole; i += 4) {
    const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = body.length - i;
  // Non-canonical encodings (stray low bits) would give two strings for one value: refuse them.
  if (rest === 2) {
    const n = (value(i) << 6) | value(i + 1);
    if (n & 0x0f) throw new ElicenseError('ERR_INVALID_INPUT', `${what} is not canonical base64`);
    out[o++] = n >> 4;
  } else if (rest === 3) {
    const n = (value(i) << 12) | (value(i + 1) << 6) | value(i + 2);
    if (n & 0x03) throw new ElicenseError('ERR_INVALID_INPUT', `${what} is not canonical base64`);
    out[o++] = n >> 10;
    out[o++] = (n >> 2) & 0xff;
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
