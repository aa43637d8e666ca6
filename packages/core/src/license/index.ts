export { mod3736CheckCharacter, buildIdentifier, parseIdentifier, validateIdentifier, IDENTIFIER_ROOT } from './identifier.js';
export type { IdentifierPart, IdentifierParts, ParsedIdentifier } from './identifier.js';
export { checkUscc, computeUsccCheckCharacter, computeOrganizationCodeCheckCharacter } from './uscc.js';
export type { UsccCheck } from './uscc.js';
export { checkPersonId, computePersonIdCheckCharacter } from './person-id.js';
export type { PersonIdCheck, PersonIdOptions } from './person-id.js';
export type { LicenseFinding, LicenseFindingId } from './findings.js';
export { createLicenseTypeRegistry, defaultLicenseTypeRegistry, defaultLicenseTypes } from './registry.js';
export type { FieldProblem, LicenseTypeRegistry } from './registry.js';
export { computeValidUntil, LONG_TERM } from './validity.js';
export {
  businessLicense,
  constructionSafetyLicense,
  foodBusinessLicense,
  medicalInstitutionLicense,
  specialOperationsCertificate,
} from './types/index.js';
export type { DefiningAuthorityLevel, HolderCategory, LicenseRenderTemplate, LicenseType, ValidityRule } from './types/index.js';
export {
  buildLicenseCredential,
  HOLDER_CODE_TYPE_NAMES,
  LICENSE_CONTEXT,
  LICENSE_CREDENTIAL_TYPE,
  LicenseSchemaError,
} from './credential.js';
export type {
  HolderCodeType,
  HolderCodeTypeName,
  LicenseCredential,
  LicenseHolder,
  LicenseInput,
  LicenseIssuer,
  LicenseStatusEntry,
  LicenseStatusInput,
  LicenseSubject,
} from './credential.js';
export { validateLicenseCredential } from './validate-credential.js';
export type { ValidateLicenseOptions } from './validate-credential.js';
export { nextVersion } from './versions.js';
export type { LicenseChanges } from './versions.js';
