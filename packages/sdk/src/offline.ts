/**
 * Verifying at a counter without a network: a bundle exported by an online client (trust list, CRLs,
 * status lists) and a verifier over it. A bundle older than maxStatusAge gives INDETERMINATE
 * (TRY_LATER) for the license status: an old bundle cannot prove a license was not revoked since.
 */
import { DOMESTIC_JWS_ALGORITHMS, utf8, verifyDocument, type VerificationReport } from '@elicense/core';
import { LicenseSdkError } from './errors.js';
import { readCrls, readOperatorCertificates, TrustListVerifier, type CertificateInput } from './trust.js';

/** JSON-serialisable: write it to a file, carry it, read it back with JSON.parse. */
export interface OfflineBundle {
  readonly version: 1;
  /** The signed trust list, as published. */
  readonly trustList: string;
  /** Status list URL (as licenses name it) → the signed list. */
  readonly statusLists: Readonly<Record<string, string>>;
  /** X509 CRLs, PEM. */
  readonly crls: readonly string[];
  /** When the oldest status list in the bundle was fetched (ISO 8601). */
  readonly savedAt: string;
}

export interface OfflineVerifierOptions {
  readonly trustOperatorCertificate: CertificateInput;
  /** Seconds after savedAt the status lists still count. Default 300; a counter that syncs daily sets 86400. */
  readonly maxStatusAge?: number;
  readonly now?: () => Date;
}

export interface OfflineVerifier {
  verify(licenseOrPdf: Uint8Array | string): Promise<VerificationReport>;
  /** Seconds until the bundle's status lists stop counting (negative once they have). */
  secondsLeft(): number;
}

/** Checks a bundle read from a file or another system: the wrong shape is an error, not a guess. */
export function readOfflineBundle(value: unknown): OfflineBundle {
  const fail = (what: string): never => {
    throw new LicenseSdkError(`not an offline bundle: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const bundle = value as Record<string, unknown>;
  if (bundle.version !== 1) fail('version is not 1');
  if (typeof bundle.trustList !== 'string') fail('trustList is not a string');
  if (typeof bundle.savedAt !== 'string' || Number.isNaN(Date.parse(bundle.savedAt))) fail('savedAt is not a date');
  if (!Array.isArray(bundle.crls) || !bundle.crls.every((c) => typeof c === 'string')) fail('crls is not a list of PEM strings');
  const lists = bundle.statusLists;
  if (typeof lists !== 'object' || lists === null || Array.isArray(lists) || !Object.values(lists).every((l) => typeof l === 'string')) fail('statusLists is not a map of URL to signed list');
  return bundle as unknown as OfflineBundle;
}

export function createOfflineVerifier(input: OfflineBundle, options: OfflineVerifierOptions): OfflineVerifier {
  const bundle = readOfflineBundle(input);
  const trust = new TrustListVerifier(readOperatorCertificates(options.trustOperatorCertificate));
  const crls = readCrls(bundle.crls);
  const maxStatusAgeMs = (options.maxStatusAge ?? 300) * 1000;
  const savedAt = Date.parse(bundle.savedAt);
  const clock = options.now ?? (() => new Date());
  const statusLists = new Map(Object.entries(bundle.statusLists));
  const statusCache = new Map<string, unknown>();
  const signatureCache = new Map<string, boolean>();
  const secondsLeft = () => (savedAt + maxStatusAgeMs - clock().getTime()) / 1000;

  return {
    secondsLeft,
    async verify(licenseOrPdf) {
      const bytes = typeof licenseOrPdf === 'string' ? utf8(licenseOrPdf.trim()) : licenseOrPdf;
      const at = clock();
      return verifyDocument(bytes, {
        at,
        trust: await trust.verify(bundle.trustList, at),
        crls,
        status: async (url) => {
          if (secondsLeft() < 0) throw new Error(`the offline bundle's status lists are from ${bundle.savedAt}, older than the ${maxStatusAgeMs / 1000} s allowed: sync the bundle`);
          const list = statusLists.get(url);
          if (list === undefined) throw new Error(`the offline bundle holds no status list ${url}`);
          return list;
        },
        algorithms: DOMESTIC_JWS_ALGORITHMS,
        statusCache,
        signatureCache,
      });
    },
  };
}
