/** Option checks and HTTP settings shared by the license client and the public verifier. */
import { LicenseSdkError } from './errors.js';
import type { FetchFunction, HttpSettings } from './http.js';

/** An http(s) URL without its trailing slash. */
export function baseOf(url: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LicenseSdkError(`${name} is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new LicenseSdkError(`${name} must be an http(s) URL`);
  return parsed.href.replace(/\/+$/, '');
}

export function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new LicenseSdkError(`${name} must be a number ≥ 0`);
  return value;
}

export interface HttpOptions {
  /** Per request, headers and body. Default 10000. */
  readonly timeoutMs?: number;
  /** Further attempts for idempotent requests on 429/502/503/504 and network failures. Default 3. */
  readonly retries?: number;
  readonly fetch?: FetchFunction;
}

export function httpSettings(options: HttpOptions): HttpSettings {
  const fetchFunction: FetchFunction | undefined = options.fetch ?? (typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined);
  if (!fetchFunction) throw new LicenseSdkError('no fetch: pass options.fetch');
  return {
    fetch: fetchFunction,
    timeoutMs: positive(options.timeoutMs, 10_000, 'timeoutMs'),
    retries: Math.floor(positive(options.retries, 3, 'retries')),
    maxRetryAfterMs: 30_000,
    backoffMs: 200,
    maxBodyBytes: 64 << 20,
  };
}
