/** Writing the SES structures as DER: the primitive fields GB/T 38540 uses, checked before they are written. */
import { utf8 } from '../bytes.js';
import { encodeGeneralizedTime, octetString, sequence } from '../cms/der-build.js';
import { rawSignatureToDer } from '../crypto/ecdsa-der.js';
import { ElicenseError } from '../errors.js';
import { encodeOid, encodeTlv, encodeUnsignedInteger } from '../pki/der.js';
import { TAG } from './ses-der.js';

export interface ExtDataInput {
  readonly oid: string;
  readonly critical?: boolean;
  readonly value: Uint8Array;
}

/** IA5String: ASCII only, so a non-ASCII esID or path is refused rather than silently mangled. */
export function ia5String(text: string, field: string): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new ElicenseError('ERR_INVALID_INPUT', `${field} must be printable ASCII (an IA5String)`, { field });
  return encodeTlv(TAG.ia5String, utf8(text));
}

export function utf8String(text: string): Uint8Array {
  return encodeTlv(TAG.utf8String, utf8(text));
}

export function printableString(text: string, field: string): Uint8Array {
  if (!/^[A-Za-z0-9 '()+,./:=?-]*$/.test(text)) throw new ElicenseError('ERR_INVALID_INPUT', `${field} must be a PrintableString`, { field });
  return encodeTlv(TAG.printableString, utf8(text));
}

export function integer(value: number, field: string): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${field} must be an integer from 0 to 2^32-1`, { field });
  }
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return encodeUnsignedInteger(bytes);
}

/** GeneralizedTime in whole seconds: seal readers in the field expect YYYYMMDDHHMMSSZ. */
export function generalizedTime(date: Date, field: string): Uint8Array {
  if (Number.isNaN(date.getTime())) throw new ElicenseError('ERR_INVALID_INPUT', `${field} is not a valid date`, { field });
  return encodeGeneralizedTime(new Date(Math.floor(date.getTime() / 1000) * 1000));
}

export function bitString(bytes: Uint8Array): Uint8Array {
  const body = new Uint8Array(bytes.length + 1);
  body.set(bytes, 1);
  return encodeTlv(TAG.bitString, body);
}

/** A signature value as GB/T 38540 stores it: BIT STRING of DER SEQUENCE { r, s } (GB/T 35276). */
export function signatureBitString(raw: Uint8Array): Uint8Array {
  return bitString(rawSignatureToDer(raw));
}

/** ExtensionDatas, `critical` always written (STANDARDS-CN §1.3: the readers in use require it). */
export function extDatas(entries: readonly ExtDataInput[]): Uint8Array {
  return sequence(
    ...entries.map((entry) => sequence(encodeOid(entry.oid), encodeTlv(TAG.boolean, Uint8Array.of(entry.critical ? 0xff : 0)), octetString(entry.value))),
  );
}
