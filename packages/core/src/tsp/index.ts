export {
  createTimeStampRequest,
  parseTimeStampRequest,
  MAX_TIME_STAMP_REQUEST_BYTES,
  type MessageImprint,
  type TimeStampRequest,
  type TimeStampRequestOptions,
} from './request.js';
export {
  encodeTimeStampResponse,
  parseTimeStampResponse,
  PKI_FAILURE_BITS,
  PKI_STATUSES,
  type PkiFailureInfo,
  type PkiStatus,
  type TimeStampResponse,
} from './response.js';
export { parseTstInfo, type Accuracy, type TstInfo } from './tst-info.js';
export {
  verifyTimeStampToken,
  type TimeStampSubject,
  type TimeStampVerification,
  type VerifyTimeStampOptions,
} from './verify-token.js';
export { createTimeStampAuthority, type TimeStampAuthority, type TimeStampAuthorityOptions } from './authority.js';
export { timeStampingCertificateProblem } from './tsa-certificate.js';
// The certificate profile an authority needs lives with the CA toolkit; exported here with the rest of RFC 3161.
export { createTimeStampingCertificate, type TimeStampingCertificateOptions } from '../pki/ca.js';
