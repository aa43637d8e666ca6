export { renderLicensePdf, licenseSealPlacement } from './render-license-pdf.js';
export type { LicenseSealOptions, LicenseSealPlacement, RenderLicensePdfInput } from './render-license-pdf.js';
export { drawOfficialSeal, officialSealSvg, officialSealSizeMm, DEFAULT_SEAL_COLOR, DEFAULT_SEAL_DIAMETER_MM } from './official-seal.js';
export type { OfficialSealDrawing, OfficialSealOptions, OfficialSealShape } from './official-seal.js';
export { extractEmbeddedLicense, MAX_LICENSE_PDF_BYTES, readEmbeddedLicense } from './extract-embedded-license.js';
export { EMBEDDED_LICENSE_FILE_NAME, EMBEDDED_LICENSE_MEDIA_TYPES } from './embedded-license.js';
export { ELICENSE_XMP_NAMESPACE } from './license-pdf-metadata.js';
export { QR_SIZE_MM } from './page-layout.js';
export { MAX_QR_BYTES } from './qr-code.js';
