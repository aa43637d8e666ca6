export { licenseQrClaims, readLicenseQrClaims, type LicenseQrClaims, type QrStatusReference } from './claims.js';
export { certificateKeyId, certificatesWithKeyId } from './key-id.js';
export { composeLicenseQrText, parseLicenseQrText, MAX_LICENSE_QR_TEXT, type LicenseQrText } from './qr-text.js';
export { LICENSE_QR_TYPE, signLicenseQr, type SignLicenseQrOptions } from './sign-license-qr.js';
export { MIN_QR_MODULE_MM, qrSymbolSize, type QrSymbolSize } from './symbol-size.js';
export { verifyLicenseQr } from './verify-license-qr.js';
export { verifyLicenseQrImage } from './verify-license-qr-image.js';
