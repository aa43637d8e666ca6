/**
 * Reading CMS with the strict DER walker of pki/der.ts: every field is checked for its tag, and any
 * malformed input becomes one ElicenseError naming the field, never an exception from deep inside.
 */
import { ElicenseError } from '../errors.js';
import { children, content, decodeOid, DerError, type Tlv } from '../pki/der.js';

/** A malformed CMS or time-stamp structure: ERR_ASN1_INVALID with the path of the field. */
export function malformed(field: string, message: string, cause?: unknown): never {
  throw new ElicenseError('ERR_ASN1_INVALID', `${field}: ${message}`, cause === undefined ? { field } : { field, cause });
}

/** Runs a DER read, turning the walker's errors into ERR_ASN1_INVALID about `field`. */
export function readingField<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ElicenseError) throw error;
    if (error instanceof DerError) malformed(field, error.message, error);
    throw error;
  }
}

export function expectTag(tlv: Tlv | undefined, tag: number, field: string): Tlv {
  if (tlv?.tag !== tag) {
    malformed(field, tlv ? `expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}` : 'missing');
  }
  return tlv;
}

/** The children of a SEQUENCE or SET (or an IMPLICIT-tagged one), after checking the tag. */
export function fieldsOf(bytes: Uint8Array, tlv: Tlv | undefined, tag: number, field: string): Tlv[] {
  return readingField(field, () => children(bytes, expectTag(tlv, tag, field)));
}

export function readOid(bytes: Uint8Array, tlv: Tlv | undefined, field: string): string {
  return readingField(field, () => decodeOid(content(bytes, expectTag(tlv, 0x06, field))));
}

/** A non-negative INTEGER small enough for a number (versions, accuracy). */
export function readSmallInteger(bytes: Uint8Array, tlv: Tlv | undefined, field: string): number {
  const body = content(bytes, expectTag(tlv, 0x02, field));
  if (body.length === 0 || body.length > 4 || body[0]! & 0x80) malformed(field, 'expected a small non-negative INTEGER');
  if (body.length > 1 && body[0] === 0 && !(body[1]! & 0x80)) malformed(field, 'INTEGER not minimally encoded');
  return body.reduce((n, b) => n * 256 + b, 0);
}

/** An INTEGER's content octets, checked for minimal encoding (serial numbers, nonces). */
export function readIntegerBytes(bytes: Uint8Array, tlv: Tlv | undefined, field: string): Uint8Array {
  const body = content(bytes, expectTag(tlv, 0x02, field));
  if (body.length === 0) malformed(field, 'empty INTEGER');
  if (body.length > 1 && ((body[0] === 0 && !(body[1]! & 0x80)) || (body[0] === 0xff && body[1]! & 0x80))) {
    malformed(field, 'INTEGER not minimally encoded');
  }
  return body;
}

/** Refuses a list longer than `max`: hostile input must not make the parser do unbounded work. */
export function bounded<T>(items: T[], max: number, field: string): T[] {
  if (items.length > max) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `${field}: ${items.length} entries; the limit is ${max}`, { field });
  }
  return items;
}
