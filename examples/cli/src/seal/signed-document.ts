/**
 * `seal verify --data`: the one report of `verify` for a SES signature, with its data-hash check made
 * against the document the user names. The document verifier has no place for a detached document (a
 * signature file alone reports SIGNED_DATA_NOT_FOUND), so the signature verifier, which has, supplies
 * that one check, and the verdicts are taken again over the checks.
 */
import { sesVerifyOptions, verifySesSignature, worstOf, type VerificationReport, type VerifyOptions } from '@elicense/core';

const DATA_HASH = 'ses.data-hash';

/** Undefined when the report has no data-hash check: the file is a seal, or not a readable signature. */
export async function withSignedDocument(
  report: VerificationReport,
  signature: Uint8Array,
  document: Uint8Array,
  options: VerifyOptions,
): Promise<VerificationReport | undefined> {
  if (!report.checks.some((check) => check.id === DATA_HASH)) return undefined;
  const { checks } = await verifySesSignature(signature, { ...sesVerifyOptions(options), data: document });
  const dataHash = checks.find((check) => check.id === DATA_HASH);
  if (dataHash === undefined) return undefined;
  const merged = report.checks.map((check) => (check.id === DATA_HASH ? dataHash : check));
  const verdict = worstOf(merged);
  // The signature's own verdict leaves out the trust list's check, as the document verifier does.
  const own = worstOf(merged.filter((check) => check.id !== 'trust.list'));
  const { subIndication: _overall, ...rest } = report;
  return {
    ...rest,
    ...verdict,
    valid: verdict.indication === 'TOTAL_PASSED',
    checks: merged,
    signatures: report.signatures.map(({ subIndication: _own, ...signature }) => ({ ...signature, ...own })),
  };
}
