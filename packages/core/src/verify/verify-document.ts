/** The single entry point: detects the format and runs that format's verifier. */
import { errorMessage, failed } from './checks.js';
import { detectFormat } from './detect-format.js';
import type { VerifyOptions } from './options.js';
import type { ReportFormat, VerificationReport } from './report.js';
import { verifyLicenseJws } from './verify-license-jws.js';

function unsupported(format: ReportFormat, at: Date, message: string): VerificationReport {
  return {
    valid: false,
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    format,
    validationTime: at.toISOString(),
    signatures: [],
    checks: [failed('format.detect', 'FORMAT_FAILURE', message)],
    warnings: [],
  };
}

export async function verifyDocument(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const format = detectFormat(bytes);
  try {
    switch (format) {
      case 'jws':
        return await verifyLicenseJws(bytes, options);
      case 'unknown':
        return unsupported(format, options.at, 'not a recognised license format (signed JSON, PDF, OFD, seal or QR image)');
      default:
        return unsupported(format, options.at, `${format.toUpperCase()} documents are not supported by this version of the verifier`);
    }
  } catch (error) {
    // Verifiers report rather than throw; anything that still escapes is a format failure, never a pass.
    return unsupported(format, options.at, `could not be verified: ${errorMessage(error)}`);
  }
}
