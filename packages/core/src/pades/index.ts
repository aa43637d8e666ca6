export { authorityTimestamper, type Timestamper } from './timestamper.js';
export { addDocumentTimestamp, addValidationData, signPdf, type SignPdfOptions, type ValidationData } from './sign-pdf.js';
export { verifyLicensePdf } from './verify-pdf.js';
export { readDss, type DssData } from './pdf-contents.js';
export { issueLicensePdf, type IssueLicensePdfOptions } from './issue-license-pdf.js';
export { MAX_SEAL_ATTRIBUTE_BYTES, readSealAttribute, sealAttribute, SEAL_ATTRIBUTE_OID, type SealOnSignature } from './seal-attribute.js';
export {
  ANNOTATED_COPY_FACTS_FILE_NAME,
  ANNOTATED_COPY_ORIGINAL_FILE_NAME,
  createAnnotatedCopy,
  MAX_ANNOTATED_COPY_BYTES,
  readAnnotatedCopy,
  type AnnotatedCopy,
  type AnnotatedCopyFacts,
  type CopyAnnotation,
  type CreateAnnotatedCopyOptions,
} from './annotated-copy.js';
