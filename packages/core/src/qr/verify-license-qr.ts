/**
 * Verifies the signed form a license QR code holds, offline, and produces the one report shape
 * (DESIGN.md §5) with format `qr`. Parsing, the signature, trust and the license checks are separate
 * modules; this file only composes them in order.
 */
import { fromUtf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import { parseJsonStrict } from '../json/strict-parse.js';
import { DEFAULT_JWS_ALGORITHMS } from '../jws/header.js';
import { parseJws, type ParsedJws } from '../jws/parse.js';
import { endOfChinaDay, startOfChinaDay } from '../license/dates.js';
import { defaultLicenseTypeRegistry } from '../license/registry.js';
import { checkLicenseStatus, type StatusContext } from '../status/check-license-status.js';
import { errorMessage, failed, indeterminate, passed } from '../verify/checks.js';
import { checkValidityPeriod } from '../verify/license-checks.js';
import type { VerifyOptions } from '../verify/options.js';
import { reportFormatFailure, signerSummary, trustListCheck } from '../verify/report-parts.js';
import { worstOf, type Check, type LicenseSummary, type VerificationReport } from '../verify/report.js';
import { checkIssuerAuthorized, checkIssuerBound } from '../verify/trust-checks.js';
import { readLicenseQrClaims, type LicenseQrClaims } from './claims.js';
import { checkQrSignature, type QrSignatureContext } from './check-qr-signature.js';
import { parseLicenseQrText, type LicenseQrText } from './qr-text.js';

/** Longer than any signed form that prints at 30 mm; stops hostile text before JSON parsing. */
const MAX_SIGNED_FORM = 2048;

function formatFailure(at: Date, message: string): VerificationReport {
  return reportFormatFailure('qr', at, 'qr.decode', message);
}

/** A license QR from before the signed form: it names a license, but only the online page can check it. */
function urlOnly(at: Date, url: string, identifier: string): VerificationReport {
  return {
    valid: false,
    indication: 'INDETERMINATE',
    subIndication: 'SIGNED_DATA_NOT_FOUND',
    format: 'qr',
    validationTime: at.toISOString(),
    license: { identifier },
    signatures: [],
    checks: [indeterminate('qr.decode', 'SIGNED_DATA_NOT_FOUND', `the QR code holds only a URL, no signed form: verify the license online at ${url}`)],
    warnings: [],
  };
}

function identifierCheck(claims: LicenseQrClaims, qr: LicenseQrText): Check {
  const id = 'qr.identifier';
  const signed = claims.identifier.identifier;
  if (qr.identifier?.toUpperCase() !== signed) {
    return failed(id, 'FORMAT_FAILURE', `the URL names license ${qr.identifier ?? '(none)'}, the signed form ${signed}: the URL would open another license`);
  }
  if (!claims.identifier.checkCharacterValid) {
    return failed(id, 'FORMAT_FAILURE', `check character ${claims.identifier.checkCharacter} is wrong (expected ${claims.identifier.expectedCheckCharacter})`);
  }
  return passed(id, `the URL and the signed form name the same license ${signed}`);
}

function summarize(claims: LicenseQrClaims, options: VerifyOptions): LicenseSummary {
  const { identifier } = claims;
  const typeName = (options.registry ?? defaultLicenseTypeRegistry).find(identifier.typeCode)?.name;
  const trustList = options.trust && 'list' in options.trust ? options.trust.list.content : undefined;
  const issuerName = trustList?.issuers.find((issuer) => issuer.code === identifier.issuerCode)?.name;
  return {
    identifier: identifier.identifier,
    typeCode: identifier.typeCode,
    ...(typeName ? { typeName } : {}),
    holderName: claims.holderName,
    ...(issuerName ? { issuerName } : {}),
    issuerCode: identifier.issuerCode,
    validFrom: startOfChinaDay(claims.effectiveDate),
    ...(claims.expiringDate ? { validUntil: endOfChinaDay(claims.expiringDate) } : {}),
  };
}

/** The QR's status references as the credentialStatus entries the status checker reads. */
function credentialStatusOf(claims: LicenseQrClaims): unknown[] | undefined {
  if (claims.status.length === 0) return undefined;
  return claims.status.map((s) => ({
    type: 'BitstringStatusListEntry',
    statusPurpose: s.purpose,
    statusListIndex: String(s.index),
    statusListCredential: s.listUrl,
  }));
}

function statusContext(options: VerifyOptions, ctx: QrSignatureContext, issuerCode: string): StatusContext | 'waived' | undefined {
  if (options.status === 'waived' || options.status === undefined) return options.status;
  const trustList = ctx.trustList;
  return {
    resolve: options.status,
    signature: {
      at: ctx.at,
      algorithms: ctx.algorithms,
      expectedType: 'vc+jwt',
      ...(trustList
        ? { trustAnchors: [...trustList.issuers.filter((i) => i.code === issuerCode), ...trustList.statusIssuers].flatMap((e) => e.certificates) }
        : {}),
      noTrustReason: ctx.noTrustReason,
      crls: ctx.crls,
      revocation: ctx.revocation,
      ...(ctx.signatureCache ? { signatureCache: ctx.signatureCache } : {}),
    },
    acceptedSigners: [issuerCode, ...(trustList?.statusIssuers.map((s) => s.code) ?? [])],
    ...(options.statusCache ? { cache: options.statusCache } : {}),
  };
}

async function statusCheck(claims: LicenseQrClaims, options: VerifyOptions, ctx: QrSignatureContext): Promise<Awaited<ReturnType<typeof checkLicenseStatus>>> {
  const entries = credentialStatusOf(claims);
  if (entries === undefined && options.status !== 'waived') {
    return { check: indeterminate('license.status', 'TRY_LATER', `the QR carries no status reference: check the status online at ${ctx.onlineUrl}`), snapshots: [] };
  }
  return checkLicenseStatus(entries, statusContext(options, ctx, claims.identifier.issuerCode), ctx.at);
}

/** Verifies the text read from a license QR code. Never throws for bad input: it is a report. */
export async function verifyLicenseQr(text: string, options: VerifyOptions): Promise<VerificationReport> {
  const { at } = options;
  let qr: LicenseQrText;
  try {
    qr = parseLicenseQrText(text);
  } catch (error) {
    return formatFailure(at, `not a license QR code: ${errorMessage(error)}`);
  }
  if (qr.identifier === undefined) return formatFailure(at, `not a license QR code: ${qr.verificationUrl} names no license (no id parameter)`);
  if (qr.signed === undefined) return urlOnly(at, qr.verificationUrl, qr.identifier);
  if (qr.signed.length > MAX_SIGNED_FORM) return formatFailure(at, `the signed form is ${qr.signed.length} characters, more than a license QR holds`);
  let jws: ParsedJws;
  let claims: LicenseQrClaims;
  try {
    jws = parseJws(qr.signed);
    if (jws.form !== 'compact') return formatFailure(at, 'the signed form is not a compact JWS');
    claims = readLicenseQrClaims(parseJsonStrict(fromUtf8(jws.payload), { maxLength: MAX_SIGNED_FORM, maxDepth: 4 }));
  } catch (error) {
    const what = isElicenseError(error, 'ERR_QR_INVALID') ? 'the signed claims are wrong' : 'the signed form is not a JWS';
    return formatFailure(at, `${what}: ${errorMessage(error)}`);
  }

  const trust = trustListCheck(options);
  const trustList = options.trust && 'list' in options.trust ? options.trust.list.content : undefined;
  const ctx: QrSignatureContext = {
    at,
    algorithms: options.algorithms ?? DEFAULT_JWS_ALGORITHMS,
    ...(trustList ? { trustList } : {}),
    certificates: options.signerCertificates ?? [],
    noTrustReason: options.trust ? 'the trust list is unusable' : 'no trust list given',
    crls: options.crls ?? [],
    revocation: options.certificateRevocation ?? 'require',
    ...(options.signatureCache ? { signatureCache: options.signatureCache } : {}),
    onlineUrl: qr.verificationUrl,
  };
  const pendingStatus = statusCheck(claims, options, ctx);
  pendingStatus.catch(() => undefined);
  const { identifier } = claims;
  const outcome = await checkQrSignature(jws.signatures[0]!, ctx);
  const signatureChecks = [...outcome.checks];
  if (outcome.leaf && signatureChecks.every((c) => c.indication !== 'TOTAL_FAILED' || c.id.startsWith('cert.'))) {
    signatureChecks.push(checkIssuerBound(outcome.leaf, identifier.issuerCode));
    signatureChecks.push(checkIssuerAuthorized(outcome.path, trustList, identifier.issuerCode, identifier.typeCode));
  }
  const status = await pendingStatus;
  const validity = checkValidityPeriod(
    startOfChinaDay(claims.effectiveDate),
    claims.expiringDate === undefined ? undefined : endOfChinaDay(claims.expiringDate),
    at,
  );
  const checks: Check[] = [
    passed('qr.decode', `license QR: verification URL ${qr.verificationUrl}, signed form of ${qr.signed.length} characters`),
    trust.check,
    ...signatureChecks,
    identifierCheck(claims, qr),
    validity,
    status.check,
  ];
  const signatureVerdict = worstOf(signatureChecks);
  // Integrity comes first: when the signature is broken, that is the reason, whatever else is wrong.
  const verdict = worstOf([signatureVerdict, ...checks]);
  return {
    valid: verdict.indication === 'TOTAL_PASSED',
    ...verdict,
    format: 'qr',
    validationTime: at.toISOString(),
    license: summarize(claims, options),
    signatures: [
      {
        index: 0,
        alg: outcome.alg ?? 'unknown',
        ...signatureVerdict,
        ...(outcome.leaf ? { signer: signerSummary(outcome.leaf) } : {}),
        ...(outcome.path && outcome.path.path.length > 0 ? { chain: outcome.path.path.map((c) => c.subject) } : {}),
      },
    ],
    checks,
    ...(trust.snapshot ? { trustList: trust.snapshot } : {}),
    ...(status.snapshots.length > 0 ? { statusSources: status.snapshots } : {}),
    warnings: [`the verification URL ${qr.verificationUrl} is not covered by the signature: open it only on a host you know to be the platform's`],
  };
}
