/**
 * A photo or scan of a license QR code. Core reads no images (it stays free of image codecs and runs in
 * browsers as is), so the caller's decoder turns the image into the QR text first.
 */
import { errorMessage } from '../verify/checks.js';
import type { VerifyOptions } from '../verify/options.js';
import { reportFormatFailure } from '../verify/report-parts.js';
import type { VerificationReport } from '../verify/report.js';
import { verifyLicenseQr } from './verify-license-qr.js';

export async function verifyLicenseQrImage(image: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  if (!options.decodeQrImage) {
    return reportFormatFailure('qr', options.at, 'qr.decode', 'a QR code image needs an image decoder (VerifyOptions.decodeQrImage); none was given');
  }
  let text: string;
  try {
    text = await options.decodeQrImage(image);
  } catch (error) {
    return reportFormatFailure('qr', options.at, 'qr.decode', `no license QR code read from the image: ${errorMessage(error)}`);
  }
  return verifyLicenseQr(text, options);
}
