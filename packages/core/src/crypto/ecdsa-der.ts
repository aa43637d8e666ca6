/**
 * ECDSA and SM2 signatures travel raw (r‖s, JOSE) inside eLicense and as DER `SEQUENCE { r, s }` in
 * X.509, CRLs and CMS. This module is the only place that converts between the two.
 */
import { ElicenseError } from '../errors.js';

function trimInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  if (trimmed[0]! & 0x80) {
    const padded = new Uint8Array(trimmed.length + 1);
    padded.set(trimmed, 1);
    return padded;
  }
  return trimmed;
}

function derLength(length: number): number[] {
  return length < 0x80 ? [length] : [0x81, length];
}

/** r‖s (each `size` bytes) to DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function rawSignatureToDer(raw: Uint8Array, size = 32): Uint8Array {
  if (raw.length !== size * 2) {
    throw new ElicenseError('ERR_INVALID_INPUT', `raw signature must be ${size * 2} bytes, got ${raw.length}`);
  }
  const r = trimInteger(raw.subarray(0, size));
  const s = trimInteger(raw.subarray(size));
  const body = [0x02, ...derLength(r.length), ...r, 0x02, ...derLength(s.length), ...s];
  return Uint8Array.from([0x30, ...derLength(body.length), ...body]);
}

function readInteger(der: Uint8Array, offset: number, size: number): { value: Uint8Array; next: number } {
  if (der[offset] !== 0x02) throw new ElicenseError('ERR_ASN1_INVALID', 'signature: expected INTEGER');
  const length = der[offset + 1]!;
  if (length === 0 || length > size + 1 || offset + 2 + length > der.length) {
    throw new ElicenseError('ERR_ASN1_INVALID', 'signature: bad INTEGER length');
  }
  const value = der.subarray(offset + 2, offset + 2 + length);
  if (value[0]! & 0x80) throw new ElicenseError('ERR_ASN1_INVALID', 'signature: negative INTEGER');
  if (length > 1 && value[0] === 0 && !(value[1]! & 0x80)) {
    throw new ElicenseError('ERR_ASN1_INVALID', 'signature: INTEGER not minimally encoded');
  }
  const stripped = value[0] === 0 ? value.subarray(1) : value;
  if (stripped.length > size) throw new ElicenseError('ERR_ASN1_INVALID', 'signature: INTEGER too large');
  const out = new Uint8Array(size);
  out.set(stripped, size - stripped.length);
  return { value: out, next: offset + 2 + length };
}

/** Strict DER `SEQUENCE { r, s }` to r‖s; any trailing or non-minimal byte is an error. */
export function derSignatureToRaw(der: Uint8Array, size = 32): Uint8Array {
  if (der.length < 8 || der[0] !== 0x30) throw new ElicenseError('ERR_ASN1_INVALID', 'signature: expected SEQUENCE');
  let offset = 2;
  let length = der[1]!;
  if (length === 0x81) {
    length = der[2]!;
    offset = 3;
    if (length < 0x80) throw new ElicenseError('ERR_ASN1_INVALID', 'signature: non-minimal length');
  } else if (length > 0x80) {
    throw new ElicenseError('ERR_ASN1_INVALID', 'signature: bad SEQUENCE length');
  }
  if (offset + length !== der.length) throw new ElicenseError('ERR_ASN1_INVALID', 'signature: trailing bytes');
  const r = readInteger(der, offset, size);
  const s = readInteger(der, r.next, size);
  if (s.next !== der.length) throw new ElicenseError('ERR_ASN1_INVALID', 'signature: trailing bytes');
  const raw = new Uint8Array(size * 2);
  raw.set(r.value, 0);
  raw.set(s.value, size);
  return raw;
}
