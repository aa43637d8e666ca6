/**
 * Errors as RFC 9457 problem details (`application/problem+json`) with a stable `code` clients can switch
 * on. Only messages written for clients leave the server: anything unexpected becomes a 500 that names
 * the request id, and the details go to the log.
 */
import type { ErrorRequestHandler, Response } from 'express';
import { requestFields } from './request-log.js';

export const PROBLEM_CODES = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  INVALID_CLIENT: 401,
  FORBIDDEN: 403,
  SCOPE_MISSING: 403,
  CONSENT_REQUIRED: 403,
  LICENSE_TYPE_NOT_AUTHORIZED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  INVALID_STATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_ACCEPTABLE: 406,
  RATE_LIMITED: 429,
  NOT_READY: 503,
  INTERNAL: 500,
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: { errors?: readonly FieldError[]; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'Problem';
    this.status = PROBLEM_CODES[code];
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 406: 'Not Acceptable', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function sendProblem(res: Response, problem: Problem, requestId?: string): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify({
      type: `https://elicense.dev/problems/${problem.code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      code: problem.code,
      detail: problem.detail,
      ...(requestId ? { requestId } : {}),
      ...problem.extra,
    }));
}

/** Body-parser errors carry a `type` and a `status`; map them to problems without echoing the body. */
function fromHttpError(error: { type?: string; status?: number }): Problem | undefined {
  if (error.type === 'entity.too.large') return new Problem('PAYLOAD_TOO_LARGE', 'the request body is larger than the server accepts');
  if (error.type === 'entity.parse.failed') return new Problem('BAD_REQUEST', 'the request body is not valid JSON');
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') return new Problem('UNSUPPORTED_MEDIA_TYPE', 'unsupported body encoding');
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) return new Problem('BAD_REQUEST', 'the request could not be read');
  return undefined;
}

export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const problem = error instanceof Problem ? error : fromHttpError(error ?? {});
  const requestId = String(req.id ?? '');
  if (problem) {
    sendProblem(res, problem, requestId);
    return;
  }
  req.log.error({ err: error, req: requestFields(req) }, 'unhandled error');
  sendProblem(res, new Problem('INTERNAL', 'the server could not complete the request; quote the request id when reporting it'), requestId);
};
