/**
 * How the algorithm table appears in CMS SignerInfos: the digest each algorithm pairs with, the
 * signatureAlgorithm identifier written, and reading identifiers back, including the forms other CMS
 * writers use (rsaEncryption, a bare id-ecPublicKey, the GB/T 33560 "SM2-1" OID).
 */
import { OID, type SignatureAlgorithm } from '../crypto/algorithms.js';
import { derSignatureToRaw } from '../crypto/ecdsa-der.js';
import { children, content, decodeOid, readTlv } from '../pki/der.js';
import {
  algorithmIdentifierDer,
  rawSignatureValue,
  signatureAlgorithmFromIdentifier,
  x509SignatureValue,
  type UnsupportedAlgorithm,
} from '../pki/x509-algorithm.js';
import type { DigestAlgorithm } from './digest-algorithms.js';

/**
 * The one digest each algorithm is used with: the hash inside the signature scheme for ECDSA, RSA and
 * SM2 (SM3, GB/T 35275), and SHA-512 for Ed25519 with signed attributes (RFC 8419 §3).
 */
export const CMS_DIGEST: Readonly<Record<SignatureAlgorithm, DigestAlgorithm>> = {
  ES256: 'SHA-256',
  PS256: 'SHA-256',
  RS256: 'SHA-256',
  EdDSA: 'SHA-512',
  SM2SM3: 'SM3',
};

/** SM2-1 signature (GB/T 33560): some Chinese CMS writers put it where 1.2.156.10197.1.501 belongs. */
export const SM2_SIGN_OID = '1.2.156.10197.1.301.1';

export function cmsSignatureAlgorithmIdentifier(alg: SignatureAlgorithm): Uint8Array {
  return algorithmIdentifierDer(alg);
}

/** OID and whether the parameters are absent or NULL, read strictly; undefined when it is not an AlgorithmIdentifier. */
function identifierParts(der: Uint8Array): { oid: string; plain: boolean } | undefined {
  try {
    const top = readTlv(der, 0);
    const [oidTlv, params, extra] = top.tag === 0x30 ? children(der, top) : [];
    if (oidTlv?.tag !== 0x06 || extra) return undefined;
    const plain = params === undefined || (params.tag === 0x05 && params.end === params.contentStart);
    return { oid: decodeOid(content(der, oidTlv)), plain };
  } catch {
    return undefined;
  }
}

/** The table's algorithm for a SignerInfo's signatureAlgorithm, given its digestAlgorithm. */
export function cmsSignatureAlgorithm(der: Uint8Array, digestAlgorithm: DigestAlgorithm | undefined): SignatureAlgorithm | UnsupportedAlgorithm {
  const parts = identifierParts(der);
  if (!parts) return { unsupported: 'a malformed AlgorithmIdentifier' };
  const { oid, plain } = parts;
  if (plain && oid === OID.rsaEncryption) return digestAlgorithm === 'SHA-256' ? 'RS256' : { unsupported: `${oid} with ${digestAlgorithm ?? 'an unknown digest'}` };
  if (plain && oid === OID.ecPublicKey) return digestAlgorithm === 'SHA-256' ? 'ES256' : { unsupported: `${oid} with ${digestAlgorithm ?? 'an unknown digest'}` };
  if (plain && oid === SM2_SIGN_OID) return 'SM2SM3';
  try {
    return signatureAlgorithmFromIdentifier(der);
  } catch {
    return { unsupported: oid };
  }
}

export function cmsSignatureValue(alg: SignatureAlgorithm, raw: Uint8Array): Uint8Array {
  return x509SignatureValue(alg, raw);
}

/**
 * The JOSE form of a SignerInfo signature. SM2 values are DER `SEQUENCE { r, s }` by GB/T 35276, but
 * real GB/T 35275 files also carry a bare 64-byte r‖s (STANDARDS-CN §1.4), accepted when not DER.
 */
export function rawCmsSignature(alg: SignatureAlgorithm | UnsupportedAlgorithm, value: Uint8Array): Uint8Array {
  if (alg === 'SM2SM3' && value.length === 64) {
    try {
      return derSignatureToRaw(value);
    } catch {
      return value;
    }
  }
  return rawSignatureValue(alg, value);
}
