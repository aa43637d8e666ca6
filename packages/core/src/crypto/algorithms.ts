/**
 * The one algorithm table. Every signature made or checked anywhere in eLicense (JWS, X.509, CRL,
 * trust lists) goes through `ALGORITHMS`, and every key is matched against its entry before use.
 *
 * Signature values are always in their JOSE form here (raw r‖s for ECDSA and SM2); X.509 and CMS
 * convert to and from DER with `./ecdsa-der.ts`, the only place that does.
 */
import { ElicenseError } from '../errors.js';

export const SIGNATURE_ALGORITHMS = ['ES256', 'EdDSA', 'PS256', 'RS256', 'SM2SM3'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** The key families the table knows, read from a SubjectPublicKeyInfo. */
export type KeyType = 'EC-P256' | 'Ed25519' | 'RSA' | 'SM2';

export const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  sm2Curve: '1.2.156.10197.1.301',
  ed25519: '1.3.101.112',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sm2WithSm3: '1.2.156.10197.1.501',
  sm3: '1.2.156.10197.1.401',
  sha256: '2.16.840.1.101.3.4.2.1',
  mgf1: '1.2.840.113549.1.1.8',
} as const;

export interface AlgorithmSpec {
  readonly alg: SignatureAlgorithm;
  readonly keyType: KeyType;
  /** RS256 is accepted from others but never produced: new signatures use RSA-PSS. */
  readonly canSign: boolean;
  /** Registered in the IANA JOSE registry; SM2SM3 is not, so verifiers accept it only where configured. */
  readonly joseRegistered: boolean;
  /** Signature algorithm OID in X.509 certificates and CRLs. */
  readonly x509Oid: string;
  /** Length of a raw (JOSE-form) signature, when fixed. */
  readonly rawSignatureLength?: number;
  readonly description: string;
}

export const ALGORITHMS: Readonly<Record<SignatureAlgorithm, AlgorithmSpec>> = {
  ES256: {
    alg: 'ES256',
    keyType: 'EC-P256',
    canSign: true,
    joseRegistered: true,
    x509Oid: OID.ecdsaWithSha256,
    rawSignatureLength: 64,
    description: 'ECDSA on P-256 with SHA-256',
  },
  EdDSA: {
    alg: 'EdDSA',
    keyType: 'Ed25519',
    canSign: true,
    joseRegistered: true,
    x509Oid: OID.ed25519,
    rawSignatureLength: 64,
    description: 'Ed25519',
  },
  PS256: {
    alg: 'PS256',
    keyType: 'RSA',
    canSign: true,
    joseRegistered: true,
    x509Oid: OID.rsassaPss,
    description: 'RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt, 2048-bit or larger keys',
  },
  RS256: {
    alg: 'RS256',
    keyType: 'RSA',
    canSign: false,
    joseRegistered: true,
    x509Oid: OID.sha256WithRsa,
    description: 'RSASSA-PKCS1-v1_5 with SHA-256 (verification only)',
  },
  SM2SM3: {
    alg: 'SM2SM3',
    keyType: 'SM2',
    canSign: true,
    joseRegistered: false,
    x509Oid: OID.sm2WithSm3,
    rawSignatureLength: 64,
    description: 'SM2 with SM3 (GB/T 32918, GB/T 35276), distinguishing ID 1234567812345678',
  },
};

export function algorithmSpec(alg: string): AlgorithmSpec {
  if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new ElicenseError('ERR_ALG_UNSUPPORTED', `unsupported signature algorithm "${alg}"`);
  }
  return ALGORITHMS[alg as SignatureAlgorithm];
}

export function isSignatureAlgorithm(alg: unknown): alg is SignatureAlgorithm {
  return typeof alg === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(alg);
}

/** Minimum RSA modulus for every RSA algorithm, signing or verifying. */
export const MIN_RSA_BITS = 2048;
