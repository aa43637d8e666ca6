export {
  ALGORITHMS,
  MIN_RSA_BITS,
  OID,
  SIGNATURE_ALGORITHMS,
  algorithmSpec,
  isSignatureAlgorithm,
  type AlgorithmSpec,
  type KeyType,
  type SignatureAlgorithm,
} from './algorithms.js';
export { assertKeyFitsAlgorithm, defaultAlgorithmFor, parsePublicKey, type PublicKeyInfo } from './public-key.js';
export { verifySignature } from './verify-signature.js';
export { createSigner, type Signer, type SigningKey } from './signer.js';
export {
  generateSigningKey,
  sm2SigningKey,
  webCryptoSigningKey,
  type GenerateSigningKeyOptions,
  type SoftwareSigningKey,
} from './signing-key.js';
export {
  exportPrivateKeyPem,
  importPrivateKey,
  type ExportPrivateKeyOptions,
  type ImportPrivateKeyOptions,
} from './pkcs8.js';
export { importPkcs12, type Pkcs12Contents } from './pkcs12.js';
export {
  SM2_DEFAULT_ID,
  sm2PointIsValid,
  sm2PublicFromPrivate,
  sm2RandomPrivateKey,
  sm2Sign,
  sm2Verify,
  sm2Za,
} from './sm2.js';
export { sm3 } from './sm3.js';
export { looksLikePem, parsePem, pemBlock, toPem, type PemBlock } from './pem.js';
export { derSignatureToRaw, rawSignatureToDer } from './ecdsa-der.js';
