/** The single entry point: detects the format and runs that format's verifier. */
import { errorMessage } from './checks.js';
import { reportFormatFailure } from './report-parts.js';
import { detectFormat } from './detect-format.js';
import type { VerifyOptions } from './options.js';
import type { ReportFormat, VerificationReport } from './report.js';
import { verifyLicenseJws } from './verify-license-jws.js';
import { verifyLicensePdf } from '../pades/verify-pdf.js';
import { verifyLicenseQrImage } from '../qr/verify-license-qr-image.js';
import { verifyOfd } from '../ofd/verify-ofd.js';
import { verifySesDocument } from '../seal/verify-ses-document.js';

function unsupported(format: ReportFormat, at: Date, message: string): VerificationReport {
  return reportFormatFailure(format, at, 'format.detect', message);
}

export async function verifyDocument(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const format = detectFormat(bytes);
  try {
    switch (format) {
      case 'jws':
        return await verifyLicenseJws(bytes, options);
      case 'pdf':
        return await verifyLicensePdf(bytes, options);
      case 'qr':
        return await verifyLicenseQrImage(bytes, options);
      case 'ofd':
        return await verifyOfd(bytes, options);
      case 'ses':
        return await verifySesDocument(bytes, options);
      case 'unknown':
        return unsupported(format, options.at, 'not a recognised license format (signed JSON, PDF, OFD, seal or QR image)');
      default:
        return unsupported(format, options.at, `${String(format).toUpperCase()} documents are not supported by this version of the verifier`);
    }
  } catch (error) {
    // Verifiers report rather than throw; anything that still escapes is a format failure, never a pass.
    return unsupported(format, options.at, `could not be verified: ${errorMessage(error)}`);
  }
}
