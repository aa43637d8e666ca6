/**
 * Verifies a license in signed-JSON form (VC-JOSE-COSE `vc+jwt`, compact or JSON serialization with
 * several signatures) and produces the one report shape (DESIGN.md §5). Integrity, trust, license model
 * and status are separate modules; this file only composes them in order.
 */
import { fromUtf8 } from '../bytes.js';
import { isJsonObject, parseJsonStrict } from '../json/strict-parse.js';
import { DEFAULT_JWS_ALGORITHMS, LICENSE_JWS_TYPE } from '../jws/header.js';
import { parseJws, type ParsedJws } from '../jws/parse.js';
import { checkSealReference } from '../jws/seal-registry-checks.js';
import { validateLicenseCredential } from '../license/credential.js';
import { defaultLicenseTypeRegistry } from '../license/registry.js';
import { checkLicenseStatus, type StatusContext } from '../status/check-license-status.js';
import type { TrustListContent } from '../trust/trust-list.js';
import { errorMessage, forSignature, passed } from './checks.js';
import { startJwsSignatureCheck, type SignatureContext, type SignerFacts } from './jws-signature-checks.js';
import { checkValidityPeriod, licenseFindingChecks } from './license-checks.js';
import type { VerifyOptions } from './options.js';
import { worstOf, type Check, type SignatureReport, type VerificationReport } from './report.js';
import { checkIssuerAuthorized, checkIssuerBound } from './trust-checks.js';
import { summarizeLicense } from './license-summary.js';
import { reportFormatFailure, signerSummary, trustListCheck } from './report-parts.js';

/** The certificates a license signer may chain to, gathered once per verified (so settled) trust list. */
const anchorsByList = new WeakMap<TrustListContent, readonly Uint8Array[]>();

function issuerAnchors(list: TrustListContent): readonly Uint8Array[] {
  let anchors = anchorsByList.get(list);
  if (!anchors) anchorsByList.set(list, (anchors = list.issuers.flatMap((issuer) => issuer.certificates)));
  return anchors;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function sealingTime(validFrom: unknown, at: Date): Date {
  const issued = typeof validFrom === 'string' ? Date.parse(validFrom) : NaN;
  return Number.isFinite(issued) && issued <= at.getTime() ? new Date(issued) : at;
}


/** A signature only the domestic algorithm could check does not sink a document another signature proves. */
function documentSignatureVerdict(reports: readonly (SignatureReport & { notEnabled: boolean })[]) {
  const considered = reports.some((r) => r.indication === 'TOTAL_PASSED') ? reports.filter((r) => !r.notEnabled) : reports;
  return worstOf(considered);
}

export async function verifyLicenseJws(input: string | Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const { at } = options;
  let jws: ParsedJws;
  try {
    jws = parseJws(input);
  } catch (error) {
    return reportFormatFailure('jws', at, 'format.parse', `not a valid JWS: ${errorMessage(error)}`);
  }
  const trustList = options.trust && 'list' in options.trust ? options.trust.list.content : undefined;
  const signatureContext: SignatureContext = {
    at,
    algorithms: options.algorithms ?? DEFAULT_JWS_ALGORITHMS,
    expectedType: LICENSE_JWS_TYPE,
    ...(trustList ? { trustAnchors: issuerAnchors(trustList) } : {}),
    noTrustReason: options.trust ? 'the trust list is unusable' : 'no trust list given',
    crls: options.crls ?? [],
    revocation: options.certificateRevocation ?? 'require',
    ...(options.signatureCache ? { signatureCache: options.signatureCache } : {}),
  };
  // Signatures are checked off the main thread while the payload and the license are judged below: the
  // jobs start first, so everything else (even the trust list's own check) is done while they run.
  const started = jws.signatures.map((signature) => startJwsSignatureCheck(signature, signatureContext));
  for (const { outcome } of started) outcome.catch(() => undefined);
  const trust = trustListCheck(options);

  let payload: Uint8Array;
  try {
    payload = jws.payload;
  } catch (error) {
    return reportFormatFailure('jws', at, 'format.parse', `not a valid JWS: ${errorMessage(error)}`);
  }
  let credential: unknown;
  try {
    credential = parseJsonStrict(fromUtf8(payload));
  } catch (error) {
    return reportFormatFailure('jws', at, 'format.payload', `the JWS payload is not strict JSON: ${errorMessage(error)}`);
  }
  if (!isJsonObject(credential)) return reportFormatFailure('jws', at, 'format.payload', 'the JWS payload is not a JSON object');

  const subject = isJsonObject(credential.credentialSubject) ? credential.credentialSubject : {};
  const issuerCode = str(subject.certificateIssuingAuthorityCode);
  const typeCode = str(subject.certificateTypeCode);
  const trustedSigners = trustList?.issuers.filter((i) => i.code === issuerCode) ?? [];
  const statusContext: StatusContext | 'waived' | undefined =
    options.status === 'waived'
      ? 'waived'
      : options.status && {
          resolve: options.status,
          signature: {
            ...signatureContext,
            expectedType: 'vc+jwt',
            ...(trustList
              ? { trustAnchors: [...trustedSigners, ...trustList.statusIssuers].flatMap((entry) => entry.certificates) }
              : {}),
          },
          acceptedSigners: [...(issuerCode ? [issuerCode] : []), ...(trustList?.statusIssuers.map((s) => s.code) ?? [])],
          ...(options.statusCache ? { cache: options.statusCache } : {}),
        };
  const pendingStatus = checkLicenseStatus(credential.credentialStatus, statusContext, at);
  pendingStatus.catch(() => undefined);

  // Who signed is judged against the payload's issuer and type as soon as the signer's path is known,
  // before the signature value is: used only for a signature that verifies.
  const signerJudgements = started.map(({ signer }) => signer?.then(({ header, leaf, path }: SignerFacts) => [
    checkIssuerBound(leaf, issuerCode),
    checkIssuerAuthorized(path, trustList, issuerCode, typeCode),
    // A referenced seal is judged when the license was sealed: its issuance, not the validation time.
    ...(header.seal ? [checkSealReference(header.seal, trustList, issuerCode, sealingTime(credential.validFrom, at))] : []),
  ]));
  for (const judgement of signerJudgements) judgement?.catch(() => undefined);

  const registry = options.registry ?? defaultLicenseTypeRegistry;
  const model = licenseFindingChecks(validateLicenseCredential(credential, registry, { at }));
  const validity = checkValidityPeriod(credential.validFrom, credential.validUntil, at);

  const checks: Check[] = [passed('format.parse', `JWS, ${jws.form} serialization, ${jws.signatures.length} signature(s)`), trust.check];
  const signatureReports: (SignatureReport & { notEnabled: boolean })[] = [];
  const license = summarizeLicense(credential);
  // Everything that does not depend on the signature values is settled first: little is left once they are.
  const status = await pendingStatus;
  for (const [index, { outcome: pending }] of started.entries()) {
    const outcome = await pending;
    const own = [...outcome.checks];
    const judgement = signerJudgements[index];
    if (outcome.leaf && judgement && own.every((c) => c.indication !== 'TOTAL_FAILED' || c.id.startsWith('cert.'))) own.push(...(await judgement));
    checks.push(...forSignature(own, index));
    const verdict = worstOf(own);
    signatureReports.push({
      index,
      alg: outcome.header?.alg ?? String((jws.signatures[index]!.protectedHeader as { alg?: unknown } | null)?.alg ?? 'unknown'),
      ...verdict,
      ...(outcome.leaf ? { signer: signerSummary(outcome.leaf) } : {}),
      ...(outcome.path && outcome.path.path.length > 0 ? { chain: outcome.path.path.map((c) => c.subject) } : {}),
      notEnabled: outcome.algorithmNotEnabled === true,
    });
  }
  checks.push(...model.checks, validity, status.check);

  const documentChecks = checks.filter((c) => c.signature === undefined);
  // Integrity comes first: when the signature is broken, that is the reason, whatever else is wrong.
  const verdict = worstOf([documentSignatureVerdict(signatureReports), ...documentChecks]);
  return {
    valid: verdict.indication === 'TOTAL_PASSED',
    ...verdict,
    format: 'jws',
    validationTime: at.toISOString(),
    license,
    signatures: signatureReports.map(({ notEnabled: _, ...report }) => report),
    checks,
    ...(trust.snapshot ? { trustList: trust.snapshot } : {}),
    ...(status.snapshots.length > 0 ? { statusSources: status.snapshots } : {}),
    warnings: model.warnings,
  };
}
