/** PDF text strings and dates as they appear in signature dictionaries and form fields. */
import { PDFHexString, PDFString, type PDFObject } from 'pdf-lib';
import { ElicenseError } from '../../errors.js';

/**
 * A text string (ISO 32000-2 7.9.2.2): printable ASCII as a literal string with its delimiters escaped,
 * anything else (Chinese names, reasons, places) as UTF-16BE with a byte order mark.
 */
export function pdfTextString(text: string): PDFObject {
  if (/^[\x20-\x7e]*$/.test(text)) return PDFString.of(text.replace(/[\\()]/g, (c) => `\\${c}`));
  return PDFHexString.fromText(text);
}

/** `D:YYYYMMDDHHmmSS+00'00'` in UTC: the form every reader accepts for /M. */
export function pdfDate(date: Date, field: string): PDFObject {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'not a date a PDF can carry', { field });
  }
  const two = (n: number) => String(n).padStart(2, '0');
  const text =
    `D:${String(year).padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}` +
    `${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}+00'00'`;
  return PDFString.of(text);
}
