export { preparePdfSignature, type PreparePdfSignatureOptions } from './prepare-pdf-signature.js';
export { prepareDocumentTimestamp, type PrepareDocumentTimestampOptions } from './prepare-document-timestamp.js';
export { addDss, type AddDssOptions, type DssValidationData } from './add-dss.js';
export { vriKey } from './vri-key.js';
export type { StagedPdfSignature } from './staged-signature.js';
export type { SignatureAppearance } from './appearance.js';
export type { SignatureFieldOptions, VisibleSignature } from './signature-field.js';
