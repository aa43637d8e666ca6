/**
 * An OFD signature of Type="Seal": a GB/T 38540 SES_Signature in SignedValue.dat, verified by core/seal
 * over the exact Signature.xml bytes (dataHash = SM3(Signature.xml), STANDARDS-CN.md §1.4).
 */
import type { CertificateInfo } from '../pki/certificate.js';
import { verifySesSignature } from '../seal/verify-ses-signature.js';
import type { ParsedSesSignature } from '../seal/types.js';
import type { VerifyOptions } from '../verify/options.js';
import type { Check } from '../verify/report.js';

export interface SealSignatureOutcome {
  readonly checks: Check[];
  readonly alg: string;
  readonly leaf?: CertificateInfo;
  readonly signature?: ParsedSesSignature;
}

export async function verifySealSignature(signedValue: Uint8Array, signatureXml: Uint8Array, options: VerifyOptions): Promise<SealSignatureOutcome> {
  const result = await verifySesSignature(signedValue, {
    data: signatureXml,
    at: options.at,
    ...(options.trust ? { trust: options.trust } : {}),
    ...(options.crls ? { crls: options.crls } : {}),
    ...(options.certificateRevocation ? { certificateRevocation: options.certificateRevocation } : {}),
    ...(options.signatureCache ? { signatureCache: options.signatureCache } : {}),
  });
  return {
    checks: result.checks,
    alg: 'SM2SM3',
    ...(result.signerCertificate ? { leaf: result.signerCertificate } : {}),
    ...(result.signature ? { signature: result.signature } : {}),
  };
}
