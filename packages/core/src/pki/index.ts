export {
  parseCertificate,
  certificateFromPem,
  certificatesFromPem,
  MAX_CERTIFICATE_BYTES,
  KEY_USAGES,
  type CertificateInfo,
  type BasicConstraintsInfo,
  type KeyUsageName,
} from './certificate.js';
export type { NameAttribute, SubjectName } from './names.js';
export type { UnsupportedAlgorithm } from './x509-algorithm.js';
export {
  issueCertificate,
  createRootCa,
  createIssuingCa,
  createIssuerCertificate,
  type CertificateProfile,
  type ExtensionSpec,
  type RootCaOptions,
  type IssuingCaOptions,
  type IssuerCertificateOptions,
} from './ca.js';
export {
  createCrl,
  parseCrl,
  checkRevocation,
  MAX_CRL_BYTES,
  REVOCATION_REASONS,
  type CertificateListInfo,
  type CreateCrlOptions,
  type RevokedCertificateEntry,
  type RevokedCertificateSpec,
  type RevocationReason,
  type RevocationStatus,
  type RevocationCheck,
  type RevocationOptions,
} from './crl.js';
export {
  validateCertificatePath,
  type PathValidation,
  type PathValidationOptions,
  type PathStatus,
} from './path.js';
