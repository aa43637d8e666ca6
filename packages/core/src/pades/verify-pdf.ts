/**
 * Verifies a license PDF: every signature and document timestamp (ByteRange, changes after signing,
 * CMS integrity, signature timestamp, chain to the trust list at the proven signing time, revocation
 * from the DSS or given CRLs), then the signed JSON license it carries, judged like the JSON form.
 * The PDF's own structure is read by the hostile-input parser; nothing here trusts the file.
 */
import { concatBytes } from '../bytes.js';
import { DEFAULT_JWS_ALGORITHMS } from '../jws/header.js';
import { parseCmsSignedData, signatureTimestampTokens, verifyCmsSignature, type CmsAttribute, type ParsedCmsSignedData } from '../cms/index.js';
import { parseCertificate, parseCertificateCached, type CertificateInfo } from '../pki/certificate.js';
import { validateCertificatePath, type PathValidation } from '../pki/path.js';
import type { PdfDocument } from '../pdf/parse/index.js';
import { analyzePdfSignatures, digestSignedChunks, type PdfSignatureInfo } from '../pdf/verify/index.js';
import { verifyTimeStampToken, type TimeStampVerification } from '../tsp/index.js';
import type { TrustListContent } from '../trust/trust-list.js';
import { errorMessage, failed, forSignature, indeterminate, passed, pathNotChecked, withPathPrefix } from '../verify/checks.js';
import type { VerifyOptions } from '../verify/options.js';
import { reportFormatFailure, signerSummary, trustListCheck } from '../verify/report-parts.js';
import { worstOf, type Check, type LicenseSummary, type PdfSignatureSummary, type SignatureReport, type VerificationReport } from '../verify/report.js';
import { checkIssuerAuthorized, checkIssuerBound } from '../verify/trust-checks.js';
import { verifyLicenseJws } from '../verify/verify-license-jws.js';
import { sesVerifyOptions } from '../seal/verify-options.js';
import { pageText } from './page-text.js';
import { readEmbeddedLicense } from '../pdf/render/extract-embedded-license.js';
import { readDss, type DssData } from './pdf-contents.js';
import { checkPdfSeal } from './pdf-seal-checks.js';
import { readSignatureAppearance, type SignatureAppearanceRead } from './signature-appearance.js';

const SIGNATURE_SUB_FILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached']);

interface Context {
  readonly options: VerifyOptions;
  readonly trustList?: TrustListContent;
  readonly dss: DssData;
  readonly crls: readonly Uint8Array[];
}

interface SignatureOutcome {
  readonly checks: Check[];
  readonly alg: string;
  readonly leaf?: CertificateInfo;
  readonly path?: PathValidation;
  readonly timestampTime?: Date;
  /** The SignerInfo's signed attributes, where the seal travels. */
  readonly signedAttributes?: readonly CmsAttribute[];
}

function certificatesOf(signedData: ParsedCmsSignedData | undefined, dss: DssData): Uint8Array[] {
  return [...(signedData?.certificates.map((c) => c.der) ?? []), ...dss.certificates];
}

async function validatePath(leaf: CertificateInfo | Uint8Array, intermediates: readonly Uint8Array[], anchors: readonly Uint8Array[], at: Date, ctx: Context): Promise<PathValidation> {
  return validateCertificatePath({
    leaf,
    intermediates: intermediates.flatMap((der) => {
      try {
        return [parseCertificateCached(der)];
      } catch {
        return [];
      }
    }),
    trustAnchors: anchors,
    at,
    crls: ctx.crls,
    revocation: ctx.options.certificateRevocation ?? 'require',
    ...(ctx.options.signatureCache ? { signatureCache: ctx.options.signatureCache } : {}),
  });
}

/** A timestamp token's own checks plus its authority's chain to the trust list's time-stamping authorities. */
async function checkTimestamp(token: Uint8Array, subject: { data: Uint8Array }, ctx: Context): Promise<{ checks: Check[]; verification?: TimeStampVerification; trusted: boolean }> {
  let verification: TimeStampVerification;
  try {
    verification = await verifyTimeStampToken(token, subject, { certificates: ctx.dss.certificates });
  } catch (error) {
    return { checks: [failed('tsp.token', 'FORMAT_FAILURE', `the timestamp token is unreadable: ${errorMessage(error)}`)], trusted: false };
  }
  const checks = [...verification.checks];
  if (!verification.valid || !verification.tsaCertificate) return { checks, verification, trusted: false };
  const anchors = ctx.trustList?.timestampAuthorities?.flatMap((tsa) => tsa.certificates) ?? [];
  if (!ctx.trustList) return { checks: [...checks, ...pathNotChecked('no trust list given', 'tsp.cert')], verification, trusted: false };
  if (anchors.length === 0) {
    return { checks: [...checks, ...pathNotChecked('the trust list names no time-stamping authority', 'tsp.cert')], verification, trusted: false };
  }
  const path = await validatePath(verification.tsaCertificate, [...verification.certificates, ...ctx.dss.certificates], anchors, ctx.options.at, ctx);
  return { checks: [...checks, ...withPathPrefix(path.checks, 'tsp.cert')], verification, trusted: path.status === 'valid' };
}

async function checkSignature(sig: PdfSignatureInfo, ctx: Context): Promise<SignatureOutcome> {
  const checks: Check[] = [];
  if (!SIGNATURE_SUB_FILTERS.has(sig.subFilter ?? '')) {
    checks.push(failed('pdf.sub-filter', 'FORMAT_FAILURE', `signature SubFilter ${sig.subFilter ?? '(none)'} is not ETSI.CAdES.detached`));
    return { checks, alg: 'unknown' };
  }
  if (!sig.cms || !sig.signedChunks) return { checks, alg: 'unknown' };
  let signedData: ParsedCmsSignedData;
  try {
    signedData = parseCmsSignedData(sig.cms);
  } catch (error) {
    checks.push(failed('cms.parse', 'FORMAT_FAILURE', `the signature is not a CMS SignedData: ${errorMessage(error)}`));
    return { checks, alg: 'unknown' };
  }
  const info = signedData.signerInfos[0];
  if (!info || signedData.signerInfos.length !== 1) {
    checks.push(failed('cms.signers', 'FORMAT_FAILURE', `a PAdES signature has exactly one SignerInfo, found ${signedData.signerInfos.length}`));
    return { checks, alg: 'unknown' };
  }
  const alg = typeof info.signatureAlgorithm === 'string' ? info.signatureAlgorithm : 'unknown';
  // One algorithm policy for every format: a verifier without SM2 enabled cannot accept an SM2 PDF either.
  const accepted = ctx.options.algorithms ?? DEFAULT_JWS_ALGORITHMS;
  if (typeof info.signatureAlgorithm === 'string' && !accepted.includes(info.signatureAlgorithm)) {
    checks.push(indeterminate('cms.algorithm', 'CRYPTO_CONSTRAINTS_FAILURE', `${info.signatureAlgorithm} signatures are not enabled in this verifier`));
    return { checks, alg };
  }
  if (!info.digestAlgorithm) {
    checks.push(failed('cms.digest-algorithm', 'CRYPTO_CONSTRAINTS_FAILURE', `unsupported digest algorithm ${info.digestAlgorithmOid}`));
    return { checks, alg };
  }
  if (signedData.encapsulatedContent !== undefined) {
    checks.push(failed('cms.detached', 'FORMAT_FAILURE', 'a PDF signature must be detached: this CMS carries its own content'));
    return { checks, alg };
  }
  // The signature over the signed attributes is checked while the byte ranges are digested.
  const contentDigest = digestSignedChunks(sig.signedChunks, info.digestAlgorithm);
  contentDigest.catch(() => undefined);
  // The signature timestamp covers the signature value, which is known from parsing: it is checked at
  // the same time as the signature, and its outcome used only if the signature holds.
  const [token, ...more] = signatureTimestampTokens(info);
  const pendingStamp = token ? checkTimestamp(token, { data: info.signature }, ctx) : undefined;
  pendingStamp?.catch(() => undefined);
  const verification = await verifyCmsSignature(signedData, { contentDigest, certificates: ctx.dss.certificates });
  checks.push(...verification.checks);
  const signer = verification.signers[0];
  const leaf = signer?.certificate;
  if (!signer || !leaf || checks.some((c) => c.indication === 'TOTAL_FAILED')) return { checks, alg, ...(leaf ? { leaf } : {}) };

  let timestampTime: Date | undefined;
  if (pendingStamp) {
    const stamp = await pendingStamp;
    checks.push(...stamp.checks);
    if (more.length > 0) checks.push(passed('tsp.count', `${more.length + 1} signature timestamps; the first is used`));
    if (stamp.trusted && stamp.verification) timestampTime = stamp.verification.genTime;
  }
  const attributes = info.signedAttributes ? { signedAttributes: info.signedAttributes } : {};
  if (!ctx.trustList) {
    checks.push(...pathNotChecked('no trust list given'));
    return { checks, alg, leaf, ...attributes, ...(timestampTime ? { timestampTime } : {}) };
  }
  // The chain is judged when the signature provably existed: the timestamp's time when there is one.
  const anchors = ctx.trustList.issuers.flatMap((issuer) => issuer.certificates);
  const path = await validatePath(leaf, certificatesOf(signedData, ctx.dss), anchors, timestampTime ?? ctx.options.at, ctx);
  checks.push(...path.checks);
  return { checks, alg, leaf, path, ...attributes, ...(timestampTime ? { timestampTime } : {}) };
}

async function checkDocumentTimestamp(sig: PdfSignatureInfo, ctx: Context): Promise<SignatureOutcome> {
  if (sig.subFilter !== 'ETSI.RFC3161') {
    return { checks: [failed('pdf.sub-filter', 'FORMAT_FAILURE', `document timestamp SubFilter ${sig.subFilter ?? '(none)'} is not ETSI.RFC3161`)], alg: 'unknown' };
  }
  if (!sig.cms || !sig.signedChunks) return { checks: [], alg: 'unknown' };
  const stamp = await checkTimestamp(sig.cms, { data: concatBytes(...sig.signedChunks) }, ctx);
  const tsa = stamp.verification?.tsaCertificate;
  return {
    checks: stamp.checks,
    alg: 'RFC3161',
    ...(tsa ? { leaf: parseCertificate(tsa) } : {}),
    ...(stamp.trusted && stamp.verification ? { timestampTime: stamp.verification.genTime } : {}),
  };
}

/** B-B, B-T, B-LT, B-LTA, after ETSI EN 319 142-1 §6, for the signatures that verified. */
function padesLevel(sig: PdfSignatureInfo, outcome: SignatureOutcome, all: readonly PdfSignatureInfo[], dss: DssData): string | undefined {
  if (sig.kind === 'timestamp') return undefined;
  let level = 'B-B';
  if (outcome.timestampTime) level = 'B-T';
  if (level === 'B-T' && dss.certificates.length > 0 && dss.crls.length > 0) level = 'B-LT';
  if (level === 'B-LT' && all.some((other) => other.kind === 'timestamp' && (other.signedRevision ?? -1) > (sig.signedRevision ?? Infinity))) level = 'B-LTA';
  return level;
}

function summary(sig: PdfSignatureInfo, outcome: SignatureOutcome, level: string | undefined): PdfSignatureSummary {
  return {
    kind: sig.kind,
    field: sig.field,
    ...(sig.subFilter ? { subFilter: sig.subFilter } : {}),
    ...(sig.coverage ? { coveredBytes: sig.coverage.coveredBytes, fileBytes: sig.coverage.fileBytes, wholeFile: sig.coverage.wholeFile } : {}),
    ...(sig.signingTimeM ? { claimedSigningTime: sig.signingTimeM } : {}),
    ...(outcome.timestampTime ? { timestampTime: outcome.timestampTime.toISOString() } : {}),
    ...(level ? { level } : {}),
  };
}

/** The license fields a reader of the printed page relies on: they must be on the page as in the data. */
const KEY_FIELDS: readonly [keyof LicenseSummary, string][] = [
  ['typeName', '证照名称'],
  ['identifier', '证照标识'],
  ['number', '证照编号'],
  ['holderName', '持证主体'],
  ['issuerName', '颁证机构'],
];

/** The page's text, or undefined when a content stream is one the parser refuses. */
async function readPageText(doc: PdfDocument, revision: number): Promise<string | undefined> {
  try {
    return await pageText(doc.at(revision));
  } catch {
    return undefined;
  }
}

function checkPageMatchesLicense(text: string | undefined, license: LicenseSummary): Check {
  const id = 'pdf.page-matches-license';
  if (text === undefined) return indeterminate(id, 'SIGNED_DATA_NOT_FOUND', 'the page text cannot be read, so it cannot be compared with the embedded license');
  const page = text.replace(/\s+/g, '');
  const missing = KEY_FIELDS.filter(([key]) => {
    const value = license[key];
    return typeof value === 'string' && !page.includes(value.replace(/\s+/g, ''));
  });
  if (missing.length > 0) {
    return failed(id, 'FORMAT_FAILURE', `the page does not show the embedded license's ${missing.map(([key, label]) => `${label} "${String(license[key])}"`).join(', ')}`);
  }
  return passed(id, `the page shows the license's ${KEY_FIELDS.filter(([key]) => typeof license[key] === 'string').map(([, label]) => label).join(', ')}`);
}

/** The embedded license, judged like the JSON form; its JWS signature checks are folded into one. */
async function checkEmbeddedLicense(doc: PdfDocument, revision: number, options: VerifyOptions): Promise<{ checks: Check[]; report?: VerificationReport }> {
  let jws: string | undefined;
  try {
    jws = await readEmbeddedLicense(doc.at(revision));
  } catch (error) {
    return { checks: [failed('pdf.embedded-license', 'FORMAT_FAILURE', `the embedded license.jws cannot be read: ${errorMessage(error)}`)] };
  }
  if (jws === undefined) {
    return { checks: [failed('pdf.embedded-license', 'FORMAT_FAILURE', 'the signed revision carries no embedded license.jws: this is not a license PDF')] };
  }
  const pendingReport = verifyLicenseJws(jws, options);
  pendingReport.catch(() => undefined);
  // The page is read while the license's signatures are checked.
  const text = await readPageText(doc, revision);
  const report = await pendingReport;
  const integrity = report.checks.filter((c) => c.id.startsWith('jws.') || c.id.startsWith('format.') || c.id.startsWith('cert.') || c.id.startsWith('trust.issuer') || c.id === 'trust.seal-status');
  const verdict = worstOf(integrity);
  const embedded =
    verdict.indication === 'TOTAL_PASSED'
      ? passed('pdf.embedded-license', `the embedded license.jws verifies (${report.signatures.map((s) => s.alg).join(' + ')})`)
      : {
          id: 'pdf.embedded-license',
          indication: verdict.indication,
          ...(verdict.subIndication ? { subIndication: verdict.subIndication } : {}),
          message: `the embedded license.jws does not verify: ${integrity.filter((c) => c.indication !== 'TOTAL_PASSED').map((c) => `${c.id} ${c.message}`).join('; ')}`,
        };
  const licenseChecks = report.checks.filter((c) => c.id.startsWith('license.'));
  const page = report.license ? [checkPageMatchesLicense(text, report.license)] : [];
  return { checks: [embedded, ...page, ...licenseChecks], report };
}

async function appearanceOf(doc: PdfDocument, field: string): Promise<SignatureAppearanceRead> {
  try {
    return await readSignatureAppearance(doc.at(), field);
  } catch (error) {
    return { found: false, reason: `the appearance cannot be read: ${errorMessage(error)}` };
  }
}

/** The seal is judged when it was used: the proven signing time, else the one the signer states. */
function sealingTime(sig: PdfSignatureInfo, outcome: SignatureOutcome): { time?: Date; what: string } {
  if (outcome.timestampTime) return { time: outcome.timestampTime, what: 'the timestamped signing time' };
  const stated = sig.signingTimeM ? new Date(sig.signingTimeM) : undefined;
  return stated && Number.isFinite(stated.getTime()) ? { time: stated, what: 'the signing time the signer states (/M)' } : { what: 'the signing time' };
}

export async function verifyLicensePdf(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const { at } = options;
  const analysis = await analyzePdfSignatures(bytes);
  if (analysis.documentChecks.some((c) => c.indication === 'TOTAL_FAILED')) {
    return { ...reportFormatFailure('pdf', at, 'pdf.structure', 'unreadable PDF'), checks: [...analysis.documentChecks] };
  }
  if (analysis.signatures.length === 0) return reportFormatFailure('pdf', at, 'pdf.signatures', 'the PDF carries no signature');
  const doc = analysis.document;
  if (!doc) return reportFormatFailure('pdf', at, 'pdf.structure', 'unreadable PDF');
  const trust = trustListCheck(options);
  const trustList = options.trust && 'list' in options.trust ? options.trust.list.content : undefined;
  const dss = await readDss(doc.at());
  const ctx: Context = { options, dss, crls: [...(options.crls ?? []), ...dss.crls], ...(trustList ? { trustList } : {}) };

  const issuing = analysis.signatures.find((s) => s.kind !== 'timestamp');
  // The embedded license is checked while the signatures are: each waits on its own digests and
  // signature checks (off the main thread), and one's waiting is the other's parsing time. The
  // signatures go one after another, as each digests a copy of the bytes it covers (up to the whole
  // file): a file with many signatures never holds more than one such copy. The report is put together
  // in document order afterwards. The embedded license's own chain is checked with the same revocation
  // data the PDF carries.
  const pendingEmbedded = checkEmbeddedLicense(doc, issuing?.signedRevision ?? doc.lastRevision, { ...options, crls: ctx.crls });
  let previous: Promise<unknown> = Promise.resolve();
  const pendingOutcomes = analysis.signatures.map((sig): Promise<SignatureOutcome> => {
    const outcome = previous.then(() =>
      sig.checks.some((c) => c.indication === 'TOTAL_FAILED' && c.id !== 'pdf.modifications')
        ? { checks: [], alg: 'unknown' }
        : sig.kind === 'timestamp'
          ? checkDocumentTimestamp(sig, ctx)
          : checkSignature(sig, ctx),
    );
    previous = outcome.catch(() => undefined);
    return outcome;
  });
  for (const pending of [pendingEmbedded, ...pendingOutcomes]) pending.catch(() => undefined);
  const embedded = await pendingEmbedded;
  const license = embedded.report?.license;

  const checks: Check[] = [...analysis.documentChecks, trust.check];
  const signatures: SignatureReport[] = [];
  const warnings = [...(embedded.report?.warnings ?? [])];
  for (const [i, sig] of analysis.signatures.entries()) {
    const own = [...sig.checks];
    const outcome = await pendingOutcomes[i]!;
    own.push(...outcome.checks);
    if (sig === issuing && outcome.leaf && own.every((c) => c.indication !== 'TOTAL_FAILED' || c.id.startsWith('cert.'))) {
      own.push(checkIssuerBound(outcome.leaf, license?.issuerCode), checkIssuerAuthorized(outcome.path, trustList, license?.issuerCode, license?.typeCode));
      const sealed = await checkPdfSeal({
        signedAttributes: outcome.signedAttributes,
        signerCertificate: outcome.leaf.der,
        ...(outcome.path ? { signerPath: outcome.path } : {}),
        appearance: await appearanceOf(doc, sig.field),
        issuerCode: license?.issuerCode,
        sealingTime: sealingTime(sig, outcome),
        options: { ...sesVerifyOptions(options), crls: ctx.crls },
      });
      own.push(...sealed.checks);
      warnings.push(...sealed.warnings);
    }
    checks.push(...forSignature(own, sig.index));
    signatures.push({
      index: sig.index,
      alg: outcome.alg,
      ...worstOf(own),
      ...(outcome.leaf ? { signer: signerSummary(outcome.leaf) } : {}),
      ...(outcome.path && outcome.path.path.length > 0 ? { chain: outcome.path.path.map((c) => c.subject) } : {}),
      pdf: summary(sig, outcome, worstOf(own).indication === 'TOTAL_PASSED' ? padesLevel(sig, outcome, analysis.signatures, dss) : undefined),
    });
  }
  checks.push(...embedded.checks);
  // Integrity first, as for JSON: a broken signature is the reason whatever else is wrong.
  const verdict = worstOf([worstOf(signatures), ...checks.filter((c) => c.signature === undefined)]);
  return {
    valid: verdict.indication === 'TOTAL_PASSED',
    ...verdict,
    format: 'pdf',
    validationTime: at.toISOString(),
    ...(license ? { license } : {}),
    signatures,
    checks,
    ...(trust.snapshot ? { trustList: trust.snapshot } : {}),
    ...(embedded.report?.statusSources ? { statusSources: embedded.report.statusSources } : {}),
    warnings,
  };
}
