export { verifyOfd } from './verify-ofd.js';
export {
  MAX_OFD_SIGNATURES,
  readOfdPackage,
  type OfdPackage,
  type OfdReference,
  type OfdSignatureEntry,
  type OfdSignatureFiles,
  type OfdSignatureType,
  type OfdStampAnnot,
} from './read-ofd-package.js';
export { OFD_ZIP_LIMITS, openZip, type ZipArchive, type ZipLimits } from './zip.js';
