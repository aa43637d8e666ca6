/**
 * The repository's answers about licenses, read defensively: what comes over the network is checked
 * for the shape the SDK relies on before a caller sees it.
 */
import { LicenseSdkError } from './errors.js';

export type LicenseState = 'valid' | 'suspended' | 'revoked' | 'superseded' | 'expired';

/** A license as the repository lists it (GET /v1/licenses, and the summary of a read). */
export interface RepositoryLicense {
  readonly identifier: string;
  readonly typeCode: string;
  readonly officeCode: string;
  readonly version: number;
  readonly holderName: string;
  readonly holderCode: string;
  /** The repository's record of the state; the verification report is what proves it. */
  readonly state: LicenseState;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly issuedAt: string;
  readonly supersedes: string | null;
  readonly supersededBy: string | null;
}

export interface LicenseRecord {
  readonly summary: RepositoryLicense;
  /** The W3C credential (unverified until `verify(signedJson)` says so). */
  readonly credential?: Record<string, unknown>;
  /** The license as the office signed it: what `verify` takes. */
  readonly signedJson?: string;
  /** For a field-limited consent, instead of the license: the granted fields, signed by the platform. */
  readonly extract?: string;
  readonly links: Readonly<Record<string, string>>;
}

const STATES: readonly LicenseState[] = ['valid', 'suspended', 'revoked', 'superseded', 'expired'];

function bad(what: string): never {
  throw new LicenseSdkError(`the repository's answer is not what the SDK expects: ${what}`);
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return bad('not JSON');
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function summaryOf(value: unknown): RepositoryLicense {
  if (!isObject(value)) bad('a license is not an object');
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : bad(`${key} is not a string`));
  const textOrNull = (key: string) => (value[key] === null || value[key] === undefined ? null : text(key));
  const state = text('state') as LicenseState;
  if (!STATES.includes(state)) bad(`unknown state ${state}`);
  if (typeof value.version !== 'number') bad('version is not a number');
  return {
    identifier: text('identifier'),
    typeCode: text('typeCode'),
    officeCode: text('officeCode'),
    version: value.version,
    holderName: text('holderName'),
    holderCode: text('holderCode'),
    state,
    validFrom: text('validFrom'),
    validUntil: textOrNull('validUntil'),
    issuedAt: text('issuedAt'),
    supersedes: textOrNull('supersedes'),
    supersededBy: textOrNull('supersededBy'),
  };
}

export function readLicenseRecord(body: Uint8Array): LicenseRecord {
  const value = parseJson(body);
  if (!isObject(value)) bad('the license is not an object');
  const optionalText = (key: string) => (value[key] === undefined ? undefined : typeof value[key] === 'string' ? (value[key] as string) : bad(`${key} is not a string`));
  const signedJson = optionalText('signedJson');
  const extract = optionalText('extract');
  const links: Record<string, string> = {};
  if (isObject(value.links)) for (const [k, v] of Object.entries(value.links)) if (typeof v === 'string') links[k] = v;
  return {
    summary: summaryOf(value),
    ...(isObject(value.credential) ? { credential: value.credential } : {}),
    ...(signedJson !== undefined ? { signedJson } : {}),
    ...(extract !== undefined ? { extract } : {}),
    links,
  };
}

export function readLicenseSummaries(body: Uint8Array): RepositoryLicense[] {
  const value = parseJson(body);
  if (!isObject(value) || !Array.isArray(value.licenses)) bad('no licenses list');
  return value.licenses.map(summaryOf);
}
