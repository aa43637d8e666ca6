/**
 * The claims of the signed QR form: the license's core fields under one-letter names, because every
 * byte grows the printed symbol. The GB/T 36904 identifier already carries the license type code and
 * the issuing authority's code, so they are signed through it and not repeated.
 *
 *   i  identifier (电子证照标识)        h  holder name (持证主体)
 *   f  effective date, YYYY-MM-DD       u  expiring date, YYYY-MM-DD; absent for 长期有效
 *   s  status references: [["r"|"s", index, list URL], ...]; after the first, a URL may be a
 *      relative reference (RFC 3986 §5) resolved against the first one
 */
import { ElicenseError } from '../errors.js';
import { isJsonObject } from '../json/strict-parse.js';
import type { LicenseCredential } from '../license/credential.js';
import { isCalendarDate } from '../license/dates.js';
import { parseIdentifier, type ParsedIdentifier } from '../license/identifier.js';
import { LONG_TERM } from '../license/validity.js';

export interface QrStatusReference {
  readonly purpose: 'revocation' | 'suspension';
  readonly index: number;
  readonly listUrl: string;
}

export interface LicenseQrClaims {
  readonly identifier: ParsedIdentifier;
  readonly holderName: string;
  readonly effectiveDate: string;
  /** Absent: 长期有效. */
  readonly expiringDate?: string;
  readonly status: readonly QrStatusReference[];
}

const MAX_HOLDER_NAME = 256;
const MAX_STATUS_REFERENCES = 4;
const MAX_URL = 2048;
const MAX_STATUS_INDEX = 2 ** 31 - 1;
const PURPOSE_LETTER = { revocation: 'r', suspension: 's' } as const;

function invalid(message: string, field: string): never {
  throw new ElicenseError('ERR_QR_INVALID', message, { field });
}

/** The shortest of `target` and a relative reference to it from `base` that resolves back to it. */
function relativeReference(base: string, target: string): string {
  const from = new URL(base);
  const to = new URL(target);
  if (from.origin !== to.origin || to.search !== '' || to.hash !== '') return target;
  const fromDirs = from.pathname.split('/').slice(0, -1);
  const toParts = to.pathname.split('/');
  let common = 0;
  while (common < fromDirs.length && common < toParts.length - 1 && fromDirs[common] === toParts[common]) common++;
  const relative = `${'../'.repeat(fromDirs.length - common)}${toParts.slice(common).join('/')}`;
  return relative.length < target.length && new URL(relative, base).href === to.href ? relative : target;
}

function statusClaim(credential: LicenseCredential): unknown[] | undefined {
  const entries = credential.credentialStatus ?? [];
  if (entries.length === 0) return undefined;
  const first = entries[0]!.statusListCredential;
  return entries.map((entry, i) => [
    PURPOSE_LETTER[entry.statusPurpose],
    Number(entry.statusListIndex),
    i === 0 ? first : relativeReference(first, entry.statusListCredential),
  ]);
}

/** The claims object the QR signs, in a fixed member order; status references only when asked for. */
export function licenseQrClaims(credential: LicenseCredential, options: { status: boolean }): Record<string, unknown> {
  const subject = credential.credentialSubject;
  const status = options.status ? statusClaim(credential) : undefined;
  return {
    i: subject.certificateIdentifier,
    h: subject.certificateHolderName,
    f: subject.certificateEffectiveDate,
    ...(subject.certificateExpiringDate === LONG_TERM ? {} : { u: subject.certificateExpiringDate }),
    ...(status ? { s: status } : {}),
  };
}

function readStatus(value: unknown): QrStatusReference[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_STATUS_REFERENCES) {
    invalid(`"s" must list 1 to ${MAX_STATUS_REFERENCES} status references`, 's');
  }
  let base: string | undefined;
  return value.map((entry: unknown, i) => {
    const where = `s[${i}]`;
    if (!Array.isArray(entry) || entry.length !== 3) invalid(`${where} must be [purpose, index, URL]`, where);
    const [letter, index, reference] = entry as [unknown, unknown, unknown];
    const purpose = letter === 'r' ? 'revocation' : letter === 's' ? 'suspension' : invalid(`${where}[0] must be "r" or "s"`, where);
    if (!Number.isSafeInteger(index) || (index as number) < 0 || (index as number) > MAX_STATUS_INDEX) {
      invalid(`${where}[1] must be a status list index`, where);
    }
    if (typeof reference !== 'string' || reference === '' || reference.length > MAX_URL) invalid(`${where}[2] must be a URL`, where);
    let url: URL;
    try {
      url = new URL(reference, base);
    } catch {
      return invalid(`${where}[2] is not a URL${base ? ' or a reference relative to the first one' : ''}`, where);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(`${where}[2] must be an http(s) URL`, where);
    base ??= url.href;
    return { purpose, index: index as number, listUrl: url.href };
  });
}

/** Reads the decoded payload strictly; every error names the claim. Unknown claims are ignored (RFC 7519 §4). */
export function readLicenseQrClaims(value: unknown): LicenseQrClaims {
  if (!isJsonObject(value)) invalid('the signed QR payload must be a JSON object', '');
  if (typeof value.i !== 'string') invalid('"i" (the identifier) must be a string', 'i');
  let identifier: ParsedIdentifier;
  try {
    identifier = parseIdentifier(value.i);
  } catch (error) {
    return invalid(`"i" is not a license identifier: ${(error as Error).message}`, 'i');
  }
  const holderName = value.h;
  if (typeof holderName !== 'string' || holderName.trim() === '' || holderName.length > MAX_HOLDER_NAME) {
    invalid(`"h" (the holder name) must be a non-empty string of at most ${MAX_HOLDER_NAME} characters`, 'h');
  }
  if (!isCalendarDate(value.f)) invalid('"f" (the effective date) must be a date YYYY-MM-DD', 'f');
  if (value.u !== undefined && (!isCalendarDate(value.u) || value.u < value.f)) {
    invalid('"u" (the expiring date) must be a date YYYY-MM-DD not before "f"', 'u');
  }
  return {
    identifier,
    holderName,
    effectiveDate: value.f,
    ...(value.u === undefined ? {} : { expiringDate: value.u as string }),
    status: readStatus(value.s),
  };
}
