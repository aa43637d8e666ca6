/**
 * TSTInfo (RFC 3161 §2.4.2), the content a time-stamp token signs.
 *
 *   TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
 *     serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL,
 *     ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL,
 *     extensions [1] IMPLICIT Extensions OPTIONAL }
 *   Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER (1..999) OPTIONAL,
 *     micros [1] INTEGER (1..999) OPTIONAL }
 */
import { toHex } from '../bytes.js';
import { content, encodeOid, encodeTlv, encodeUnsignedInteger, readTlv, type Tlv } from '../pki/der.js';
import { encodeGeneralizedTime, sequence } from '../cms/der-build.js';
import { expectTag, fieldsOf, malformed, readIntegerBytes, readingField, readOid, readSmallInteger } from '../cms/der-read.js';
import { integerHex } from '../pki/certificate.js';
import { readMessageImprint, type MessageImprint } from './request.js';

export interface Accuracy {
  readonly seconds?: number;
  readonly millis?: number;
  readonly micros?: number;
}

export interface TstInfo {
  readonly version: number;
  readonly policy: string;
  readonly messageImprint: MessageImprint;
  /** Lowercase hex of the serial number's magnitude. */
  readonly serialNumber: string;
  readonly genTime: Date;
  readonly accuracy?: Accuracy;
  readonly ordering: boolean;
  /** Lowercase hex of the nonce INTEGER's content octets. */
  readonly nonce?: string;
}

function smallInteger(value: number): Uint8Array {
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return encodeUnsignedInteger(Uint8Array.from(bytes));
}

export function encodeAccuracy(accuracy: Accuracy): Uint8Array {
  const parts: Uint8Array[] = [];
  if (accuracy.seconds) parts.push(smallInteger(accuracy.seconds));
  // [0] and [1] IMPLICIT INTEGER: the INTEGER's content under a context tag.
  const implicit = (tag: number, value: number) => {
    const integer = smallInteger(value);
    return encodeTlv(tag, content(integer, readTlv(integer, 0)));
  };
  if (accuracy.millis) parts.push(implicit(0x80, accuracy.millis));
  if (accuracy.micros) parts.push(implicit(0x81, accuracy.micros));
  return sequence(...parts);
}

export interface TstInfoFields {
  readonly policy: string;
  readonly messageImprint: Uint8Array;
  readonly serialNumber: Uint8Array;
  readonly genTime: Date;
  readonly accuracy?: Accuracy;
  /** The request's nonce INTEGER content, echoed unchanged. */
  readonly nonce?: Uint8Array;
}

export function encodeTstInfo(fields: TstInfoFields): Uint8Array {
  return sequence(
    encodeUnsignedInteger(Uint8Array.of(1)),
    encodeOid(fields.policy),
    fields.messageImprint,
    fields.serialNumber,
    encodeGeneralizedTime(fields.genTime),
    fields.accuracy ? encodeAccuracy(fields.accuracy) : new Uint8Array(0),
    fields.nonce ? encodeTlv(0x02, fields.nonce) : new Uint8Array(0),
  );
}

const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d*[1-9]))?Z$/;

/** DER GeneralizedTime as RFC 3161 §2.4.2 allows it: UTC, seconds, an optional fraction without trailing zeros. */
export function parseGeneralizedTime(bytes: Uint8Array, tlv: Tlv | undefined, field: string): Date {
  const body = content(bytes, expectTag(tlv, 0x18, field));
  if (body.length > 32) malformed(field, 'GeneralizedTime too long');
  const match = GENERALIZED_TIME.exec(String.fromCharCode(...body));
  if (!match) malformed(field, 'expected GeneralizedTime YYYYMMDDHHMMSS[.f]Z');
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = match[7] ? Number(match[7].slice(0, 3).padEnd(3, '0')) : 0;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    malformed(field, 'time out of range');
  }
  return date;
}

function readAccuracy(bytes: Uint8Array, tlv: Tlv): Accuracy {
  const out: { seconds?: number; millis?: number; micros?: number } = {};
  for (const field of fieldsOf(bytes, tlv, 0x30, 'TSTInfo.accuracy')) {
    if (field.tag === 0x02) out.seconds = readSmallInteger(bytes, field, 'TSTInfo.accuracy.seconds');
    else if (field.tag === 0x80 || field.tag === 0x81) {
      const value = readSmallInteger(bytes, { ...field, tag: 0x02 }, 'TSTInfo.accuracy');
      if (value < 1 || value > 999) malformed('TSTInfo.accuracy', 'millis and micros must be 1 to 999');
      if (field.tag === 0x80) out.millis = value;
      else out.micros = value;
    } else malformed('TSTInfo.accuracy', 'unexpected field');
  }
  return out;
}

export function parseTstInfo(der: Uint8Array): TstInfo {
  const fields = readingField('TSTInfo', () => fieldsOf(der, readTlv(der, 0), 0x30, 'TSTInfo'));
  let at = 0;
  const version = readSmallInteger(der, fields[at++], 'TSTInfo.version');
  if (version !== 1) malformed('TSTInfo.version', `version ${version} is not 1`);
  const policy = readOid(der, fields[at++], 'TSTInfo.policy');
  const messageImprint = readMessageImprint(der, fields[at++], 'TSTInfo.messageImprint');
  const serialNumber = integerHex(readIntegerBytes(der, fields[at++], 'TSTInfo.serialNumber'));
  const genTime = parseGeneralizedTime(der, fields[at++], 'TSTInfo.genTime');
  const accuracy = fields[at]?.tag === 0x30 ? readAccuracy(der, fields[at++]!) : undefined;
  let ordering = false;
  if (fields[at]?.tag === 0x01) {
    const flag = content(der, fields[at++]!);
    if (flag.length !== 1 || (flag[0] !== 0 && flag[0] !== 0xff)) malformed('TSTInfo.ordering', 'bad BOOLEAN');
    ordering = flag[0] === 0xff;
  }
  const nonce = fields[at]?.tag === 0x02 ? toHex(readIntegerBytes(der, fields[at++], 'TSTInfo.nonce')) : undefined;
  if (fields[at]?.tag === 0xa0) at++;
  if (fields[at]?.tag === 0xa1) at++;
  if (at !== fields.length) malformed('TSTInfo', 'unexpected field');
  return {
    version,
    policy,
    messageImprint,
    serialNumber,
    genTime,
    ...(accuracy ? { accuracy } : {}),
    ordering,
    ...(nonce === undefined ? {} : { nonce }),
  };
}
