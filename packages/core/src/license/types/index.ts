export type { DefiningAuthorityLevel, HolderCategory, LicenseRenderTemplate, LicenseType, ValidityRule } from './license-type.js';
export { businessLicense } from './business-license.js';
export { foodBusinessLicense } from './food-business-license.js';
export { constructionSafetyLicense } from './construction-safety-license.js';
export { specialOperationsCertificate } from './special-operations-certificate.js';
export { medicalInstitutionLicense } from './medical-institution-license.js';
