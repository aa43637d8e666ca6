/**
 * The license's current status from its Bitstring Status List entries. Fail closed: a list that cannot
 * be fetched, does not verify, or is past its validUntil gives INDETERMINATE (TRY_LATER), never passed.
 */
import { fromUtf8, utf8 } from '../bytes.js';
import { sha256Hex } from '../crypto/digest.js';
import { isJsonObject, parseJsonStrict } from '../json/strict-parse.js';
import { parseJws } from '../jws/parse.js';
import { checkJwsSignature, type SignatureContext } from '../verify/jws-signature-checks.js';
import { errorMessage, failed, indeterminate, passed } from '../verify/checks.js';
import { worstOf, type Check, type SnapshotReference } from '../verify/report.js';
import type { StatusResolver } from '../verify/options.js';
import { decodeStatusBitstring, getStatusBit } from './bitstring.js';

export interface StatusEntry {
  readonly purpose: 'revocation' | 'suspension';
  readonly index: number;
  readonly listUrl: string;
}

interface VerifiedStatusList {
  readonly bits: Uint8Array;
  readonly purpose: string;
  readonly validUntil: number;
  readonly validFrom: number;
  readonly snapshot: SnapshotReference;
}

export interface StatusContext {
  readonly resolve: StatusResolver;
  readonly signature: SignatureContext;
  /** Organisations whose status lists are accepted for this license: its issuer, and the trust list's status issuers. */
  readonly acceptedSigners: readonly string[];
  readonly cache?: Map<string, unknown>;
}

const ID = 'license.status';

/** Reads `credentialStatus` (one entry or a list); returns a message instead when it is malformed. */
export function readStatusEntries(credentialStatus: unknown): StatusEntry[] | string {
  if (credentialStatus === undefined) return [];
  const list = Array.isArray(credentialStatus) ? credentialStatus : [credentialStatus];
  const entries: StatusEntry[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isJsonObject(entry) || entry.type !== 'BitstringStatusListEntry') return `credentialStatus[${i}] is not a BitstringStatusListEntry`;
    const { statusPurpose, statusListIndex, statusListCredential } = entry;
    if (statusPurpose !== 'revocation' && statusPurpose !== 'suspension') return `credentialStatus[${i}].statusPurpose is not revocation or suspension`;
    if (typeof statusListIndex !== 'string' || !/^(0|[1-9]\d{0,9})$/.test(statusListIndex)) return `credentialStatus[${i}].statusListIndex is not a decimal index`;
    if (typeof statusListCredential !== 'string' || statusListCredential.length > 2048) return `credentialStatus[${i}].statusListCredential is not a URL`;
    entries.push({ purpose: statusPurpose, index: Number(statusListIndex), listUrl: statusListCredential });
  }
  return entries;
}

async function verifyStatusList(document: string, url: string, ctx: StatusContext): Promise<VerifiedStatusList | Check> {
  const cached = ctx.cache?.get(document) as VerifiedStatusList | undefined;
  if (cached) return cached;
  let jws;
  try {
    jws = parseJws(document);
  } catch (error) {
    return failed(ID, 'FORMAT_FAILURE', `status list ${url} is not a JWS: ${errorMessage(error)}`);
  }
  const outcome = await checkJwsSignature(jws.signatures[0]!, ctx.signature);
  const verdict = worstOf(outcome.checks);
  if (verdict.indication !== 'TOTAL_PASSED' || !outcome.leaf) {
    const bad = outcome.checks.find((c) => c.indication !== 'TOTAL_PASSED');
    return indeterminate(ID, 'TRY_LATER', `status list ${url} could not be trusted: ${bad?.id}: ${bad?.message}`);
  }
  const signerCode = outcome.leaf.organizationCode;
  if (signerCode === undefined || !ctx.acceptedSigners.includes(signerCode)) {
    return indeterminate(ID, 'TRY_LATER', `status list ${url} is signed by ${outcome.leaf.subject}, who may not publish this license's status`);
  }
  let credential: unknown;
  try {
    credential = parseJsonStrict(fromUtf8(jws.payload), { maxLength: 32 << 20 });
  } catch (error) {
    return failed(ID, 'FORMAT_FAILURE', `status list ${url} payload: ${errorMessage(error)}`);
  }
  if (!isJsonObject(credential) || credential.id !== url || !isJsonObject(credential.credentialSubject)) {
    return indeterminate(ID, 'TRY_LATER', `the document fetched for ${url} is not that status list`);
  }
  const subject = credential.credentialSubject;
  const types = credential.type;
  if (!Array.isArray(types) || !types.includes('BitstringStatusListCredential') || typeof subject.encodedList !== 'string') {
    return failed(ID, 'FORMAT_FAILURE', `status list ${url} is not a BitstringStatusListCredential`);
  }
  let bits: Uint8Array;
  try {
    bits = await decodeStatusBitstring(subject.encodedList);
  } catch (error) {
    return failed(ID, 'FORMAT_FAILURE', `status list ${url}: ${errorMessage(error)}`);
  }
  const validFrom = Date.parse(String(credential.validFrom));
  const validUntil = Date.parse(String(credential.validUntil));
  if (Number.isNaN(validFrom) || Number.isNaN(validUntil)) {
    return failed(ID, 'FORMAT_FAILURE', `status list ${url} lacks validFrom/validUntil`);
  }
  const verified: VerifiedStatusList = {
    bits,
    purpose: String(subject.statusPurpose),
    validFrom,
    validUntil,
    snapshot: { sha256: await sha256Hex(utf8(document)), source: url, issued: new Date(validFrom).toISOString(), nextUpdate: new Date(validUntil).toISOString() },
  };
  ctx.cache?.set(document, verified);
  return verified;
}

async function checkEntry(entry: StatusEntry, ctx: StatusContext, at: Date): Promise<{ check: Check; snapshot?: SnapshotReference }> {
  let document: string | Uint8Array | undefined;
  try {
    document = await ctx.resolve(entry.listUrl);
  } catch (error) {
    return { check: indeterminate(ID, 'TRY_LATER', `status list ${entry.listUrl} could not be fetched: ${errorMessage(error)}`) };
  }
  if (document === undefined) {
    return { check: indeterminate(ID, 'TRY_LATER', `status list ${entry.listUrl} is not available`) };
  }
  const text = typeof document === 'string' ? document : fromUtf8(document);
  const list = await verifyStatusList(text, entry.listUrl, ctx);
  if ('id' in list) return { check: list };
  const snapshot = list.snapshot;
  if (list.purpose !== entry.purpose) {
    return { check: failed(ID, 'FORMAT_FAILURE', `status list ${entry.listUrl} is for ${list.purpose}, the license says ${entry.purpose}`), snapshot };
  }
  if (at.getTime() < list.validFrom || at.getTime() > list.validUntil) {
    return { check: indeterminate(ID, 'TRY_LATER', `status list ${entry.listUrl} is not current at ${at.toISOString()} (valid ${snapshot.issued} to ${snapshot.nextUpdate})`), snapshot };
  }
  const bit = getStatusBit(list.bits, entry.index);
  if (bit === undefined) {
    return { check: failed(ID, 'FORMAT_FAILURE', `status index ${entry.index} is outside ${entry.listUrl}`), snapshot };
  }
  if (!bit) return { check: passed(ID, `not ${entry.purpose === 'revocation' ? 'revoked' : 'suspended'} (${entry.listUrl}#${entry.index})`), snapshot };
  return entry.purpose === 'revocation'
    ? { check: failed(ID, 'REVOKED', `the license is revoked (${entry.listUrl}#${entry.index})`), snapshot }
    : { check: indeterminate(ID, 'TRY_LATER', `the license is suspended (${entry.listUrl}#${entry.index})`), snapshot };
}

/** One `license.status` check summing all entries (the worst wins), plus the snapshots used. */
export async function checkLicenseStatus(
  credentialStatus: unknown,
  ctx: StatusContext | 'waived' | undefined,
  at: Date,
): Promise<{ check: Check; snapshots: SnapshotReference[] }> {
  if (ctx === 'waived') return { check: passed(ID, 'status check waived by the caller'), snapshots: [] };
  const entries = readStatusEntries(credentialStatus);
  if (typeof entries === 'string') return { check: failed(ID, 'FORMAT_FAILURE', entries), snapshots: [] };
  if (entries.length === 0) return { check: indeterminate(ID, 'TRY_LATER', 'the license names no status list, so its status cannot be checked'), snapshots: [] };
  if (!ctx) return { check: indeterminate(ID, 'TRY_LATER', 'no status source given: status not checked'), snapshots: [] };
  const results = await Promise.all(entries.map((entry) => checkEntry(entry, ctx, at)));
  const snapshots = results.flatMap((r) => (r.snapshot ? [r.snapshot] : []));
  const checks = results.map((r) => r.check);
  const verdict = worstOf(checks);
  const chosen =
    verdict.indication === 'TOTAL_PASSED'
      ? passed(ID, checks.map((c) => c.message).join('; '))
      : checks.find((c) => c.indication === verdict.indication)!;
  return { check: chosen, snapshots };
}
