/**
 * The license client for approval systems: reads licenses the holder shared (with a purpose, 事项编码),
 * and verifies them with @elicense/core against the repository's trust list, CRLs and status lists,
 * which it keeps in memory as an HTTP cache would. Runs in Node 20 and in browsers.
 */
import type { VerificationReport } from '@elicense/core';
import { LicenseSdkError } from './errors.js';
import { apiError, send, type HttpResponse } from './http.js';
import { readLicenseRecord, readLicenseSummaries, type LicenseRecord, type RepositoryLicense } from './license-record.js';
import type { OfflineBundle } from './offline.js';
import { createPublicVerifier, type PublicVerifierOptions } from './public-verifier.js';
import { baseOf, httpSettings } from './settings.js';
import { TokenSource } from './token-source.js';

/** Where the repository is and what to trust (the public verifier's options), plus the client's credentials. */
export interface LicenseClientOptions extends PublicVerifierOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The default 事项编码 reads are made for; each call may name its own. */
  readonly purpose?: string;
}

export interface ReadOptions {
  /** 事项编码: the service item the license is read for (the holder's consent names it). */
  readonly purpose?: string;
}

export interface FindOptions extends ReadOptions {
  readonly holderCode: string;
  readonly typeCode?: string;
}

export interface FetchedJsonLicense {
  readonly format: 'json';
  readonly license: LicenseRecord;
  readonly report: VerificationReport;
}

export interface FetchedPdfLicense {
  readonly format: 'pdf';
  readonly license: Uint8Array;
  readonly report: VerificationReport;
}

export type FetchedLicense = FetchedJsonLicense | FetchedPdfLicense;

export interface LicenseClient {
  getLicense(id: string, options?: ReadOptions): Promise<LicenseRecord>;
  findLicenses(options: FindOptions): Promise<RepositoryLicense[]>;
  /** The sealed, signed PDF. */
  getPdf(id: string, options?: ReadOptions): Promise<Uint8Array>;
  /** The annotated copy (加注件), stamped with the purpose and the consent's expiry. */
  getAnnotatedCopy(id: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Verifies a signed JSON license (JWS text or bytes), a PDF, or any other form core reads. */
  verify(licenseOrPdf: Uint8Array | string): Promise<VerificationReport>;
  /** Reads the license (signed JSON by default, or the PDF) and verifies it. */
  fetchAndVerify(id: string, options: ReadOptions & { readonly format: 'pdf' }): Promise<FetchedPdfLicense>;
  fetchAndVerify(id: string, options?: ReadOptions & { readonly format?: 'json' }): Promise<FetchedJsonLicense>;
  fetchAndVerify(id: string, options?: ReadOptions & { readonly format?: 'json' | 'pdf' }): Promise<FetchedLicense>;
  /**
   * What a counter needs to verify without a network: the trust list, CRLs and status lists (those
   * already seen, refreshed now, plus `statusListUrls`).
   */
  exportBundle(options?: { readonly statusListUrls?: readonly string[] }): Promise<OfflineBundle>;
}

export function createLicenseClient(options: LicenseClientOptions): LicenseClient {
  const baseUrl = baseOf(options.baseUrl, 'baseUrl');
  if (!options.clientId || !options.clientSecret) throw new LicenseSdkError('clientId and clientSecret are required');
  const http = httpSettings(options);
  const clock = options.now ?? (() => new Date());
  const tokens = new TokenSource({ tokenUrl: `${baseUrl}/oauth/token`, clientId: options.clientId, clientSecret: options.clientSecret, http, now: () => clock().getTime() });
  // Licenses read with credentials are verified against the same public documents anyone can fetch.
  const verifier = createPublicVerifier(options);

  function purposeOf(read: ReadOptions | undefined): string {
    const purpose = read?.purpose ?? options.purpose;
    if (!purpose) throw new LicenseSdkError('say what the license is read for: options.purpose (事项编码)');
    return purpose;
  }

  /** A GET with the client's token; a 401 means the token went stale early: one new token, one retry. */
  async function authorizedGet(path: string, accept: string): Promise<HttpResponse> {
    const url = `${baseUrl}${path}`;
    let response: HttpResponse | undefined;
    for (let round = 0; round < 2; round++) {
      const token = await tokens.get();
      response = await send(http, { url, idempotent: true, headers: { authorization: `Bearer ${token}`, accept } });
      if (response.status !== 401) break;
      tokens.invalidate(token);
    }
    if (response!.status < 200 || response!.status > 299) throw apiError(response!);
    return response!;
  }

  function licensePath(id: string, query: Record<string, string>): string {
    if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new LicenseSdkError('a license identifier is 1 to 128 characters');
    return `/v1/licenses/${encodeURIComponent(id)}?${new URLSearchParams(query).toString()}`;
  }

  async function pdfOf(id: string, read: ReadOptions | undefined, format: 'pdf' | 'annotated'): Promise<Uint8Array> {
    const response = await authorizedGet(licensePath(id, { purpose: purposeOf(read), format }), 'application/pdf, application/problem+json');
    const body = response.body;
    if (!(body[0] === 0x25 && body[1] === 0x50 && body[2] === 0x44 && body[3] === 0x46)) {
      throw new LicenseSdkError(`the repository answered ${format} for ${id} with something that is not a PDF`);
    }
    return body;
  }

  const client: LicenseClient = {
    async getLicense(id, read) {
      const response = await authorizedGet(licensePath(id, { purpose: purposeOf(read), format: 'json' }), 'application/json');
      return readLicenseRecord(response.body);
    },

    async findLicenses(find) {
      if (!find?.holderCode) throw new LicenseSdkError('findLicenses needs a holderCode');
      const query = new URLSearchParams({ holderCode: find.holderCode, purpose: purposeOf(find), ...(find.typeCode ? { typeCode: find.typeCode } : {}) });
      const response = await authorizedGet(`/v1/licenses?${query.toString()}`, 'application/json');
      return readLicenseSummaries(response.body);
    },

    getPdf: (id, read) => pdfOf(id, read, 'pdf'),
    getAnnotatedCopy: (id, read) => pdfOf(id, read, 'annotated'),

    verify: (licenseOrPdf) => verifier.verify(licenseOrPdf),

    fetchAndVerify: (async (id: string, read?: ReadOptions & { readonly format?: 'json' | 'pdf' }): Promise<FetchedLicense> => {
      if (read?.format === 'pdf') {
        const pdf = await client.getPdf(id, read);
        return { format: 'pdf', license: pdf, report: await client.verify(pdf) };
      }
      const license = await client.getLicense(id, read);
      if (license.signedJson === undefined) {
        throw new LicenseSdkError(`the consent for ${id} covers only some fields: the repository sent a signed extract, not the license, so there is no license to verify`);
      }
      return { format: 'json', license, report: await client.verify(license.signedJson) };
    }) as LicenseClient['fetchAndVerify'],

    exportBundle: (bundleOptions) => verifier.exportBundle(bundleOptions),
  };
  return client;
}
