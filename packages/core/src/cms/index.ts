export { CMS_OID } from './oids.js';
export { DIGEST_ALGORITHMS, computeDigest, digestAlgorithmFromOid, digestOid, type DigestAlgorithm } from './digest-algorithms.js';
export type { CmsAttribute } from './attributes.js';
export {
  cmsDigestAlgorithm,
  prepareCmsSignature,
  type PrepareCmsSignatureOptions,
  type PreparedCmsSignature,
} from './prepare-signature.js';
export { signCmsDetached, type CmsContentInput, type SignCmsOptions } from './sign-detached.js';
export {
  MAX_CMS_BYTES,
  parseCmsSignedData,
  type ParseCmsOptions,
  type ParsedCmsSignedData,
  type ParsedSignerInfo,
} from './parse-signed-data.js';
export type { SignerIdentifier } from './signer-identifier.js';
export {
  signatureTimestampTokens,
  verifyCmsSignature,
  type CmsSignerVerification,
  type CmsVerification,
  type CmsVerificationOptions,
} from './verify-cms-signature.js';
export { addUnsignedAttribute } from './unsigned-attributes.js';
