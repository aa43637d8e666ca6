/**
 * Verifies an OFD document's signatures (GB/T 33190 §18 with GB/T 38540 seals or GB/T 35275 signed
 * data) into the one report shape. Per signature, in order: its files can be read, every Reference's
 * CheckValue matches its file, the seal file is the seal inside the signature, the signature itself
 * (SES_Signature through core/seal, with dataHash over the exact Signature.xml bytes; or SignedData
 * through core/cms), then what the signature leaves uncovered.
 */
import { equalBytes } from '../bytes.js';
import { errorMessage, failed, forSignature, indeterminate, passed } from '../verify/checks.js';
import type { VerifyOptions } from '../verify/options.js';
import { reportFormatFailure, signerSummary, trustListCheck } from '../verify/report-parts.js';
import { worstOf, type Check, type SignatureReport, type VerificationReport } from '../verify/report.js';
import type { CertificateInfo } from '../pki/certificate.js';
import type { ChainContext } from '../seal/chain-checks.js';
import type { ParsedSesSignature } from '../seal/types.js';
import { chainContext } from '../seal/verify-options.js';
import { checkCoverage, signatureBookkeeping } from './check-coverage.js';
import { checkReferences } from './check-references.js';
import { readOfdPackage, type OfdPackage, type OfdSignatureEntry, type OfdSignatureFiles } from './read-ofd-package.js';
import { verifySealSignature } from './verify-seal-signature.js';
import { verifySignSignature } from './verify-sign-signature.js';
import { tryRead } from './zip.js';

interface SignatureOutcome {
  readonly checks: Check[];
  readonly alg: string;
  readonly leaf?: CertificateInfo;
  readonly warnings: string[];
}

interface Context {
  readonly pkg: OfdPackage;
  readonly options: VerifyOptions;
  readonly exempt: (name: string) => boolean;
  readonly chain: ChainContext;
  readonly anchors?: readonly Uint8Array[];
  readonly noTrustReason: string;
}

/** Seal.esl, when the signature names one, must be exactly the seal the signer signed (ofdrw checkSealMatch). */
function sealFileCheck(ctx: Context, files: OfdSignatureFiles, signature: ParsedSesSignature | undefined): Check | undefined {
  const id = 'ofd.seal-file';
  // Without a readable signature its own checks say why; there is no seal to compare with.
  if (files.sealFile === undefined || !signature) return undefined;
  const sealFile = tryRead(ctx.pkg.archive, files.sealFile);
  if ('problem' in sealFile) return failed(id, 'FORMAT_FAILURE', `the seal file ${files.sealFile}: ${sealFile.problem}`);
  return equalBytes(sealFile.data, signature.seal.der)
    ? passed(id, `${files.sealFile} is the seal inside the signature`)
    : failed(id, 'SIG_CONSTRAINTS_FAILURE', `${files.sealFile} differs from the seal inside the signature`);
}

function sm2Allowed(options: VerifyOptions): boolean {
  return options.algorithms === undefined || options.algorithms.includes('SM2SM3');
}

async function verifyEntry(entry: OfdSignatureEntry, ctx: Context): Promise<SignatureOutcome> {
  const { archive } = ctx.pkg;
  const checks: Check[] = [];
  const files = entry.files;
  if (!files || entry.problem !== undefined) {
    checks.push(failed('ofd.signature-file', 'FORMAT_FAILURE', `signature ${entry.id || entry.index}: ${entry.problem ?? 'unreadable'}`));
    return { checks, alg: 'unknown', warnings: [] };
  }
  checks.push(passed('ofd.signature-file', `${entry.signatureFile}: ${entry.type} signature with ${files.references.length} references`, { details: describe(entry, files) }));
  checks.push(await checkReferences(archive, files));
  const signedValue = tryRead(archive, files.signedValueFile);
  if ('problem' in signedValue) {
    checks.push(failed('ofd.signed-value', 'FORMAT_FAILURE', `the signed value ${files.signedValueFile}: ${signedValue.problem}`));
    return { checks, alg: 'unknown', warnings: [] };
  }
  if (!sm2Allowed(ctx.options)) {
    checks.push(indeterminate('ofd.algorithm', 'CRYPTO_CONSTRAINTS_FAILURE', 'SM2SM3 signatures are not enabled in this verifier'));
    return { checks, alg: 'SM2SM3', warnings: [] };
  }
  const warnings: string[] = [];
  let outcome: { checks: Check[]; alg: string; leaf?: CertificateInfo };
  if (entry.type === 'Seal') {
    const seal = await verifySealSignature(signedValue.data, files.signatureXml, ctx.options);
    const sealFile = sealFileCheck(ctx, files, seal.signature);
    if (sealFile) checks.push(sealFile);
    outcome = seal;
    const property = seal.signature?.propertyInfo;
    if (property !== undefined && property.replace(/^\//, '') !== entry.signatureFile) {
      warnings.push(`signature ${entry.index}: propertyInfo "${property}" does not name its Signature.xml ${entry.signatureFile}`);
    }
  } else {
    outcome = await verifySignSignature(signedValue.data, files.signatureXml, ctx.anchors, ctx.noTrustReason, ctx.chain);
  }
  checks.push(...outcome.checks);
  const coverage = checkCoverage(ctx.pkg, files, ctx.exempt);
  checks.push(coverage.check);
  if (coverage.uncovered.length > 0) warnings.push(`signature ${entry.index} does not cover: ${coverage.uncovered.join(', ')}`);
  return { checks, alg: outcome.alg, ...(outcome.leaf ? { leaf: outcome.leaf } : {}), warnings };
}

function describe(entry: OfdSignatureEntry, files: OfdSignatureFiles): Record<string, unknown> {
  return {
    id: entry.id,
    type: entry.type,
    ...(files.provider === undefined ? {} : { provider: files.provider }),
    ...(files.signatureMethod === undefined ? {} : { signatureMethod: files.signatureMethod }),
    ...(files.signatureDateTime === undefined ? {} : { signatureDateTime: files.signatureDateTime }),
    stampAnnots: files.stampAnnots,
    signedValue: files.signedValueFile,
    ...(files.sealFile === undefined ? {} : { seal: files.sealFile }),
  };
}

export async function verifyOfd(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  const { at } = options;
  let pkg: OfdPackage;
  try {
    pkg = readOfdPackage(bytes);
  } catch (error) {
    return reportFormatFailure('ofd', at, 'ofd.package', `unreadable OFD package: ${errorMessage(error)}`);
  }
  if (pkg.signatures.length === 0) return reportFormatFailure('ofd', at, 'ofd.signatures', 'the OFD document carries no signature');
  const trust = trustListCheck(options);
  const trustList = options.trust && 'list' in options.trust ? options.trust.list.content : undefined;
  const anchors = trustList?.issuers.flatMap((issuer) => issuer.certificates);
  const ctx: Context = {
    pkg,
    options,
    exempt: signatureBookkeeping(pkg),
    chain: chainContext(options, at),
    ...(anchors ? { anchors } : {}),
    noTrustReason: trustList ? 'the trust list names no issuer certificate this chains to' : 'no trust list given',
  };

  const checks: Check[] = [passed('ofd.package', `OFD package with ${pkg.archive.names.length} files and ${pkg.signatures.length} signature(s)`), trust.check];
  const signatures: SignatureReport[] = [];
  const warnings: string[] = [];
  for (const entry of pkg.signatures) {
    const outcome = await verifyEntry(entry, ctx);
    checks.push(...forSignature(outcome.checks, entry.index));
    warnings.push(...outcome.warnings);
    signatures.push({
      index: entry.index,
      alg: outcome.alg,
      ...worstOf(outcome.checks),
      ...(outcome.leaf ? { signer: signerSummary(outcome.leaf) } : {}),
    });
  }
  // Integrity first: a broken signature is the reason whatever else is wrong.
  const verdict = worstOf([worstOf(signatures), ...checks.filter((c) => c.signature === undefined)]);
  return {
    valid: verdict.indication === 'TOTAL_PASSED',
    ...verdict,
    format: 'ofd',
    validationTime: at.toISOString(),
    signatures,
    checks,
    ...(trust.snapshot ? { trustList: trust.snapshot } : {}),
    warnings,
  };
}
