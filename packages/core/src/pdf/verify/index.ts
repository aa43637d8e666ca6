export {
  BYTE_RANGE_CHECK,
  STRUCTURE_CHECK,
  UNCERTIFIED_PERMISSION,
  analyzePdfSignatures,
  type PdfRevisionSummary,
  type PdfSignatureAnalysis,
  type PdfSignatureInfo,
} from './analyze.js';
export { checkByteRange, signedChunks, type ByteRange, type ByteRangeResult, type Coverage } from './byte-range.js';
export { digestSignedChunks } from './digest.js';
export { certificationSignatureRef, docMdpPermissionOf, type DocMdpPermission } from './docmdp.js';
export { MODIFICATIONS_CHECK, ModificationAnalyzer, describeChange } from './modifications.js';
export { classifyRevision, type ObjectChange, type RevisionChanges } from './revision-changes.js';
export { MAX_SIGNATURE_CONTENTS_BYTES, extractSignatureContents, type ContentsResult } from './signature-contents.js';
export { findSignatureFields, type SignatureField } from './signature-fields.js';
