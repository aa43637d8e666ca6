/**
 * Checks one signature against one public key under the algorithm table. Returns false for a wrong
 * signature; throws only for misuse (a key that does not fit the algorithm).
 */
import { bufferSource } from '../bytes.js';
import { ALGORITHMS, type SignatureAlgorithm } from './algorithms.js';
import { assertKeyFitsAlgorithm, parsePublicKey, type PublicKeyInfo } from './public-key.js';
import { IMPORT_PARAMS, SIGN_PARAMS, isWebCryptoAlg } from './webcrypto-params.js';
import { SM2_DEFAULT_ID, sm2Verify } from './sm2.js';

/**
 * Parsed and imported keys, remembered by the identity of the key bytes: a verifier that keeps its
 * certificates (as the license verifier does per signer) parses and imports each key once; new bytes
 * with the same content find theirs through parsePublicKey, which keeps parsed keys by content. Weak
 * maps: an imported key lives as long as the key bytes it was imported from.
 */
const parsedKeys = new WeakMap<Uint8Array, PublicKeyInfo>();
const importedKeys = new WeakMap<Uint8Array, Map<SignatureAlgorithm, Promise<CryptoKey>>>();

function publicKeyInfo(publicKey: PublicKeyInfo | Uint8Array): PublicKeyInfo {
  if (!(publicKey instanceof Uint8Array)) return publicKey;
  let info = parsedKeys.get(publicKey);
  if (!info) {
    info = parsePublicKey(publicKey);
    parsedKeys.set(publicKey, info);
  }
  return info;
}

/** Keys already imported, so `verifySignature` can hand the job to WebCrypto without waiting a turn. */
const readyKeys = new WeakMap<Uint8Array, Map<SignatureAlgorithm, CryptoKey>>();

function importVerifyKey(alg: Exclude<SignatureAlgorithm, 'SM2SM3'>, key: PublicKeyInfo): Promise<CryptoKey> {
  let byAlg = importedKeys.get(key.spki);
  if (!byAlg) {
    byAlg = new Map();
    importedKeys.set(key.spki, byAlg);
  }
  let imported = byAlg.get(alg);
  if (!imported) {
    imported = crypto.subtle.importKey('spki', bufferSource(key.spki), IMPORT_PARAMS[alg], false, ['verify']);
    imported.then(
      (cryptoKey) => {
        const ready = readyKeys.get(key.spki) ?? new Map<SignatureAlgorithm, CryptoKey>();
        ready.set(alg, cryptoKey);
        readyKeys.set(key.spki, ready);
      },
      () => byAlg.delete(alg),
    );
    byAlg.set(alg, imported);
  }
  return imported;
}

/**
 * Not an async function on purpose: with a known key the WebCrypto job starts before this returns, so a
 * caller can do other work (parsing, license checks) while the signature is computed off the main thread.
 */
export function verifySignature(
  alg: SignatureAlgorithm,
  publicKey: PublicKeyInfo | Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  let key: PublicKeyInfo;
  try {
    key = publicKeyInfo(publicKey);
    assertKeyFitsAlgorithm(alg, key);
  } catch (error) {
    return Promise.reject(error);
  }
  const expectedLength = ALGORITHMS[alg].rawSignatureLength;
  if (expectedLength !== undefined && signature.length !== expectedLength) return Promise.resolve(false);
  if (!isWebCryptoAlg(alg)) return Promise.resolve(sm2Verify(key.keyBytes, data, signature, SM2_DEFAULT_ID));
  const ready = readyKeys.get(key.spki)?.get(alg);
  const verify = (cryptoKey: CryptoKey) => crypto.subtle.verify(SIGN_PARAMS[alg], cryptoKey, bufferSource(signature), bufferSource(data));
  return ready ? verify(ready) : importVerifyKey(alg, key).then(verify);
}
