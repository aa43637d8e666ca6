/**
 * Text strings (ISO 32000-2 §7.9.2): UTF-16BE or UTF-8 with a byte order mark, otherwise
 * PDFDocEncoding, approximated by Latin-1 (they differ only in rarely used punctuation slots).
 * Dates (§7.9.4) as `D:YYYYMMDDHHmmSSOHH'mm`.
 */
import { PdfString } from './objects.js';
import type { PdfObject } from './objects.js';

const utf16 = new TextDecoder('utf-16be');
const utf8 = new TextDecoder('utf-8');

export function decodeTextString(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16.decode(bytes.subarray(2));
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8.decode(bytes.subarray(3));
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

export function textOf(value: PdfObject | undefined): string | undefined {
  return value instanceof PdfString ? decodeTextString(value.bytes) : undefined;
}

const DATE = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(?:(\d{2})'?)?)?)?$/;

/** A PDF date as an ISO 8601 string in UTC, or undefined when it does not parse. */
export function parsePdfDate(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [year, month = '01', day = '01', hour = '00', minute = '00', second = '00'] = m.slice(1, 7) as [string, ...(string | undefined)[]];
  const sign = m[7];
  const offsetMinutes = sign === '+' || sign === '-' ? (sign === '-' ? -1 : 1) * (Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0)) : 0;
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) - offsetMinutes * 60_000;
  return Number.isNaN(utc) ? undefined : new Date(utc).toISOString();
}
