/**
 * Every error thrown by @elicense/core carries a stable `code`. Callers and tests branch on the code,
 * never on the message text, which may be reworded.
 */
export type ErrorCode =
  | 'ERR_INVALID_INPUT'
  | 'ERR_INPUT_TOO_LARGE'
  | 'ERR_JSON_INVALID'
  | 'ERR_JSON_DUPLICATE_MEMBER'
  | 'ERR_JSON_TOO_DEEP'
  | 'ERR_JWS_INVALID'
  | 'ERR_JWS_ALG_NOT_ALLOWED'
  | 'ERR_JWS_CRIT_UNSUPPORTED'
  | 'ERR_JWS_SIGNATURE_INVALID'
  | 'ERR_ALG_UNSUPPORTED'
  | 'ERR_KEY_INVALID'
  | 'ERR_KEY_DECRYPT_FAILED'
  | 'ERR_ASN1_INVALID'
  | 'ERR_CERT_INVALID'
  | 'ERR_CRL_INVALID'
  | 'ERR_IDENTIFIER_INVALID'
  | 'ERR_LICENSE_TYPE_UNKNOWN'
  | 'ERR_LICENSE_SCHEMA'
  | 'ERR_LICENSE_INVALID'
  | 'ERR_TRUST_LIST_INVALID'
  | 'ERR_STATUS_LIST_INVALID'
  | 'ERR_PDF_INVALID'
  | 'ERR_QR_INVALID'
  | 'ERR_TIMESTAMP_FAILED';

export class ElicenseError extends Error {
  override readonly name = 'ElicenseError';
  readonly code: ErrorCode;
  /** The input field or path the error is about, when there is one (e.g. `credentialSubject.法定代表人`). */
  readonly field?: string;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; field?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
  }
}

export function isElicenseError(value: unknown, code?: ErrorCode): value is ElicenseError {
  return value instanceof ElicenseError && (code === undefined || value.code === code);
}
