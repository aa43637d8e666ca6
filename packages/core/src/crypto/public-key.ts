/** Reads a SubjectPublicKeyInfo into the key family the algorithm table understands. */
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { byteKey } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { recentValues } from '../recent-values.js';
import { ALGORITHMS, MIN_RSA_BITS, OID, type KeyType, type SignatureAlgorithm } from './algorithms.js';

export interface PublicKeyInfo {
  readonly keyType: KeyType;
  /** DER SubjectPublicKeyInfo, exactly as received (the first time these bytes were parsed). */
  readonly spki: Uint8Array;
  /** The BIT STRING content: the EC point, the Ed25519 key or the RSAPublicKey DER. */
  readonly keyBytes: Uint8Array;
  readonly rsaBits?: number;
}

function namedCurve(parameters: ArrayBuffer | null | undefined): string {
  if (!parameters) throw new ElicenseError('ERR_KEY_INVALID', 'EC public key without curve parameters');
  const params = AsnConvert.parse(parameters, ECParameters);
  if (!params.namedCurve) throw new ElicenseError('ERR_KEY_INVALID', 'EC public key with explicit curve parameters');
  return params.namedCurve;
}

/**
 * Keys already parsed, by content: a signer's key is parsed again for every signature it makes (the
 * check that key and certificate match, the CMS signer info, a time-stamping authority's own), and a
 * verifier meets the same issuers' keys in document after document; schema-driven ASN.1 parsing costs
 * about 60 µs a key. A key that fails to parse is not kept, and its error is thrown every time.
 */
const recentKeys = recentValues<string, PublicKeyInfo>(1024);

/** The key type and bytes of a DER SubjectPublicKeyInfo. The result is shared: do not change it. */
export function parsePublicKey(spki: Uint8Array): PublicKeyInfo {
  return recentKeys(byteKey(spki), () => parseSubjectPublicKeyInfo(spki));
}

function parseSubjectPublicKeyInfo(spki: Uint8Array): PublicKeyInfo {
  let info: SubjectPublicKeyInfo;
  try {
    info = AsnConvert.parse(spki, SubjectPublicKeyInfo);
  } catch (cause) {
    throw new ElicenseError('ERR_KEY_INVALID', 'public key is not a DER SubjectPublicKeyInfo', { cause });
  }
  const keyBytes = new Uint8Array(info.subjectPublicKey);
  const oid = info.algorithm.algorithm;
  if (oid === OID.ecPublicKey) {
    const curve = namedCurve(info.algorithm.parameters);
    if (keyBytes.length !== 65 || keyBytes[0] !== 4) {
      throw new ElicenseError('ERR_KEY_INVALID', 'EC public key must be an uncompressed 65-byte point');
    }
    if (curve === OID.p256) return { keyType: 'EC-P256', spki, keyBytes };
    if (curve === OID.sm2Curve) return { keyType: 'SM2', spki, keyBytes };
    throw new ElicenseError('ERR_KEY_INVALID', `unsupported EC curve ${curve}`);
  }
  if (oid === OID.ed25519) {
    if (keyBytes.length !== 32) throw new ElicenseError('ERR_KEY_INVALID', 'Ed25519 public key must be 32 bytes');
    return { keyType: 'Ed25519', spki, keyBytes };
  }
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const rsa = AsnConvert.parse(keyBytes, RSAPublicKey);
    const modulus = new Uint8Array(rsa.modulus);
    const first = modulus.findIndex((b) => b !== 0);
    const rsaBits = first < 0 ? 0 : (modulus.length - first) * 8 - Math.clz32(modulus[first]!) + 24;
    return { keyType: 'RSA', spki, keyBytes, rsaBits };
  }
  throw new ElicenseError('ERR_KEY_INVALID', `unsupported public key algorithm ${oid}`);
}

/** The table's rule for which key may be used with which algorithm. */
export function assertKeyFitsAlgorithm(alg: SignatureAlgorithm, key: PublicKeyInfo): void {
  const spec = ALGORITHMS[alg];
  if (spec.keyType !== key.keyType) {
    throw new ElicenseError('ERR_KEY_INVALID', `a ${key.keyType} key cannot be used with ${alg}`);
  }
  if (key.keyType === 'RSA' && (key.rsaBits ?? 0) < MIN_RSA_BITS) {
    throw new ElicenseError('ERR_KEY_INVALID', `RSA keys must have at least ${MIN_RSA_BITS} bits, got ${key.rsaBits}`);
  }
}

/** Which algorithm a key signs with when the caller does not say (RSA signs with PS256, never RS256). */
export function defaultAlgorithmFor(keyType: KeyType): SignatureAlgorithm {
  switch (keyType) {
    case 'EC-P256':
      return 'ES256';
    case 'Ed25519':
      return 'EdDSA';
    case 'RSA':
      return 'PS256';
    case 'SM2':
      return 'SM2SM3';
  }
}
