/** Report pieces every format's verifier builds the same way. */
import type { CertificateInfo } from '../pki/certificate.js';
import { failed, indeterminate, passed } from './checks.js';
import type { VerifyOptions } from './options.js';
import type { Check, ReportFormat, SignerSummary, SnapshotReference, VerificationReport } from './report.js';

/** A document that could not even be read: one FORMAT_FAILURE check. */
export function reportFormatFailure(format: ReportFormat, at: Date, id: string, message: string): VerificationReport {
  return {
    valid: false,
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    format,
    validationTime: at.toISOString(),
    signatures: [],
    checks: [failed(id, 'FORMAT_FAILURE', message)],
    warnings: [],
  };
}

/** One summary per certificate: a verifier sees the same few signers in every license. */
const summaries = new WeakMap<CertificateInfo, SignerSummary>();

export function signerSummary(leaf: CertificateInfo): SignerSummary {
  let summary = summaries.get(leaf);
  if (!summary) summaries.set(leaf, (summary = summarize(leaf)));
  // A copy, so a caller that edits its report cannot change the next one.
  return { ...summary };
}

function summarize(leaf: CertificateInfo): SignerSummary {
  return {
    subject: leaf.subject,
    issuer: leaf.issuer,
    serialNumber: leaf.serialNumber,
    ...(leaf.organizationCode ? { organizationCode: leaf.organizationCode } : {}),
    ...(leaf.organizationName ? { organizationName: leaf.organizationName } : {}),
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
  };
}

/** The `trust.list` check: whether a usable, current trust list was given, and which one. */
export function trustListCheck(options: VerifyOptions): { check: Check; snapshot?: SnapshotReference } {
  const id = 'trust.list';
  if (!options.trust) return { check: indeterminate(id, 'NO_CERTIFICATE_CHAIN_FOUND', 'no trust list given: nothing is trusted') };
  if ('error' in options.trust) return { check: indeterminate(id, 'NO_CERTIFICATE_CHAIN_FOUND', `the trust list is unusable: ${options.trust.error}`) };
  const { list } = options.trust;
  const snapshot: SnapshotReference = {
    sha256: list.sha256,
    sequence: list.content.sequence,
    issued: list.content.issued,
    nextUpdate: list.content.nextUpdate,
    stale: list.stale,
  };
  const who = `trust list #${list.content.sequence} of ${list.content.operator.name}`;
  const pin = list.pinned ? 'pinned operator certificate' : 'operator certificate taken from the list itself (not pinned)';
  if (list.stale) {
    return { check: indeterminate(id, 'TRY_LATER', `${who} is stale: its next update was due ${list.content.nextUpdate}`), snapshot };
  }
  return { check: passed(id, `${who}, signature verified with the ${pin}, next update ${list.content.nextUpdate}`), snapshot };
}
