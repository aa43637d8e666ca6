/**
 * A strict DER walker for the parts of certificates and CRLs that signatures cover. The ASN.1 library
 * decodes BER leniently and ignores trailing bytes, so the envelope is sliced here: the TBS bytes are
 * verified exactly as received, and anything that is not one well-formed DER value is refused.
 */

export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte in the buffer the value was read from. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the value. */
  readonly end: number;
}

/** Thrown by this module; callers translate it into their own error code. */
export class DerError extends Error {
  override readonly name = 'DerError';
}

const MAX_DEPTH = 32;

/** Reads one TLV at `offset`, refusing indefinite, non-minimal or overlong lengths and multi-byte tags. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated value');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used here');
  let length = bytes[offset + 1]!;
  let contentStart = offset + 2;
  if (length === 0x80) throw new DerError('indefinite length');
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw new DerError('length too large');
    if (contentStart + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    if (bytes[contentStart] === 0 || length < 0x80) throw new DerError('non-minimal length');
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('value runs past its container');
  return { tag, start: offset, contentStart, end };
}

/** The children of a constructed value, in order; they must fill it exactly. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readTlv(bytes, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** Checks that `bytes` is exactly one DER value whose constructed parts nest correctly. */
export function assertSingleDerValue(bytes: Uint8Array): Tlv {
  const top = readTlv(bytes, 0);
  if (top.end !== bytes.length) throw new DerError('trailing bytes after the value');
  walk(bytes, top, 0);
  return top;
}

function walk(bytes: Uint8Array, tlv: Tlv, depth: number): void {
  if ((tlv.tag & 0x20) === 0) return;
  if (depth >= MAX_DEPTH) throw new DerError('nested too deeply');
  for (const child of children(bytes, tlv)) walk(bytes, child, depth + 1);
}

export function slice(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

export function content(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return [0x80 | out.length, ...out];
}

/** One DER TLV from a tag and its content. */
export function encodeTlv(tag: number, body: Uint8Array): Uint8Array {
  const header = [tag, ...encodeLength(body.length)];
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/** A non-negative INTEGER from big-endian magnitude bytes, minimally encoded. */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const body = trimmed.length === 0 ? new Uint8Array(1) : trimmed;
  if (body[0]! & 0x80) {
    const padded = new Uint8Array(body.length + 1);
    padded.set(body, 1);
    return encodeTlv(0x02, padded);
  }
  return encodeTlv(0x02, body);
}

/** Dotted form of an OBJECT IDENTIFIER's content octets. */
export function decodeOid(body: Uint8Array): string {
  if (body.length === 0 || body.length > 64) throw new DerError('bad OBJECT IDENTIFIER length');
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (value === 0 && byte === 0x80) throw new DerError('non-minimal OBJECT IDENTIFIER arc');
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OBJECT IDENTIFIER arc too large');
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    } else if (i === body.length - 1) {
      throw new DerError('truncated OBJECT IDENTIFIER');
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const [a = 0, b = 0, ...rest] = arcs;
  for (const arc of [a * 40 + b, ...rest]) {
    const group = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) group.unshift((n & 0x7f) | 0x80);
    out.push(...group);
  }
  return encodeTlv(0x06, Uint8Array.from(out));
}
