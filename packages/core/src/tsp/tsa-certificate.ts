/**
 * RFC 3161 §2.3: a time-stamping authority's certificate carries exactly one extended key usage,
 * id-kp-timeStamping, in a critical extension. Checked when an authority is created and when a token
 * is verified.
 */
import { EXTENSION_OID, type CertificateInfo } from '../pki/certificate.js';
import { CMS_OID } from '../cms/oids.js';

/** Why `certificate` may not sign time-stamp tokens, or undefined when it may. */
export function timeStampingCertificateProblem(certificate: CertificateInfo): string | undefined {
  const eku = certificate.extKeyUsage;
  if (!eku) return `${certificate.subject} has no extended key usage; a TSA certificate needs id-kp-timeStamping`;
  if (eku.length !== 1 || eku[0] !== CMS_OID.timeStamping) {
    return `${certificate.subject} has extended key usages ${eku.join(', ')}; a TSA certificate has id-kp-timeStamping only`;
  }
  if (!certificate.criticalExtensions.includes(EXTENSION_OID.extKeyUsage)) {
    return `the extended key usage of ${certificate.subject} is not critical`;
  }
  return undefined;
}
