/** Tells the format of a document from its bytes alone, never from a file name. */
import type { ReportFormat } from './report.js';

function startsWith(bytes: Uint8Array, ascii: string): boolean {
  if (bytes.length < ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[i] !== ascii.charCodeAt(i)) return false;
  return true;
}

export function detectFormat(bytes: Uint8Array): ReportFormat {
  let start = 0;
  if (startsWith(bytes, '\xef\xbb\xbf')) start = 3;
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)) start++;
  const head = bytes.subarray(start);
  if (startsWith(head, '%PDF-')) return 'pdf';
  if (startsWith(head, 'PK\x03\x04')) return 'ofd';
  if (startsWith(head, '\x89PNG') || startsWith(head, '\xff\xd8\xff')) return 'qr';
  if (head[0] === 0x7b /* { */ || startsWith(head, 'eyJ')) return 'jws';
  if (head[0] === 0x30 /* DER SEQUENCE */) return 'ses';
  return 'unknown';
}
