/**
 * Certificate path validation (RFC 5280 §6, as this product needs it): build a path from the leaf to a
 * trust anchor by name and key identifier, verify every signature on it with the algorithm table, then
 * judge validity periods, CA constraints and revocation as four separate checks. The report always
 * lists all four, in order, so a caller can show exactly what was and was not established.
 */
import { equalBytes } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import type { Check, Indication, SubIndication } from '../verify/report.js';
import { worstOf } from '../verify/report.js';
import { EXTENSION_OID, parseCertificateCached, type CertificateInfo } from './certificate.js';
import { checkRevocation, type CertificateListInfo, type RevocationCheck } from './crl.js';
import { verifyIssuedBy } from './issued-by.js';
import { sameName } from './names.js';

export interface PathValidationOptions {
  readonly leaf: Uint8Array | CertificateInfo;
  /** Certificates that may help build the path (e.g. the rest of a JWS x5c); order does not matter. */
  readonly intermediates?: readonly (Uint8Array | CertificateInfo)[];
  /** CA certificates, or end-entity certificates trusted directly. */
  readonly trustAnchors: readonly (Uint8Array | CertificateInfo)[];
  /** The time validity is judged at. */
  readonly at: Date;
  readonly crls?: readonly (Uint8Array | CertificateListInfo)[];
  /** `skip` waives revocation checking and says so in the report; `require` fails closed without CRLs. */
  readonly revocation: 'require' | 'skip';
  /**
   * Remembers signature checks (issuer key + signed object → result) across calls, so validating the
   * same chain again costs no signature verification. Bounded; share one per verifier.
   */
  readonly signatureCache?: Map<string, boolean>;
}

export type PathStatus = 'valid' | 'invalid' | 'indeterminate';

export interface PathValidation {
  readonly status: PathStatus;
  /** Leaf first, trust anchor last; empty when no path was found. */
  readonly path: readonly CertificateInfo[];
  readonly anchor?: CertificateInfo;
  /** `cert.chain`, `cert.validity`, `cert.constraints`, `cert.revocation`, in that order. */
  readonly checks: readonly Check[];
}

/** Longest path, leaf and anchor included. */
const MAX_DEPTH = 8;
/** Most issuer candidates whose signatures are tried (and most intermediates looked at) per validation. */
const MAX_CANDIDATES = 64;

/** Extensions this module processes or may safely ignore; any other critical one fails the path. */
const KNOWN_EXTENSIONS = new Set<string>([
  EXTENSION_OID.basicConstraints,
  EXTENSION_OID.keyUsage,
  EXTENSION_OID.extKeyUsage,
  EXTENSION_OID.subjectKeyIdentifier,
  EXTENSION_OID.authorityKeyIdentifier,
  EXTENSION_OID.crlDistributionPoints,
  EXTENSION_OID.subjectAltName,
  EXTENSION_OID.issuerAltName,
  // Without policy constraints in the path, any policy is acceptable (RFC 5280 §6.1 with
  // initial-policy-set any-policy), so critical certificate policies need no further processing.
  EXTENSION_OID.certificatePolicies,
]);

function check(
  id: string,
  indication: Indication,
  message: string,
  subIndication?: SubIndication,
  details?: Record<string, unknown>,
): Check {
  return {
    id,
    indication,
    ...(subIndication ? { subIndication } : {}),
    message,
    ...(details ? { details } : {}),
  };
}

const iso = (date: Date): string => date.toISOString();

interface Candidate {
  readonly cert: CertificateInfo;
  readonly isAnchor: boolean;
}

interface Failure {
  readonly kind: 'invalid' | 'unsupported';
  readonly subject: string;
  readonly issuer: string;
  readonly reason: string;
}

interface Search {
  readonly anchors: readonly CertificateInfo[];
  readonly intermediates: readonly CertificateInfo[];
  readonly at: number;
  readonly cache: Map<string, boolean> | undefined;
  attempts: number;
  readonly failures: Failure[];
}

function mayHaveIssued(candidate: CertificateInfo, cert: CertificateInfo): boolean {
  if (!sameName(candidate.subjectDer, cert.issuerDer)) return false;
  const aki = cert.authorityKeyIdentifier;
  const ski = candidate.subjectKeyIdentifier;
  return aki === undefined || ski === undefined || aki === ski;
}

const validAt = (cert: CertificateInfo, at: number): boolean =>
  cert.notBefore.getTime() <= at && at <= cert.notAfter.getTime();

function candidatesFor(cert: CertificateInfo, search: Search): Candidate[] {
  const out: Candidate[] = [];
  for (const anchor of search.anchors) if (mayHaveIssued(anchor, cert)) out.push({ cert: anchor, isAnchor: true });
  for (const inter of search.intermediates) {
    if (mayHaveIssued(inter, cert) && !search.anchors.some((a) => equalBytes(a.der, inter.der))) {
      out.push({ cert: inter, isAnchor: false });
    }
  }
  // Anchors first, then certificates valid at the validation time (a CA re-keyed under the same name).
  const rank = (c: Candidate): number => (c.isAnchor ? 0 : 2) + (validAt(c.cert, search.at) ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b));
}

/** Depth-first from the leaf; the first path whose signatures all verify wins. */
async function extend(path: CertificateInfo[], search: Search): Promise<CertificateInfo[] | undefined> {
  const current = path[path.length - 1]!;
  if (path.length >= MAX_DEPTH) return undefined;
  for (const candidate of candidatesFor(current, search)) {
    if (path.some((p) => equalBytes(p.der, candidate.cert.der))) continue;
    if (++search.attempts > MAX_CANDIDATES) return undefined;
    const signature = await verifyIssuedBy(current, candidate.cert.publicKey, search.cache);
    if (signature.result !== 'valid') {
      search.failures.push({ kind: signature.result, subject: current.subject, issuer: candidate.cert.subject, reason: signature.reason });
      continue;
    }
    const next = [...path, candidate.cert];
    if (candidate.isAnchor) return next;
    const found = await extend(next, search);
    if (found) return found;
  }
  return undefined;
}

function chainNotFound(search: Search, leaf: CertificateInfo, ignored: number): Check {
  const details: Record<string, unknown> = {
    leaf: leaf.subject,
    signatureFailures: search.failures.map((f) => ({ certificate: f.subject, issuer: f.issuer, result: f.kind, reason: f.reason })),
    ...(ignored > 0 ? { ignoredCertificates: ignored } : {}),
    ...(search.attempts > MAX_CANDIDATES ? { candidateLimitReached: MAX_CANDIDATES } : {}),
  };
  const unsupported = search.failures.find((f) => f.kind === 'unsupported');
  if (unsupported) {
    return check(
      'cert.chain',
      'INDETERMINATE',
      `cannot check the signature on ${unsupported.subject} by ${unsupported.issuer}: ${unsupported.reason}`,
      'CRYPTO_CONSTRAINTS_FAILURE',
      details,
    );
  }
  const invalid = search.failures.find((f) => f.kind === 'invalid');
  if (invalid) {
    return check(
      'cert.chain',
      'TOTAL_FAILED',
      `the signature on ${invalid.subject} does not verify with the key of ${invalid.issuer}: ${invalid.reason}`,
      'SIG_CRYPTO_FAILURE',
      details,
    );
  }
  return check(
    'cert.chain',
    'INDETERMINATE',
    `no path from ${leaf.subject} (issuer ${leaf.issuer}) to a trust anchor`,
    'NO_CERTIFICATE_CHAIN_FOUND',
    details,
  );
}

function validityCheck(path: readonly CertificateInfo[], at: Date): Check {
  const details = (cert: CertificateInfo) => ({ certificate: cert.subject, notBefore: iso(cert.notBefore), notAfter: iso(cert.notAfter), at: iso(at) });
  for (const cert of path) {
    if (at.getTime() < cert.notBefore.getTime()) {
      return check('cert.validity', 'TOTAL_FAILED', `${cert.subject} is not valid before ${iso(cert.notBefore)}`, 'NOT_YET_VALID', details(cert));
    }
    if (at.getTime() > cert.notAfter.getTime()) {
      return check('cert.validity', 'TOTAL_FAILED', `${cert.subject} expired at ${iso(cert.notAfter)}`, 'EXPIRED', details(cert));
    }
  }
  return check('cert.validity', 'TOTAL_PASSED', `all ${path.length} certificate(s) are valid at ${iso(at)}`);
}

function constraintViolations(path: readonly CertificateInfo[]): string[] {
  const problems: string[] = [];
  const leaf = path[0]!;
  if (!leaf.keyUsage?.some((u) => u === 'digitalSignature' || u === 'nonRepudiation')) {
    problems.push(`${leaf.subject}: key usage does not allow digitalSignature or nonRepudiation`);
  }
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const isAnchor = i === path.length - 1;
    // A version 1 trust anchor has no extensions at all; RFC 5280 accepts it as an anchor.
    if (ca.basicConstraints?.ca !== true && !(isAnchor && ca.version === 1)) {
      problems.push(`${ca.subject}: issues certificates but basicConstraints cA is not set`);
    }
    const mustHaveKeyUsage = !isAnchor || ca.keyUsage !== undefined;
    if (mustHaveKeyUsage && !ca.keyUsage?.includes('keyCertSign')) {
      problems.push(`${ca.subject}: issues certificates but key usage lacks keyCertSign`);
    }
    const pathLen = ca.basicConstraints?.pathLen;
    if (pathLen !== undefined) {
      // CA certificates between this one and the leaf, not counting self-issued ones (RFC 5280 §6.1.4 (l)).
      const below = path.slice(1, i).filter((c) => !c.selfIssued).length;
      if (below > pathLen) problems.push(`${ca.subject}: pathLenConstraint ${pathLen} allows ${pathLen} CA certificate(s) below it, found ${below}`);
    }
  }
  for (const cert of path) {
    const unknown = cert.criticalExtensions.filter((oid) => !KNOWN_EXTENSIONS.has(oid));
    if (unknown.length > 0) problems.push(`${cert.subject}: unsupported critical extension ${unknown.join(', ')}`);
  }
  return problems;
}

function constraintsCheck(path: readonly CertificateInfo[]): Check {
  const problems = constraintViolations(path);
  if (problems.length > 0) {
    return check('cert.constraints', 'TOTAL_FAILED', problems[0]!, 'CHAIN_CONSTRAINTS_FAILURE', { problems });
  }
  return check('cert.constraints', 'TOTAL_PASSED', 'CA certificates may issue, the leaf may sign, no unknown critical extensions');
}

function revocationDetails(cert: CertificateInfo, result: RevocationCheck): Record<string, unknown> {
  return {
    certificate: cert.subject,
    serialNumber: cert.serialNumber,
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.revocationDate ? { revocationDate: iso(result.revocationDate) } : {}),
    ...(result.crl
      ? {
          crl: {
            thisUpdate: iso(result.crl.thisUpdate),
            ...(result.crl.nextUpdate ? { nextUpdate: iso(result.crl.nextUpdate) } : {}),
            ...(result.crl.crlNumber === undefined ? {} : { crlNumber: result.crl.crlNumber }),
          },
        }
      : {}),
    message: result.message,
  };
}

async function revocationCheck(
  path: readonly CertificateInfo[],
  options: PathValidationOptions,
): Promise<Check> {
  if (options.revocation === 'skip') return check('cert.revocation', 'TOTAL_PASSED', 'revocation checking waived by caller');
  if (path.length === 1) return check('cert.revocation', 'TOTAL_PASSED', 'the certificate is itself a trust anchor');
  const crls = options.crls ?? [];
  const results: Record<string, unknown>[] = [];
  let revoked: RevocationCheck | undefined;
  const unknown: RevocationCheck[] = [];
  for (let i = 0; i < path.length - 1; i++) {
    const cert = path[i]!;
    const result = await checkRevocation(cert, path[i + 1]!, crls, options.at, options.signatureCache ? { signatureCache: options.signatureCache } : {});
    results.push(revocationDetails(cert, result));
    if (result.status === 'revoked') revoked ??= result;
    else if (result.status === 'unknown') unknown.push(result);
  }
  if (revoked) return check('cert.revocation', 'TOTAL_FAILED', revoked.message, 'REVOKED', { certificates: results });
  if (unknown.length > 0) {
    return check('cert.revocation', 'INDETERMINATE', unknown.map((u) => u.message).join('; '), 'TRY_LATER', { certificates: results });
  }
  return check('cert.revocation', 'TOTAL_PASSED', `${results.length} certificate(s) not revoked according to their issuers' CRLs`, undefined, {
    certificates: results,
  });
}

function statusOf(checks: readonly Check[]): PathStatus {
  const { indication } = worstOf(checks);
  return indication === 'TOTAL_PASSED' ? 'valid' : indication === 'TOTAL_FAILED' ? 'invalid' : 'indeterminate';
}

function noChain(chain: Check): PathValidation {
  const later = ['cert.validity', 'cert.constraints', 'cert.revocation'].map((id) => check(id, 'INDETERMINATE', 'not checked: no chain'));
  const checks = [chain, ...later];
  return { status: statusOf(checks), path: [], checks };
}

function parseSome(inputs: readonly (Uint8Array | CertificateInfo)[]): { certs: CertificateInfo[]; ignored: number } {
  const certs: CertificateInfo[] = [];
  let ignored = Math.max(0, inputs.length - MAX_CANDIDATES);
  for (const input of inputs.slice(0, MAX_CANDIDATES)) {
    try {
      certs.push(parseCertificateCached(input));
    } catch {
      ignored++;
    }
  }
  return { certs, ignored };
}

/** A path found from a leaf, and what it was found from: the search is a pure function of these. */
interface FoundPath {
  readonly anchors: readonly (Uint8Array | CertificateInfo)[];
  readonly intermediates: readonly (Uint8Array | CertificateInfo)[];
  /** The search ranks candidates by validity at `at`; within [from, until] (ms) that ranking cannot change. */
  readonly from: number;
  readonly until: number;
  readonly path: readonly CertificateInfo[];
  readonly directAnchor: boolean;
  readonly constraints: Check;
}

/**
 * The last path found per leaf, for callers that keep a signature cache (and so ask for checks to be
 * remembered). Every license of a signer brings the same chain, and finding its path (names, key
 * identifiers, cached signature checks, constraints) costs as much as the rest of the license checks
 * together. Only what does not depend on the time is kept; validity and revocation are judged afresh at
 * every call. Keyed weakly on the cache and on the leaf as passed (the JSON verifier passes the parsed
 * certificate it keeps per signer), so an entry lives no longer than either.
 */
const foundPaths = new WeakMap<Map<string, boolean>, WeakMap<object, FoundPath>>();

const sameElements = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The largest interval around `at` in which no certificate becomes valid or expires. */
function rankingWindow(certs: readonly CertificateInfo[], at: number): { from: number; until: number } {
  let from = -Infinity;
  let until = Infinity;
  for (const cert of certs) {
    for (const edge of [cert.notBefore.getTime(), cert.notAfter.getTime() + 1]) {
      if (edge <= at) from = Math.max(from, edge);
      else until = Math.min(until, edge - 1);
    }
  }
  return { from, until };
}

function rememberedPath(options: PathValidationOptions, at: number): FoundPath | undefined {
  const found = options.signatureCache && foundPaths.get(options.signatureCache)?.get(options.leaf);
  if (!found || at < found.from || at > found.until) return undefined;
  return sameElements(found.anchors, options.trustAnchors) && sameElements(found.intermediates, options.intermediates ?? []) ? found : undefined;
}

/**
 * Validates the path from `leaf` to one of `trustAnchors` at `at`. Never throws for bad certificates
 * or CRLs from outside (they become failed or indeterminate checks); a trust anchor that cannot be
 * parsed is a configuration error (ERR_CERT_INVALID), and so is an invalid `at` (ERR_INVALID_INPUT).
 */
export async function validateCertificatePath(options: PathValidationOptions): Promise<PathValidation> {
  if (!(options.at instanceof Date) || Number.isNaN(options.at.getTime())) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'at must be a valid Date');
  }
  let leaf: CertificateInfo;
  try {
    leaf = parseCertificateCached(options.leaf);
  } catch {
    // Anchors are configuration: one that cannot be parsed is reported as such, before the leaf.
    options.trustAnchors.forEach((anchor) => parseCertificateCached(anchor));
    return noChain(check('cert.chain', 'TOTAL_FAILED', 'the signing certificate cannot be parsed', 'FORMAT_FAILURE'));
  }
  const remembered = rememberedPath(options, options.at.getTime());
  if (remembered) return judgePath(remembered.path, remembered.directAnchor, remembered.constraints, options);
  const anchors = options.trustAnchors.map((anchor) => parseCertificateCached(anchor));
  const { certs: intermediates, ignored } = parseSome(options.intermediates ?? []);
  const search: Search = {
    anchors,
    intermediates,
    at: options.at.getTime(),
    cache: options.signatureCache,
    attempts: 0,
    failures: [],
  };

  // A certificate listed both itself and under a listed CA is judged through the CA: that path has a
  // CRL to consult, so listing the signing certificate (as QR verification needs) never skips revocation.
  const listedItself = anchors.some((a) => equalBytes(a.der, leaf.der));
  const throughCa = listedItself ? await extend([leaf], { ...search, anchors: anchors.filter((a) => !equalBytes(a.der, leaf.der)) }) : undefined;
  const directAnchor = listedItself && !throughCa;
  const path = throughCa ?? (directAnchor ? [leaf] : await extend([leaf], search));
  if (!path) return noChain(chainNotFound(search, leaf, ignored));
  const constraints = constraintsCheck(path);
  if (options.signatureCache) {
    let byLeaf = foundPaths.get(options.signatureCache);
    if (!byLeaf) foundPaths.set(options.signatureCache, (byLeaf = new WeakMap()));
    byLeaf.set(options.leaf, {
      anchors: [...options.trustAnchors],
      intermediates: [...(options.intermediates ?? [])],
      ...rankingWindow([...anchors, ...intermediates], search.at),
      path,
      directAnchor,
      constraints,
    });
  }
  return judgePath(path, directAnchor, constraints, options);
}

/** The four checks on a found path; validity and revocation at `options.at`. */
async function judgePath(
  path: readonly CertificateInfo[],
  directAnchor: boolean,
  constraints: Check,
  options: PathValidationOptions,
): Promise<PathValidation> {
  const leaf = path[0]!;
  const anchor = path[path.length - 1]!;
  const chain = check(
    'cert.chain',
    'TOTAL_PASSED',
    directAnchor
      ? `${leaf.subject} is trusted directly`
      : `${path.length} certificates from ${leaf.subject} to trust anchor ${anchor.subject}, every signature verifies`,
    undefined,
    { path: path.map((c) => c.subject), algorithms: path.slice(0, -1).map((c) => c.signatureAlgorithm) },
  );
  const checks = [chain, validityCheck(path, options.at), { ...constraints }, await revocationCheck(path, options)];
  return { status: statusOf(checks), path, anchor, checks };
}
