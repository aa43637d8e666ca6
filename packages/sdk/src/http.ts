/**
 * One HTTP exchange with the repository: a timeout over the whole exchange (headers and body), and
 * retries with exponential backoff and jitter for idempotent requests on 429/502/503/504 and network
 * failures, honouring Retry-After. Only fetch and AbortController: runs in Node and in browsers.
 */
import { LicenseApiError, LicenseNetworkError } from './errors.js';

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpSettings {
  readonly fetch: FetchFunction;
  readonly timeoutMs: number;
  /** Further attempts after the first, for idempotent requests. */
  readonly retries: number;
  /** A Retry-After longer than this is not waited for: the answer goes back to the caller. */
  readonly maxRetryAfterMs: number;
  /** First backoff step; doubled on each retry. */
  readonly backoffMs: number;
  /** Bodies larger than this are refused: the repository is trusted to answer, not to answer anything. */
  readonly maxBodyBytes: number;
}

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Safe to send again: GETs and the token request. Anything else is sent once. */
  readonly idempotent: boolean;
}

export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const BACKOFF_CAP_MS = 8000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so clients that failed together spread out. */
function backoff(settings: HttpSettings, retry: number): number {
  const step = Math.min(BACKOFF_CAP_MS, settings.backoffMs * 2 ** retry);
  return step / 2 + Math.random() * (step / 2);
}

async function readBody(response: Response, limit: number, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new LicenseApiError({ status: response.status, code: 'RESPONSE_TOO_LARGE', detail: `the answer (${declared} bytes) is larger than the ${limit} bytes accepted`, url });
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new LicenseApiError({ status: response.status, code: 'RESPONSE_TOO_LARGE', detail: `the answer is larger than the ${limit} bytes accepted`, url });
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** One attempt, headers and body within the timeout. */
async function attempt(settings: HttpSettings, request: HttpRequest): Promise<HttpResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutSignal(settings.timeoutMs)), settings.timeoutMs);
  try {
    const response = await settings.fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.headers ?? {},
      // The SDK is the cache (document-cache.ts): it knows when a copy was made. A browser's HTTP cache
      // would hand back an older copy as if it were fresh, stretching how stale a status list can be.
      cache: 'no-store',
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: controller.signal,
    });
    const body = await readBody(response, settings.maxBodyBytes, request.url);
    return { url: request.url, status: response.status, headers: response.headers, body };
  } finally {
    clearTimeout(timer);
  }
}

/** The abort reason for a timeout, so a timeout can be told from other failures. */
class TimeoutSignal extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

function describe(error: unknown): { message: string; timedOut: boolean } {
  if (error instanceof TimeoutSignal) return { message: error.message, timedOut: true };
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return { message: error.message || 'timed out', timedOut: true };
    // Node's fetch puts the reason (ECONNREFUSED, …) in `cause`; browsers say only "Failed to fetch".
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { message: cause?.code ?? cause?.message ?? error.message, timedOut: false };
  }
  return { message: String(error), timedOut: false };
}

/**
 * Sends the request, retrying where that is safe. Returns any HTTP answer (the caller judges the
 * status); throws LicenseNetworkError when no answer came after the allowed attempts.
 */
export async function send(settings: HttpSettings, request: HttpRequest): Promise<HttpResponse> {
  const attempts = request.idempotent ? settings.retries + 1 : 1;
  let lastError: unknown;
  let timedOut = false;
  for (let n = 0; n < attempts; n++) {
    const last = n === attempts - 1;
    let response: HttpResponse;
    try {
      response = await attempt(settings, request);
    } catch (error) {
      if (error instanceof LicenseApiError) throw error;
      lastError = error;
      timedOut = describe(error).timedOut;
      if (!last) await sleep(backoff(settings, n));
      continue;
    }
    if (last || !RETRYABLE_STATUS.has(response.status)) return response;
    const asked = retryAfterMs(response.headers.get('retry-after'));
    if (asked !== undefined && asked > settings.maxRetryAfterMs) return response;
    await sleep(Math.max(asked ?? 0, backoff(settings, n)));
  }
  const { message } = describe(lastError);
  const where = (() => {
    try {
      return new URL(request.url).origin;
    } catch {
      return request.url;
    }
  })();
  throw new LicenseNetworkError(`cannot reach ${where} (${attempts} attempt${attempts === 1 ? '' : 's'}): ${message}`, { attempts, timedOut, cause: lastError });
}

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  requestId?: unknown;
  errors?: unknown;
}

/** The problem details in an error answer, as a LicenseApiError. */
export function apiError(response: HttpResponse): LicenseApiError {
  let problem: ProblemBody = {};
  const type = response.headers.get('content-type') ?? '';
  if (/json/i.test(type)) {
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(response.body));
      if (parsed && typeof parsed === 'object') problem = parsed as ProblemBody;
    } catch {
      // Not JSON after all: the status alone says what happened.
    }
  }
  const text = (value: unknown) => (typeof value === 'string' && value.length <= 2000 ? value : undefined);
  const requestId = text(problem.requestId) ?? response.headers.get('x-request-id') ?? undefined;
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter((e): e is { field: string; message: string } => !!e && typeof e.field === 'string' && typeof e.message === 'string')
    : undefined;
  return new LicenseApiError({
    status: response.status,
    code: text(problem.code) ?? `HTTP_${response.status}`,
    detail: text(problem.detail) ?? text(problem.title) ?? `HTTP ${response.status}`,
    ...(requestId ? { requestId } : {}),
    ...(errors?.length ? { errors } : {}),
    url: response.url,
  });
}
