/**
 * The DER readers the seal parsers share. Real seal files bend the rules in known ways (STANDARDS-CN
 * §1.3, §1.6): GeneralizedTime with fractions or without a zone, signature values as bare r‖s,
 * optional fields tagged EXPLICIT, IMPLICIT or not at all. Each reader accepts exactly those variants
 * and turns anything else into ERR_ASN1_INVALID naming the field.
 */
import { fieldsOf, malformed, readingField, bounded } from '../cms/der-read.js';
import { content, decodeOid, type Tlv } from '../pki/der.js';
import { derSignatureToRaw } from '../crypto/ecdsa-der.js';
import type { SesExtData, SesSignatureValue } from './types.js';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  context0: 0xa0,
} as const;

/** The string types seal writers use for text fields the standard types as IA5String or UTF8String. */
export const TEXT_TAGS: readonly number[] = [TAG.ia5String, TAG.utf8String, TAG.printableString];

/** A seal carries a picture (sometimes a whole OFD file) and certificates; 8 MiB is far above any real one. */
export const MAX_SES_BYTES = 8 * 1024 * 1024;
/** Certificates or digests a seal may list, and extension entries anywhere. */
export const MAX_CERT_LIST = 256;
export const MAX_EXT_DATAS = 64;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function readText(bytes: Uint8Array, tlv: Tlv | undefined, tags: readonly number[], field: string): string {
  if (!tlv || !tags.includes(tlv.tag)) malformed(field, tlv ? `unexpected tag 0x${tlv.tag.toString(16)} for a string` : 'missing');
  try {
    return utf8Decoder.decode(content(bytes, tlv));
  } catch (error) {
    return malformed(field, 'not valid UTF-8 text', error);
  }
}

export function readOctets(bytes: Uint8Array, tlv: Tlv | undefined, field: string): Uint8Array {
  if (tlv?.tag !== TAG.octetString) malformed(field, 'expected an OCTET STRING');
  return content(bytes, tlv);
}

/** A BIT STRING of whole bytes (unused-bits octet 0), without that octet. */
export function bitStringBytes(body: Uint8Array, field: string): Uint8Array {
  if (body.length < 1 || body[0] !== 0) malformed(field, 'BIT STRING must hold whole bytes');
  return body.subarray(1);
}

export function readBitString(bytes: Uint8Array, tlv: Tlv | undefined, field: string): Uint8Array {
  if (tlv?.tag !== TAG.bitString) malformed(field, 'expected a BIT STRING');
  return bitStringBytes(content(bytes, tlv), field);
}

/** DER SEQUENCE { r, s } or a bare 64-byte r‖s; anything else is kept but can never verify. */
export function signatureValue(bits: Uint8Array): SesSignatureValue {
  if (bits[0] === TAG.sequence) {
    try {
      return { raw: derSignatureToRaw(bits), encoding: 'der', bytes: bits };
    } catch {
      // A 64-byte raw value may start with 0x30 by chance; tried below.
    }
  }
  if (bits.length === 64) return { raw: bits, encoding: 'raw', bytes: bits };
  return { raw: new Uint8Array(0), encoding: 'unreadable', bytes: bits };
}

/** A small non-negative INTEGER; seal files are not always minimally encoded, so leading zeros are allowed. */
export function readNumber(bytes: Uint8Array, tlv: Tlv | undefined, field: string): number {
  if (tlv?.tag !== TAG.integer) malformed(field, 'expected an INTEGER');
  const body = content(bytes, tlv);
  if (body.length === 0 || body[0]! & 0x80) malformed(field, 'expected a non-negative INTEGER');
  let value = 0;
  for (const byte of body) {
    value = value * 256 + byte;
    if (value > 0xffffffff) malformed(field, 'INTEGER too large');
  }
  return value;
}

export function readOidText(bytes: Uint8Array, tlv: Tlv | undefined, field: string): string {
  if (tlv?.tag !== TAG.oid) malformed(field, 'expected an OBJECT IDENTIFIER');
  return readingField(field, () => decodeOid(content(bytes, tlv)));
}

const TIME_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{4})?$/;
const UTC_TIME_PATTERN = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;

/**
 * A time as seal files write it. A zone-less GeneralizedTime is local time; these files come from
 * Chinese systems, so it is read as Beijing time (UTC+8) rather than guessed to be UTC.
 */
export function parseSealTime(text: string): Date | undefined {
  let year: number, rest: string[], fraction = '', zone: string | undefined;
  const general = TIME_PATTERN.exec(text);
  if (general) {
    year = Number(general[1]);
    rest = general.slice(2, 7) as string[];
    fraction = general[7] ?? '';
    zone = general[8];
  } else {
    const utc = UTC_TIME_PATTERN.exec(text);
    if (!utc) return undefined;
    const yy = Number(utc[1]);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    rest = [utc[2]!, utc[3]!, utc[4]!, utc[5]!, utc[6] ?? '00'];
    zone = utc[7];
  }
  const [month, day, hour, minute, second] = rest.map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMinutes = zone === undefined ? 480 : zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3)));
  const millis = fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function readTime(bytes: Uint8Array, tlv: Tlv | undefined, field: string): Date {
  const text = readText(bytes, tlv, [TAG.generalizedTime, TAG.utcTime], field);
  return parseSealTime(text) ?? malformed(field, `unreadable time "${text.slice(0, 40)}"`);
}

/** ExtensionDatas ::= SEQUENCE OF SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
export function readExtDatas(bytes: Uint8Array, list: Tlv, field: string): SesExtData[] {
  const entries = bounded(fieldsOf(bytes, list, list.tag, field), MAX_EXT_DATAS, field);
  return entries.map((entry, i) => {
    const where = `${field}[${i}]`;
    const parts = fieldsOf(bytes, entry, TAG.sequence, where);
    const [oid, second, third] = parts;
    const hasCritical = second?.tag === TAG.boolean;
    const value = hasCritical ? third : second;
    if (parts.length !== (hasCritical ? 3 : 2)) malformed(where, 'expected { extnID, critical?, extnValue }');
    const critical = hasCritical && content(bytes, second).some((b) => b !== 0);
    return { oid: readOidText(bytes, oid, `${where}.extnID`), critical, value: readOctets(bytes, value, `${where}.extnValue`) };
  });
}

/**
 * An optional `[0]` that holds a SEQUENCE OF ExtData: EXPLICIT (A0 { 30 { 30 … } }, what ofdrw and real
 * files write), IMPLICIT (A0 { 30 … }) or untagged (30 { 30 … }).
 */
export function readTaggedExtDatas(bytes: Uint8Array, tlv: Tlv, field: string): SesExtData[] {
  if (tlv.tag === TAG.sequence) return readExtDatas(bytes, tlv, field);
  const inner = fieldsOf(bytes, tlv, TAG.context0, field);
  const only = inner[0];
  const explicit = inner.length === 1 && only?.tag === TAG.sequence && fieldsOf(bytes, only, TAG.sequence, field)[0]?.tag !== TAG.oid;
  return explicit ? readExtDatas(bytes, only, field) : readExtDatas(bytes, tlv, field);
}

/**
 * An optional timestamp `[0] BIT STRING`: EXPLICIT (A0 { 03 }), IMPLICIT (80 or 83, primitive), or an
 * untagged BIT STRING. Returns the token bytes.
 */
export function readTaggedTimeStamp(bytes: Uint8Array, tlv: Tlv, field: string): Uint8Array {
  if (tlv.tag === TAG.bitString) return readBitString(bytes, tlv, field);
  if (tlv.tag === 0x80 || tlv.tag === 0x83) return bitStringBytes(content(bytes, tlv), field);
  const inner = fieldsOf(bytes, tlv, TAG.context0, field);
  if (inner.length !== 1) malformed(field, 'expected one BIT STRING inside [0]');
  return readBitString(bytes, inner[0], field);
}
