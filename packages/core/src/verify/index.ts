export { detectFormat } from './detect-format.js';
export { verifyDocument } from './verify-document.js';
export { verifyLicenseJws } from './verify-license-jws.js';
export { summarizeLicense } from './license-summary.js';
export type { StatusResolver, TrustInput, VerifyOptions } from './options.js';
export {
  worstOf,
  type Check,
  type Indication,
  type LicenseSummary,
  type ReportFormat,
  type PdfSignatureSummary,
  type SignatureReport,
  type SignerSummary,
  type SnapshotReference,
  type SubIndication,
  type VerificationReport,
} from './report.js';
