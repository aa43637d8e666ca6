/**
 * PDF failures as ElicenseErrors. The shared error codes say "bad input" or "too large"; `kind` says
 * which PDF problem it was and `offset` where in the file, so a report can point at the bytes.
 */
import { ElicenseError } from '../../errors.js';

export type PdfErrorKind =
  /** Bytes that are not PDF syntax, or a structure that contradicts itself. */
  | 'PDF_MALFORMED'
  /** A configured limit (size, depth, count, work) was reached: refused, not parsed. */
  | 'PDF_LIMIT_EXCEEDED'
  /** A chain of references that comes back to itself (/Prev, /Length, object streams, page tree). */
  | 'PDF_REFERENCE_LOOP'
  /** Valid PDF that this reader deliberately does not handle (e.g. encryption, an unknown filter). */
  | 'PDF_UNSUPPORTED';

export class PdfError extends ElicenseError {
  readonly kind: PdfErrorKind;
  /** Byte offset in the file (or in a decoded object stream, as the message says). */
  readonly offset?: number;

  constructor(kind: PdfErrorKind, message: string, offset?: number, cause?: unknown) {
    const where = offset === undefined ? '' : ` (at byte ${offset})`;
    super(kind === 'PDF_LIMIT_EXCEEDED' ? 'ERR_INPUT_TOO_LARGE' : 'ERR_INVALID_INPUT', `${kind}: ${message}${where}`, {
      cause,
      field: 'pdf',
    });
    this.kind = kind;
    if (offset !== undefined) this.offset = offset;
  }
}

export function isPdfError(value: unknown, kind?: PdfErrorKind): value is PdfError {
  return value instanceof PdfError && (kind === undefined || value.kind === kind);
}

export function malformed(message: string, offset?: number): PdfError {
  return new PdfError('PDF_MALFORMED', message, offset);
}
