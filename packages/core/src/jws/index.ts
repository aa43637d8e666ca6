export {
  checkProtectedHeader,
  checkUnprotectedHeader,
  DEFAULT_JWS_ALGORITHMS,
  DOMESTIC_JWS_ALGORITHMS,
  LICENSE_JWS_TYPE,
  type ProtectedHeader,
} from './header.js';
export { parseJws, MAX_JWS_BYTES, type JwsForm, type ParsedJws, type ParsedSignature } from './parse.js';
export { signCompact, signFlattened, signGeneral, type FlattenedJws, type GeneralJws, type JwsHeaderParameters } from './sign.js';
export { signLicenseCompact, signLicenseMulti, type SignLicenseOptions } from './sign-license.js';
export { readSealReference, SEAL_HEADER, sealReferenceFor, type SealReference } from './seal-reference.js';
export { checkSealIssuer, checkSealReference } from './seal-registry-checks.js';
