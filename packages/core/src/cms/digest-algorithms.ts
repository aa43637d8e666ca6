/**
 * The message digests CMS and RFC 3161 use here, by OID: the SHA-2 family through WebCrypto, SM3
 * through core/crypto/sm3.ts, and SHA-1 for reading legacy ESS signing-certificate attributes only.
 */
import { bufferSource } from '../bytes.js';
import { OID } from '../crypto/algorithms.js';
import { sm3 } from '../crypto/sm3.js';
import { encodeOid } from '../pki/der.js';
import { sequence } from './der-build.js';

export const DIGEST_ALGORITHMS = ['SHA-256', 'SHA-384', 'SHA-512', 'SM3', 'SHA-1'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

interface DigestSpec {
  readonly oid: string;
  readonly length: number;
}

const SPECS: Readonly<Record<DigestAlgorithm, DigestSpec>> = {
  'SHA-256': { oid: OID.sha256, length: 32 },
  'SHA-384': { oid: '2.16.840.1.101.3.4.2.2', length: 48 },
  'SHA-512': { oid: '2.16.840.1.101.3.4.2.3', length: 64 },
  SM3: { oid: OID.sm3, length: 32 },
  'SHA-1': { oid: '1.3.14.3.2.26', length: 20 },
};

export function digestOid(name: DigestAlgorithm): string {
  return SPECS[name].oid;
}

export function digestLength(name: DigestAlgorithm): number {
  return SPECS[name].length;
}

export function digestAlgorithmFromOid(oid: string): DigestAlgorithm | undefined {
  return DIGEST_ALGORITHMS.find((name) => SPECS[name].oid === oid);
}

/** AlgorithmIdentifier with absent parameters, as RFC 5754 asks writers of SHA-2 identifiers. */
export function digestAlgorithmIdentifier(name: DigestAlgorithm): Uint8Array {
  return sequence(encodeOid(SPECS[name].oid));
}

export async function computeDigest(name: DigestAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  if (name === 'SM3') return sm3(data);
  return new Uint8Array(await crypto.subtle.digest(name, bufferSource(data)));
}
