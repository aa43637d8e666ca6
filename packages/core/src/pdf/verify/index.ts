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
export { fieldLockOf, isLocked, withFieldLock, type FieldLock, type FieldLockAction } from './field-mdp.js';
export { findFormFields, findMistypedSignatureFields, findSignatureFields, findSignatureFieldsOutsideAcroForm, isVisibleField, type FormField, type SignatureField } from './signature-fields.js';
export { looksLikeSignature } from './signature-dictionary.js';
export { findUnreachableSignatures, type UnreachableSignature } from './unreachable-signatures.js';
