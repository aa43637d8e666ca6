/**
 * JSON Canonicalization Scheme (RFC 8785) for the values eLicense hashes: the same data always gives the
 * same bytes, whichever program wrote it. Numbers use ECMAScript's shortest round-trip form, which is
 * what RFC 8785 specifies; member names sort by UTF-16 code units.
 */
import { ElicenseError } from '../errors.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ElicenseError('ERR_INVALID_INPUT', 'non-finite number in JSON');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new ElicenseError('ERR_INVALID_INPUT', `cannot canonicalize a ${typeof value}`);
}
