/**
 * Checks the issuer's signature on a certificate or CRL under the algorithm table, over the TBS bytes
 * as received. The answer separates a wrong signature from one this project cannot judge (an algorithm
 * or key outside the table), because reports treat them differently (failed vs indeterminate).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { base64url } from '../bytes.js';
import { ALGORITHMS, MIN_RSA_BITS, type SignatureAlgorithm } from '../crypto/algorithms.js';
import { parsePublicKey, type PublicKeyInfo } from '../crypto/public-key.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { isSupportedAlgorithm, type UnsupportedAlgorithm } from './x509-algorithm.js';

export interface SignedObject {
  /** The whole object as received: with the issuer key it keys the signature cache. */
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm | UnsupportedAlgorithm;
  readonly signature: Uint8Array;
}

export type IssuedBy =
  | { readonly result: 'valid' }
  | { readonly result: 'invalid'; readonly reason: string }
  | { readonly result: 'unsupported'; readonly reason: string };

/** A caller's cache that keeps growing under hostile input would be a leak: beyond this, oldest entries go. */
const MAX_CACHE_ENTRIES = 10_000;

const digests = new WeakMap<Uint8Array, string>();

/** SHA-256 of `bytes`, remembered per buffer: a verifier holding a large CRL hashes it once, not per validation. */
function digestOf(bytes: Uint8Array): string {
  let digest = digests.get(bytes);
  if (digest === undefined) {
    digest = base64url(sha256(bytes));
    digests.set(bytes, digest);
  }
  return digest;
}

/**
 * The cache key binds the issuer key to the whole signed object (TBS, algorithm and signature), not to
 * the signature alone: a signature that verified for one TBS must not vouch for another. Hashed with
 * @noble/hashes, synchronously: a WebCrypto digest round trip costs more than a whole cached validation.
 */
function cacheKey(signed: SignedObject, issuerSpki: Uint8Array): string {
  return `${digestOf(issuerSpki)}${digestOf(signed.der)}`;
}

function keyFor(alg: SignatureAlgorithm, issuerSpki: Uint8Array): PublicKeyInfo | IssuedBy {
  let key: PublicKeyInfo;
  try {
    key = parsePublicKey(issuerSpki);
  } catch {
    return { result: 'unsupported', reason: 'the issuer key is not a key type of the algorithm table' };
  }
  if (key.keyType !== ALGORITHMS[alg].keyType) {
    return { result: 'invalid', reason: `signed with ${alg} but the issuer key is ${key.keyType}` };
  }
  if (key.keyType === 'RSA' && (key.rsaBits ?? 0) < MIN_RSA_BITS) {
    return { result: 'unsupported', reason: `the issuer RSA key has ${key.rsaBits} bits, below ${MIN_RSA_BITS}` };
  }
  return key;
}

export async function verifyIssuedBy(
  signed: SignedObject,
  issuerSpki: Uint8Array,
  cache?: Map<string, boolean>,
): Promise<IssuedBy> {
  const alg = signed.signatureAlgorithm;
  if (!isSupportedAlgorithm(alg)) {
    return { result: 'unsupported', reason: `signature algorithm ${alg.unsupported} is not in the algorithm table` };
  }
  const invalid = { result: 'invalid', reason: `the ${alg} signature does not verify with the issuer key` } as const;
  // Looked up before the key is parsed: a warm validation should do no ASN.1 work for the issuer.
  const id = cache ? cacheKey(signed, issuerSpki) : '';
  const cached = cache?.get(id);
  if (cached !== undefined) return cached ? { result: 'valid' } : invalid;
  const key = keyFor(alg, issuerSpki);
  if ('result' in key) return key;
  let ok: boolean;
  try {
    ok = await verifySignature(alg, key, signed.tbs, signed.signature);
  } catch {
    ok = false;
  }
  if (cache) {
    if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(id, ok);
  }
  return ok ? { result: 'valid' } : invalid;
}
