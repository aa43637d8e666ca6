/**
 * The JOSE header profile eLicense accepts. Everything that decides how a signature is checked must be
 * in the protected header; keys come only from `x5c`, which must chain to the trust list, never from
 * `jwk`/`jku`/`x5u` (a key that vouches for itself proves nothing).
 */
import { fromBase64 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { ALGORITHMS, isSignatureAlgorithm, type SignatureAlgorithm } from '../crypto/algorithms.js';
import { isJsonObject } from '../json/strict-parse.js';
import { readSealReference, SEAL_HEADER, type SealReference } from './seal-reference.js';

export const LICENSE_JWS_TYPE = 'vc+jwt';

/** The registered JOSE algorithms: what a verifier accepts unless configured otherwise. */
export const DEFAULT_JWS_ALGORITHMS: readonly SignatureAlgorithm[] = (
  Object.values(ALGORITHMS).filter((spec) => spec.joseRegistered).map((spec) => spec.alg)
);

/** Also SM2SM3, for verifiers configured for the domestic algorithm (GB/T 32918). */
export const DOMESTIC_JWS_ALGORITHMS: readonly SignatureAlgorithm[] = [...DEFAULT_JWS_ALGORITHMS, 'SM2SM3'];

const FORBIDDEN_PROTECTED = ['jwk', 'jku', 'x5u'] as const;
const MAX_X5C = 10;
const MAX_CERT_BYTES = 16 * 1024;

export interface ProtectedHeader {
  readonly alg: SignatureAlgorithm;
  readonly typ?: string;
  readonly cty?: string;
  readonly kid?: string;
  /** DER certificates, leaf first. */
  readonly x5c: readonly Uint8Array[];
  /** The electronic seal the license names (`elicense:seal`), checked for shape only. */
  readonly seal?: SealReference;
  readonly raw: Readonly<Record<string, unknown>>;
}

function invalid(message: string, field?: string): never {
  throw new ElicenseError('ERR_JWS_INVALID', message, field === undefined ? {} : { field });
}

/** Checks a decoded protected header against the profile; throws with a stable code naming the member. */
export function checkProtectedHeader(
  header: unknown,
  options: { algorithms: readonly SignatureAlgorithm[]; expectedType?: string },
): ProtectedHeader {
  if (!isJsonObject(header)) invalid('protected header is not a JSON object');
  const { alg } = header;
  if (typeof alg !== 'string') invalid('protected header has no "alg"', 'alg');
  if (!isSignatureAlgorithm(alg) || !options.algorithms.includes(alg)) {
    throw new ElicenseError('ERR_JWS_ALG_NOT_ALLOWED', `algorithm "${alg}" is not accepted`, { field: 'alg' });
  }
  if ('crit' in header) {
    // No extension is understood, so any critical one makes the JWS unverifiable (RFC 7515 §4.1.11).
    throw new ElicenseError('ERR_JWS_CRIT_UNSUPPORTED', 'critical header extension not understood', {
      field: 'crit',
    });
  }
  if ('b64' in header) invalid('unencoded payloads (b64) are not accepted', 'b64');
  for (const name of FORBIDDEN_PROTECTED) {
    if (name in header) invalid(`"${name}" is not accepted: keys come from x5c and the trust list`, name);
  }
  for (const name of ['typ', 'cty', 'kid'] as const) {
    if (name in header && typeof header[name] !== 'string') invalid(`"${name}" must be a string`, name);
  }
  if (options.expectedType !== undefined && header.typ !== options.expectedType) {
    invalid(`"typ" must be "${options.expectedType}"`, 'typ');
  }
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0) invalid('protected header has no "x5c" certificate chain', 'x5c');
  if (x5c.length > MAX_X5C) invalid(`"x5c" has more than ${MAX_X5C} certificates`, 'x5c');
  const certificates = x5c.map((entry, i) => {
    if (typeof entry !== 'string' || entry.length > (MAX_CERT_BYTES * 4) / 3 + 4) {
      invalid(`"x5c[${i}]" is not a base64 certificate of at most ${MAX_CERT_BYTES} bytes`, `x5c[${i}]`);
    }
    return fromBase64(entry, `x5c[${i}]`);
  });
  const result: ProtectedHeader = { alg, x5c: certificates, raw: header };
  const seal = readSealReference(header);
  return {
    ...result,
    ...(seal ? { seal } : {}),
    ...(typeof header.typ === 'string' ? { typ: header.typ } : {}),
    ...(typeof header.cty === 'string' ? { cty: header.cty } : {}),
    ...(typeof header.kid === 'string' ? { kid: header.kid } : {}),
  };
}

/** Members that would change how a signature is checked may not sit in an unprotected header. */
const SECURITY_MEMBERS = new Set(['alg', 'crit', 'b64', 'x5c', 'x5u', 'x5t', 'x5t#S256', 'jwk', 'jku', 'kid', 'typ', 'cty', SEAL_HEADER]);

export function checkUnprotectedHeader(header: unknown, protectedHeader: Readonly<Record<string, unknown>>): void {
  if (header === undefined) return;
  if (!isJsonObject(header)) invalid('unprotected header is not a JSON object', 'header');
  for (const name of Object.keys(header)) {
    if (SECURITY_MEMBERS.has(name)) invalid(`"${name}" must be in the protected header, not the unprotected one`, `header.${name}`);
    if (name in protectedHeader) invalid(`"${name}" appears in both headers`, `header.${name}`);
  }
}
