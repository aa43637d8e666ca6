export {
  SES_VERSION_NAMES,
  type ParsedSesSeal,
  type ParsedSesSignature,
  type SesCertDigest,
  type SesExtData,
  type SesHeader,
  type SesPicture,
  type SesSealProperty,
  type SesSignatureEncoding,
  type SesSignatureValue,
  type SesVersion,
} from './types.js';
export { parseSesSeal } from './parse-ses-seal.js';
export { parseSesSignature } from './parse-ses-signature.js';
export { createSesSeal, type CreateSesSealOptions, type SealPictureInput } from './create-ses-seal.js';
export { signSesSignature, type SignSesSignatureOptions } from './sign-ses-signature.js';
export type { ExtDataInput } from './ses-der-build.js';
export { officialSealPicture } from './seal-picture.js';
export { verifySesSignature, type SesSignatureVerification } from './verify-ses-signature.js';
export { verifySesSeal, type SesSealVerification } from './verify-ses-seal.js';
export { verifySesDocument } from './verify-ses-document.js';
export { sesVerifyOptions, type SesSignatureVerifyOptions, type SesVerifyOptions } from './verify-options.js';
