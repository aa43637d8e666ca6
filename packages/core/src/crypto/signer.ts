/**
 * A Signer is what every issuing operation takes: an algorithm, the certificate chain that vouches for
 * the key (leaf first, DER), and `sign`. Software keys, encrypted key files and PKCS#11 HSMs all fit it,
 * so callers never touch key material.
 */
import type { SignatureAlgorithm } from './algorithms.js';

export interface SigningKey {
  readonly alg: SignatureAlgorithm;
  /** DER SubjectPublicKeyInfo of the key. */
  readonly publicKey: Uint8Array;
  /** Signs `data` (the message, not a digest); the result is in JOSE form (raw r‖s for ECDSA and SM2). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export interface Signer extends SigningKey {
  /** Leaf first, then any intermediates; DER. */
  readonly certificates: readonly Uint8Array[];
}

export function createSigner(key: SigningKey, certificates: readonly Uint8Array[]): Signer {
  return {
    alg: key.alg,
    publicKey: key.publicKey,
    certificates,
    sign: (data) => key.sign(data),
  };
}
