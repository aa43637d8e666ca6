/**
 * A seal file given to the one verifier (`verifyDocument`, format `ses`): a SES_Signature or a bare
 * SESeal, told apart by structure, judged into the one report shape. A SES_Signature alone comes
 * without the document it signed, so its data hash is INDETERMINATE (SIGNED_DATA_NOT_FOUND) here:
 * the OFD verifier, which has the document, supplies it.
 */
import { readTlv, children } from '../pki/der.js';
import { indeterminate } from '../verify/checks.js';
import { reportFormatFailure, signerSummary, trustListCheck } from '../verify/report-parts.js';
import type { VerifyOptions } from '../verify/options.js';
import { worstOf, type Check, type SignatureReport, type VerificationReport } from '../verify/report.js';
import { readSealCertificate } from './seal-certificate.js';
import { verifySesSeal } from './verify-ses-seal.js';
import { verifySesSignature } from './verify-ses-signature.js';
import { sesVerifyOptions } from './verify-options.js';

/** SES_Signature starts SEQUENCE { SEQUENCE { INTEGER version, … } }; SESeal starts SEQUENCE { SEQUENCE { SEQUENCE header, … } }. */
function looksLikeSignature(bytes: Uint8Array): boolean {
  try {
    const top = readTlv(bytes, 0);
    const first = children(bytes, top)[0];
    return first !== undefined && bytes[first.contentStart] === 0x02;
  } catch {
    return false;
  }
}

export async function verifySesDocument(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const { at } = options;
  const trust = trustListCheck(options);
  // One algorithm policy for every format: a verifier without SM2 cannot accept a seal, which is SM2 only.
  if (options.algorithms && !options.algorithms.includes('SM2SM3')) {
    const check = indeterminate('ses.algorithm', 'CRYPTO_CONSTRAINTS_FAILURE', 'electronic seals are SM2 signatures, which are not enabled in this verifier');
    return { valid: false, indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE', format: 'ses', validationTime: at.toISOString(), signatures: [], checks: [trust.check, check], warnings: [] };
  }
  let own: Check[];
  let signature: SignatureReport;
  if (looksLikeSignature(bytes)) {
    const result = await verifySesSignature(bytes, sesVerifyOptions(options));
    own = result.checks;
    signature = {
      index: 0,
      alg: 'SM2SM3',
      ...worstOf(own),
      ...(result.signerCertificate ? { signer: signerSummary(result.signerCertificate) } : {}),
    };
  } else {
    const result = await verifySesSeal(bytes, sesVerifyOptions(options));
    own = result.checks;
    const maker = result.seal ? readSealCertificate(result.seal.makerCertificate).info : undefined;
    signature = { index: 0, alg: 'SM2SM3', ...worstOf(own), ...(maker ? { signer: signerSummary(maker) } : {}) };
  }
  if (own.length === 1 && own[0]?.indication === 'TOTAL_FAILED') return reportFormatFailure('ses', at, 'ses.format', own[0].message);
  const checks = [trust.check, ...own];
  const verdict = worstOf([worstOf(own), trust.check]);
  return {
    valid: verdict.indication === 'TOTAL_PASSED',
    ...verdict,
    format: 'ses',
    validationTime: at.toISOString(),
    signatures: [signature],
    checks,
    ...(trust.snapshot ? { trustList: trust.snapshot } : {}),
    warnings: [],
  };
}
