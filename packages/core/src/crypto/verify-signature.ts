/**
 * Checks one signature against one public key under the algorithm table. Returns false for a wrong
 * signature; throws only for misuse (a key that does not fit the algorithm).
 */
import { bufferSource, base64url } from '../bytes.js';
import { ALGORITHMS, type SignatureAlgorithm } from './algorithms.js';
import { assertKeyFitsAlgorithm, parsePublicKey, type PublicKeyInfo } from './public-key.js';
import { IMPORT_PARAMS, SIGN_PARAMS, isWebCryptoAlg } from './webcrypto-params.js';
import { SM2_DEFAULT_ID, sm2Verify } from './sm2.js';

/** Imported WebCrypto keys, so a verifier that sees the same issuer again does not re-import it. */
const importedKeys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 1024;

function importVerifyKey(alg: Exclude<SignatureAlgorithm, 'SM2SM3'>, key: PublicKeyInfo): Promise<CryptoKey> {
  const cacheKey = `${alg}:${base64url(key.spki)}`;
  let imported = importedKeys.get(cacheKey);
  if (!imported) {
    if (importedKeys.size >= MAX_CACHED_KEYS) importedKeys.clear();
    imported = crypto.subtle.importKey('spki', bufferSource(key.spki), IMPORT_PARAMS[alg], false, ['verify']);
    imported.catch(() => importedKeys.delete(cacheKey));
    importedKeys.set(cacheKey, imported);
  }
  return imported;
}

export async function verifySignature(
  alg: SignatureAlgorithm,
  publicKey: PublicKeyInfo | Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const key = publicKey instanceof Uint8Array ? parsePublicKey(publicKey) : publicKey;
  assertKeyFitsAlgorithm(alg, key);
  const expectedLength = ALGORITHMS[alg].rawSignatureLength;
  if (expectedLength !== undefined && signature.length !== expectedLength) return false;
  if (!isWebCryptoAlg(alg)) return sm2Verify(key.keyBytes, data, signature, SM2_DEFAULT_ID);
  const cryptoKey = await importVerifyKey(alg, key);
  return crypto.subtle.verify(SIGN_PARAMS[alg], cryptoKey, bufferSource(signature), bufferSource(data));
}
