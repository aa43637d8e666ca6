/**
 * Public documents (status lists, the trust list, CRLs) kept in memory the way an HTTP cache keeps
 * them: fresh for the response's max-age (less its Age), capped by the caller's limit; revalidated with
 * If-None-Match so an unchanged list costs a 304; concurrent requests for one document share one fetch.
 * When a refresh fails, a copy no older than `staleLimitMs` still serves; an older one never does.
 */
import { send, type HttpSettings } from './http.js';

const FAILURE_MEMORY_MS = 5000;

export interface CachedDocument {
  readonly body: Uint8Array;
  /** The body as text, decoded once: core memoises verified status lists by this exact string. */
  readonly text: string;
  readonly etag?: string;
  /** When the server produced this copy, on the SDK's clock (ms). */
  fetchedAt: number;
  freshForMs: number;
}

export type Lookup =
  | { readonly ok: true; readonly document: CachedDocument }
  | { readonly ok: false; readonly reason: string };

export interface CacheLimits {
  /** The longest a copy is used without asking the server again, whatever its max-age says. */
  readonly maxFreshMs: number;
  /** The oldest a copy may be and still serve when the server cannot be asked. */
  readonly staleLimitMs: number;
}

/** max-age in ms (the copy's age is counted from when it was made, see ageMs), or 0 when the answer may not be reused without asking (no-store, no-cache, none given). */
export function freshnessMs(headers: Headers): number {
  const cacheControl = (headers.get('cache-control') ?? '').toLowerCase();
  if (/(^|,)\s*(no-store|no-cache)\b/.test(cacheControl)) return 0;
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d{1,9})"?/.exec(cacheControl);
  return maxAge ? Number(maxAge[1]) * 1000 : 0;
}

/** The Age header (ms): how long a shared cache on the way already held the answer. */
function ageMs(headers: Headers): number {
  return Number(/^\d{1,9}$/.exec((headers.get('age') ?? '').trim())?.[0] ?? '0') * 1000;
}

export class DocumentCache {
  private readonly entries = new Map<string, CachedDocument>();
  private readonly pending = new Map<string, Promise<Lookup>>();
  /** Recent failures: while one is remembered, callers get the answer at once instead of waiting on retries again. */
  private readonly failures = new Map<string, { reason: string; until: number }>();

  constructor(
    private readonly http: HttpSettings,
    private readonly now: () => number,
    private readonly limits: CacheLimits,
    /** Told when a document is replaced by a newer copy, so memos keyed by the old one can go. */
    private readonly onReplaced: (old: CachedDocument) => void = () => undefined,
  ) {}

  /** The cached copy, whatever its age (for bundles and tests). */
  peek(key: string): CachedDocument | undefined {
    return this.entries.get(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Puts a document in as if just fetched (offline bundles, documents handed over by the caller). */
  seed(key: string, text: string, fetchedAt: number): void {
    this.entries.set(key, { body: new TextEncoder().encode(text), text, fetchedAt, freshForMs: Number.POSITIVE_INFINITY });
  }

  /**
   * The document for `key`, fetched from `url` when the cached copy is not fresh. `force` asks the
   * server even when the copy is fresh (bundles are exported from current copies).
   */
  get(key: string, url: string, options: { force?: boolean; headers?: Record<string, string> } = {}): Promise<Lookup> {
    const cached = this.entries.get(key);
    if (cached && !options.force && this.now() - cached.fetchedAt < Math.min(cached.freshForMs, this.limits.maxFreshMs)) {
      return Promise.resolve({ ok: true, document: cached });
    }
    const failure = this.failures.get(key);
    if (failure && !options.force && this.now() < failure.until) return Promise.resolve(this.fallback(cached, failure.reason));
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.refresh(key, url, cached, options.headers ?? {}).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async refresh(key: string, url: string, cached: CachedDocument | undefined, headers: Record<string, string>): Promise<Lookup> {
    const asked = this.now();
    let reason: string;
    try {
      const response = await send(this.http, {
        url,
        idempotent: true,
        headers: { ...headers, ...(cached?.etag ? { 'if-none-match': cached.etag } : {}) },
      });
      const fresh = freshnessMs(response.headers);
      const age = ageMs(response.headers);
      if (response.status === 304 && cached) {
        this.failures.delete(key);
        cached.fetchedAt = asked - age;
        cached.freshForMs = fresh;
        return { ok: true, document: cached };
      }
      if (response.status === 200) {
        const text = new TextDecoder().decode(response.body);
        const etag = response.headers.get('etag') ?? undefined;
        const document: CachedDocument = { body: response.body, text, ...(etag ? { etag } : {}), fetchedAt: asked - age, freshForMs: fresh };
        if (cached && cached.text !== text) this.onReplaced(cached);
        this.failures.delete(key);
        this.entries.set(key, document);
        return { ok: true, document };
      }
      reason = `HTTP ${response.status} from ${url}`;
    } catch (error) {
      reason = (error as Error).message;
    }
    this.failures.set(key, { reason, until: this.now() + FAILURE_MEMORY_MS });
    return this.fallback(cached, reason);
  }

  /** After a failed refresh: the held copy while it is young enough, else the failure. */
  private fallback(cached: CachedDocument | undefined, reason: string): Lookup {
    if (cached && this.now() - cached.fetchedAt <= this.limits.staleLimitMs) return { ok: true, document: cached };
    const held = cached ? `; the copy held is ${Math.round((this.now() - cached.fetchedAt) / 1000)} s old, more than the ${Math.round(this.limits.staleLimitMs / 1000)} s allowed` : '';
    return { ok: false, reason: `${reason}${held}` };
  }
}
