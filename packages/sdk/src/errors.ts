/**
 * What the SDK throws. Callers switch on the class (and on `code` for answers from the repository); a
 * verification that does not pass is never an error: it is a report.
 */

/** The base class: anything the SDK itself refuses or cannot do. */
export class LicenseSdkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LicenseSdkError';
  }
}

/** The repository answered with an error (RFC 9457 problem details). */
export class LicenseApiError extends LicenseSdkError {
  /** The HTTP status. */
  readonly status: number;
  /** The server's stable problem code, e.g. CONSENT_REQUIRED, NOT_FOUND, RATE_LIMITED; HTTP_<status> when the body had none. */
  readonly code: string;
  readonly detail: string;
  /** The request id the server logged the request under: quote it when reporting a problem. */
  readonly requestId?: string;
  /** Field errors of a VALIDATION_FAILED or BAD_REQUEST answer. */
  readonly errors?: readonly { readonly field: string; readonly message: string }[];

  constructor(init: { status: number; code: string; detail: string; requestId?: string; errors?: readonly { field: string; message: string }[]; url: string }) {
    super(`${init.code} (HTTP ${init.status}) from ${init.url}: ${init.detail}${init.requestId ? ` [request ${init.requestId}]` : ''}`);
    this.name = 'LicenseApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.errors !== undefined) this.errors = init.errors;
  }
}

/** The repository could not be reached: connection refused or reset, DNS, or no answer within the timeout. */
export class LicenseNetworkError extends LicenseSdkError {
  /** How many requests were made before giving up. */
  readonly attempts: number;
  readonly timedOut: boolean;

  constructor(message: string, init: { attempts: number; timedOut: boolean; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'LicenseNetworkError';
    this.attempts = init.attempts;
    this.timedOut = init.timedOut;
  }
}
