/**
 * Where status lists come from. A license names its lists by URL, and a hostile license could name any
 * URL (an internal service, say): only the repository's own status URLs, and prefixes the integrator
 * allows, are fetched. The repository's public URL (the one inside licenses) may differ from the address
 * the SDK reaches it at (a gateway, a test port); such URLs are fetched at the SDK's address instead.
 */
import type { StatusResolver } from '@elicense/core';
import type { DocumentCache } from './document-cache.js';

export interface StatusSourceOptions {
  readonly cache: DocumentCache;
  /** The repository as the SDK reaches it. */
  readonly baseUrl: string;
  /** The repository as its licenses name it (ELICENSE_PUBLIC_URL on the server). */
  readonly publicUrl: string;
  /** Further status-list URL prefixes fetched as they are (other repositories). */
  readonly extraPrefixes: readonly string[];
  /** How old a copy may be and still count (maxStatusAge), for the message. */
  readonly maxAgeSeconds: number;
}

function normalised(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    if (parsed.username || parsed.password || parsed.search || parsed.hash) return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}

/** The URL to fetch for a status list a license names, or undefined when it is not one the SDK may fetch. */
export function statusFetchUrl(url: string, options: Pick<StatusSourceOptions, 'baseUrl' | 'publicUrl' | 'extraPrefixes'>): string | undefined {
  const target = normalised(url);
  if (!target) return undefined;
  const own = `${options.publicUrl}/status/`;
  if (target.startsWith(own)) {
    const mapped = normalised(`${options.baseUrl}/status/${target.slice(own.length)}`);
    return mapped?.startsWith(`${options.baseUrl}/status/`) ? mapped : undefined;
  }
  return options.extraPrefixes.some((prefix) => target.startsWith(prefix)) ? target : undefined;
}

/**
 * The resolver core calls for each status list. A list that cannot be had is an error whose message
 * core puts in the report: the license status is then INDETERMINATE (TRY_LATER), never passed.
 */
export function createStatusResolver(options: StatusSourceOptions): StatusResolver {
  return async (url) => {
    const fetchUrl = statusFetchUrl(url, options);
    if (!fetchUrl) throw new Error(`not fetched: ${url} is not a status list of ${options.publicUrl} or an allowed prefix`);
    const found = await options.cache.get(url, fetchUrl, { headers: { accept: 'application/vc+jwt, application/jwt, */*' } });
    if (!found.ok) throw new Error(`no current copy (a copy may be used for at most ${options.maxAgeSeconds} s): ${found.reason}`);
    return found.document.text;
  };
}
