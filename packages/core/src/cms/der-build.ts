/**
 * Building blocks for writing CMS structures as DER. Certificates and names are spliced in as the
 * bytes received; only the CMS envelope is written here.
 */
import { concatBytes } from '../bytes.js';
import { encodeTlv } from '../pki/der.js';

export function sequence(...parts: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(0x30, concatBytes(...parts));
}

/** DER SET OF: the elements sorted by their encodings (X.690 §11.6), so the same set always has the same bytes. */
export function setOf(elements: readonly Uint8Array[], tag = 0x31): Uint8Array {
  return encodeTlv(tag, concatBytes(...[...elements].sort(compareBytes)));
}

export function octetString(bytes: Uint8Array): Uint8Array {
  return encodeTlv(0x04, bytes);
}

/** A constructed context tag `[n]` around `parts` (EXPLICIT, or IMPLICIT for a SET/SEQUENCE body). */
export function contextTag(n: number, ...parts: readonly Uint8Array[]): Uint8Array {
  return encodeTlv(0xa0 | n, concatBytes(...parts));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** UTCTime for 1950–2049 and GeneralizedTime otherwise, whole seconds, as RFC 5652 §11.3 asks of signing-time. */
export function encodeTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year < 2050) return encodeTlv(0x17, asciiBytes(`${pad(year % 100)}${rest}`));
  return encodeTlv(0x18, asciiBytes(`${pad(year, 4)}${rest}`));
}

/** DER GeneralizedTime with a fraction when there are milliseconds, trailing zeros dropped (X.690 §11.7). */
export function encodeGeneralizedTime(date: Date): Uint8Array {
  const millis = date.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${pad(millis, 3).replace(/0+$/, '')}`;
  const text =
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}${fraction}Z`;
  return encodeTlv(0x18, asciiBytes(text));
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
