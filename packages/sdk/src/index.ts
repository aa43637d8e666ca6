export { createLicenseClient, type FetchedJsonLicense, type FetchedLicense, type FetchedPdfLicense, type FindOptions, type LicenseClient, type LicenseClientOptions, type ReadOptions } from './client.js';
export { createPublicVerifier, type PublicVerifier, type PublicVerifierOptions } from './public-verifier.js';
export { readSealPictures, type SealPicture } from './seal-pictures.js';
export { createOfflineVerifier, readOfflineBundle, type OfflineBundle, type OfflineVerifier, type OfflineVerifierOptions } from './offline.js';
export { LicenseApiError, LicenseNetworkError, LicenseSdkError } from './errors.js';
export type { FetchFunction } from './http.js';
export type { LicenseRecord, LicenseState, RepositoryLicense } from './license-record.js';
export type { CertificateInput } from './trust.js';
export {
  canonicalFieldName,
  LICENSE_FIELD_ALIASES,
  normalizeLicenseFields,
  toPlatformFields,
  type CanonicalLicenseField,
  type FieldAliases,
  type PlatformNaming,
} from './field-aliases.js';
export type { VerificationReport } from '@elicense/core';
