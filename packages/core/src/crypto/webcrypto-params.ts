/** WebCrypto parameters for each algorithm of the table that WebCrypto implements (all but SM2). */
import type { SignatureAlgorithm } from './algorithms.js';

type WebCryptoAlg = Exclude<SignatureAlgorithm, 'SM2SM3'>;

export const IMPORT_PARAMS: Record<WebCryptoAlg, EcKeyImportParams | RsaHashedImportParams | Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyImportParams,
  EdDSA: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' } as RsaHashedImportParams,
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as RsaHashedImportParams,
};

export const SIGN_PARAMS: Record<WebCryptoAlg, EcdsaParams | RsaPssParams | Algorithm> = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
  EdDSA: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams,
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
};

export function isWebCryptoAlg(alg: SignatureAlgorithm): alg is WebCryptoAlg {
  return alg !== 'SM2SM3';
}
