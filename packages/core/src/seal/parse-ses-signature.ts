/**
 * Reads an electronic seal signature (SES_Signature) of any version. v1 (GM/T 0031-2014) has two
 * elements, TBS_Sign carrying the signer certificate and algorithm; v4 and v5 have four or five, and
 * the embedded seal's header tells them apart (STANDARDS-CN §1.4).
 */
import { fieldsOf, malformed } from '../cms/der-read.js';
import { content, slice, type Tlv } from '../pki/der.js';
import { readSesSeal, readSesTop } from './parse-ses-seal.js';
import {
  TAG,
  TEXT_TAGS,
  bitStringBytes,
  parseSealTime,
  readBitString,
  readNumber,
  readOctets,
  readOidText,
  readTaggedExtDatas,
  readTaggedTimeStamp,
  readText,
  signatureValue,
} from './ses-der.js';
import type { ParsedSesSignature, SesVersion } from './types.js';

const strictText = new TextDecoder('utf-8', { fatal: true });

/**
 * timeInfo: GeneralizedTime in v4 and v5; in v1 a BIT STRING holding a timestamp or the time as text
 * (the real v1 sample writes ISO 8601 text such as 2020-01-25T07:31:56.377Z).
 */
function readTimeInfo(bytes: Uint8Array, tlv: Tlv | undefined, field: string): { text: string; time?: Date } {
  let text: string;
  if (tlv?.tag === TAG.bitString) {
    const octets = bitStringBytes(content(bytes, tlv), field);
    try {
      text = strictText.decode(octets);
    } catch {
      return { text: `(binary, ${octets.length} bytes)` };
    }
  } else {
    text = readText(bytes, tlv, [TAG.generalizedTime, TAG.utcTime], field);
  }
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text) ? new Date(text) : undefined;
  const time = parseSealTime(text) ?? (iso && !Number.isNaN(iso.getTime()) ? iso : undefined);
  return time ? { text, time } : { text };
}

function readDataHash(bytes: Uint8Array, tlv: Tlv | undefined, field: string): Uint8Array {
  const hash = readBitString(bytes, tlv, field);
  if (hash.length === 0 || hash.length > 64) malformed(field, `a hash of ${hash.length} bytes`);
  return hash;
}

/** Parses a DER SES_Signature (an OFD SignedValue.dat): v1, v4 or v5. Malformed input is ERR_ASN1_INVALID naming the field. */
export function parseSesSignature(der: Uint8Array): ParsedSesSignature {
  const bytes = der.slice();
  const top = readSesTop(bytes, 'SES_Signature');
  const parts = fieldsOf(bytes, top, TAG.sequence, 'SES_Signature');
  const [toSign, second, third, fourth, fifth] = parts;
  const tbsField = 'SES_Signature.toSign';
  const tbs = fieldsOf(bytes, toSign, TAG.sequence, tbsField);
  const [version, eseal, timeInfo, dataHash, propertyInfo, ...tail] = tbs;
  readNumber(bytes, version, `${tbsField}.version`);
  if (eseal?.tag !== TAG.sequence) malformed(`${tbsField}.eseal`, 'expected a SESeal');
  const seal = readSesSeal(bytes, eseal, `${tbsField}.eseal`);
  const time = readTimeInfo(bytes, timeInfo, `${tbsField}.timeInfo`);
  const common = {
    der: bytes,
    signedBytes: slice(bytes, toSign!),
    seal,
    signingTimeText: time.text,
    ...(time.time ? { signingTime: time.time } : {}),
    dataHash: readDataHash(bytes, dataHash, `${tbsField}.dataHash`),
    propertyInfo: readText(bytes, propertyInfo, TEXT_TAGS, `${tbsField}.propertyInfo`),
  };

  if (parts.length === 2) {
    if (tail.length !== 2) malformed(tbsField, `a v1 TBS_Sign has 7 fields, found ${tbs.length}`);
    const [cert, alg] = tail;
    return {
      version: 1,
      ...common,
      extDatas: [],
      signerCertificate: readOctets(bytes, cert, `${tbsField}.cert`),
      signatureAlgorithm: readOidText(bytes, alg, `${tbsField}.signatureAlgorithm`),
      signature: signatureValue(readBitString(bytes, second, 'SES_Signature.signature')),
    };
  }
  if (parts.length !== 4 && parts.length !== 5) malformed('SES_Signature', `expected 2 (v1), 4 or 5 elements, found ${parts.length}`);
  if (tail.length > 1) malformed(tbsField, `a v4 TBS_Sign has 5 or 6 fields, found ${tbs.length}`);
  const versionOf: SesVersion = seal.version === 5 ? 5 : 4;
  return {
    version: versionOf,
    ...common,
    extDatas: tail[0] ? readTaggedExtDatas(bytes, tail[0], `${tbsField}.extDatas`) : [],
    signerCertificate: readOctets(bytes, second, 'SES_Signature.cert'),
    signatureAlgorithm: readOidText(bytes, third, 'SES_Signature.signatureAlgID'),
    signature: signatureValue(readBitString(bytes, fourth, 'SES_Signature.signature')),
    ...(fifth ? { timeStamp: readTaggedTimeStamp(bytes, fifth, 'SES_Signature.timeStamp') } : {}),
  };
}
