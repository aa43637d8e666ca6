/**
 * What issuing a certificate and issuing a CRL share: the issuer key must be able to sign and must be
 * the key its certificate certifies, and the result is `SEQUENCE { tbs, algorithm, BIT STRING }`.
 */
import { concatBytes, equalBytes } from '../bytes.js';
import { algorithmSpec } from '../crypto/algorithms.js';
import type { SigningKey } from '../crypto/signer.js';
import { ElicenseError } from '../errors.js';
import { parseCertificateCached, type CertificateInfo } from './certificate.js';
import { encodeTlv } from './der.js';
import { algorithmIdentifierDer, x509SignatureValue } from './x509-algorithm.js';

export function assertCanSign(key: SigningKey): void {
  if (!algorithmSpec(key.alg).canSign) {
    throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${key.alg} keys verify only; they cannot sign certificates or CRLs`);
  }
}

/** The issuer's certificate, checked to be a CA certifying `issuerKey`, so nothing is signed with the wrong key by mistake. */
export function issuerCertificateFor(issuerCertificate: Uint8Array | CertificateInfo, issuerKey: SigningKey): CertificateInfo {
  assertCanSign(issuerKey);
  const issuer = parseCertificateCached(issuerCertificate);
  if (!equalBytes(issuer.publicKey, issuerKey.publicKey)) {
    throw new ElicenseError('ERR_KEY_INVALID', `issuerKey is not the key certified by ${issuer.subject}`);
  }
  if (issuer.basicConstraints?.ca !== true) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${issuer.subject} is not a CA certificate`);
  }
  return issuer;
}

/** Signs `tbs` (which already names `key.alg` in its signature field) and wraps it, DER. */
export async function signTbs(key: SigningKey, tbs: Uint8Array): Promise<Uint8Array> {
  const signature = x509SignatureValue(key.alg, await key.sign(tbs));
  const bits = encodeTlv(0x03, concatBytes(Uint8Array.of(0), signature));
  return encodeTlv(0x30, concatBytes(tbs, algorithmIdentifierDer(key.alg), bits));
}
