/**
 * Verifying licenses against a repository's public documents only: its trust list (checked against the
 * pinned operator certificate), CRLs and status lists, all fetched without credentials and kept in
 * memory as an HTTP cache would. A counter's browser page or any service that holds a license file
 * uses it directly; the license client uses it for the licenses it reads. The document verified is
 * never sent anywhere: only GETs for the public documents leave.
 */
import { DOMESTIC_JWS_ALGORITHMS, toPem, utf8, verifyDocument, type TrustInput, type VerificationReport } from '@elicense/core';
import { DocumentCache } from './document-cache.js';
import { LicenseSdkError } from './errors.js';
import type { OfflineBundle } from './offline.js';
import { baseOf, httpSettings, positive, type HttpOptions } from './settings.js';
import { createStatusResolver } from './status-source.js';
import { readCrls, readOperatorCertificates, TrustListVerifier, type CertificateInput } from './trust.js';

export interface PublicVerifierOptions extends HttpOptions {
  /** Where the SDK reaches the repository, e.g. https://licenses.example.gov.cn. */
  readonly baseUrl: string;
  /** A signed trust list (its text) to use instead of fetching one. */
  readonly trustList?: string;
  /** Default `${baseUrl}/.well-known/elicense/trust-list.json`. */
  readonly trustListUrl?: string;
  /** The operator certificate (PEM or DER) the trust list must be signed with: pinned, never taken from the list. */
  readonly trustOperatorCertificate: CertificateInput;
  /** CRLs (PEM text, or PEM/DER items) to use instead of fetching them from `crlsUrl`. */
  readonly crls?: string | readonly (string | Uint8Array)[];
  /** Default `${baseUrl}/.well-known/elicense/crls.pem`. */
  readonly crlsUrl?: string;
  /** Seconds a status list is used without asking again, and the oldest copy that counts when it cannot be refreshed. Default 300. */
  readonly maxStatusAge?: number;
  /** Seconds the trust list and CRLs are used without asking again. Default 3600. */
  readonly maxTrustListAge?: number;
  /** The clock for verification and caches. */
  readonly now?: () => Date;
  /** The repository's own address as written in its licenses (its ELICENSE_PUBLIC_URL), when it differs from baseUrl. */
  readonly publicUrl?: string;
  /** Status lists under these prefixes (other repositories) are fetched too; any other URL a license names is not. */
  readonly statusUrlPrefixes?: readonly string[];
  /**
   * Reads the QR code in a PNG or JPEG photo and returns its text. Core decodes no images: a browser
   * passes a canvas-based decoder, Node a decoder of its choice. Without it QR photos are reported as unreadable.
   */
  readonly decodeQrImage?: (image: Uint8Array) => Promise<string>;
}

export interface PublicVerifier {
  /** Verifies a signed JSON license (JWS text or bytes), a PDF, an OFD, a seal file or a QR photo. */
  verify(document: Uint8Array | string): Promise<VerificationReport>;
  /**
   * What a counter needs to verify without a network: the trust list, CRLs and status lists (those
   * already seen, refreshed now, plus `statusListUrls`).
   */
  exportBundle(options?: { readonly statusListUrls?: readonly string[] }): Promise<OfflineBundle>;
}

const DEFAULT_MAX_STATUS_AGE = 300;
const DEFAULT_MAX_TRUST_LIST_AGE = 3600;
const SIGNATURE_MEMO_LIMIT = 50_000;

export function createPublicVerifier(options: PublicVerifierOptions): PublicVerifier {
  const baseUrl = baseOf(options.baseUrl, 'baseUrl');
  const publicUrl = options.publicUrl === undefined ? baseUrl : baseOf(options.publicUrl, 'publicUrl');
  const operatorCertificates = readOperatorCertificates(options.trustOperatorCertificate);
  const fixedCrls = options.crls === undefined ? undefined : readCrls(options.crls);
  const maxStatusAgeMs = positive(options.maxStatusAge, DEFAULT_MAX_STATUS_AGE, 'maxStatusAge') * 1000;
  const maxTrustListAgeMs = positive(options.maxTrustListAge, DEFAULT_MAX_TRUST_LIST_AGE, 'maxTrustListAge') * 1000;
  const http = httpSettings(options);
  const clock = options.now ?? (() => new Date());
  const nowMs = () => clock().getTime();

  // Core memoises verified status lists by document; a replaced list's memo goes with it.
  const statusCache = new Map<string, unknown>();
  const signatureCache = new Map<string, boolean>();
  const statusLists = new DocumentCache(http, nowMs, { maxFreshMs: maxStatusAgeMs, staleLimitMs: maxStatusAgeMs }, (old) => statusCache.delete(old.text));
  // The trust list and CRLs carry their own nextUpdate, which core judges: an old copy still serves.
  const documents = new DocumentCache(http, nowMs, { maxFreshMs: maxTrustListAgeMs, staleLimitMs: Number.POSITIVE_INFINITY });
  const trustListUrl = options.trustListUrl ?? `${baseUrl}/.well-known/elicense/trust-list.json`;
  const crlsUrl = options.crlsUrl ?? `${baseUrl}/.well-known/elicense/crls.pem`;
  const trustVerifier = new TrustListVerifier(operatorCertificates);
  const resolveStatus = createStatusResolver({ cache: statusLists, baseUrl, publicUrl, extraPrefixes: options.statusUrlPrefixes ?? [], maxAgeSeconds: maxStatusAgeMs / 1000 });

  async function trustListText(force = false): Promise<{ text: string } | { error: string }> {
    if (options.trustList !== undefined) return { text: options.trustList };
    const found = await documents.get('trust-list', trustListUrl, { force, headers: { accept: 'application/json' } });
    return found.ok ? { text: found.document.text } : { error: `the trust list could not be fetched: ${found.reason}` };
  }

  async function trustInput(at: Date): Promise<TrustInput> {
    const found = await trustListText();
    return 'error' in found ? { error: found.error } : trustVerifier.verify(found.text, at);
  }

  let crlMemo: { text: string; crls: Uint8Array[] } | undefined;
  async function currentCrls(force = false): Promise<Uint8Array[]> {
    if (fixedCrls) return fixedCrls;
    const found = await documents.get('crls', crlsUrl, { force, headers: { accept: 'application/pem-certificate-chain, application/x-pem-file, */*' } });
    // Without CRLs core cannot tell the signing certificates are not revoked, and says INDETERMINATE.
    if (!found.ok) return [];
    if (crlMemo?.text !== found.document.text) {
      let crls: Uint8Array[] = [];
      try {
        crls = readCrls(found.document.text);
      } catch {
        // A CRL document that does not parse counts as none: fail closed.
      }
      crlMemo = { text: found.document.text, crls };
    }
    return crlMemo.crls;
  }

  return {
    async verify(document) {
      const bytes = typeof document === 'string' ? utf8(document.trim()) : document;
      const at = clock();
      const [trust, crls] = await Promise.all([trustInput(at), currentCrls()]);
      if (signatureCache.size > SIGNATURE_MEMO_LIMIT) signatureCache.clear();
      return verifyDocument(bytes, {
        at,
        trust,
        crls,
        status: resolveStatus,
        algorithms: DOMESTIC_JWS_ALGORITHMS,
        statusCache,
        signatureCache,
        ...(options.decodeQrImage ? { decodeQrImage: options.decodeQrImage } : {}),
      });
    },

    async exportBundle(bundleOptions) {
      const trust = await trustListText(true);
      if ('error' in trust) throw new LicenseSdkError(`cannot export a bundle: ${trust.error}`);
      const crls = await currentCrls(true);
      const urls = new Set([...statusLists.keys(), ...(bundleOptions?.statusListUrls ?? [])]);
      const lists: Record<string, string> = {};
      let oldest = nowMs();
      for (const url of urls) {
        await resolveStatus(url).catch(() => undefined);
        const held = statusLists.peek(url);
        if (!held || nowMs() - held.fetchedAt > maxStatusAgeMs) continue;
        lists[url] = held.text;
        oldest = Math.min(oldest, held.fetchedAt);
      }
      return {
        version: 1,
        trustList: trust.text,
        statusLists: lists,
        crls: crls.map((der) => toPem('X509 CRL', der)),
        // The oldest status list's time: the bundle is only as current as that.
        savedAt: new Date(oldest).toISOString(),
      };
    },
  };
}
