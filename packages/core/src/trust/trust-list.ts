/**
 * The trust list: signed JSON published by the platform operator, naming each trusted issuer, its
 * certificates (CA or end-entity), and the license types it may issue (DESIGN.md §4).
 */
import { fromBase64, base64 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { isJsonObject } from '../json/strict-parse.js';

export const TRUST_LIST_TYPE = 'elicense-trust-list+json';

export interface TrustedIssuer {
  readonly name: string;
  /** 统一社会信用代码 of the issuing organisation. */
  readonly code: string;
  /** DER certificates: the issuer's CA(s) or its signing certificates. */
  readonly certificates: readonly Uint8Array[];
  /** License type codes (21 characters) this issuer may issue. */
  readonly licenseTypes: readonly string[];
  /**
   * The issuer's registered electronic seals (GB/T 38540). Optional: an issuer that lists none has its
   * seals judged by their makers' chains alone; one that lists some may use no other.
   */
  readonly seals?: readonly TrustedSeal[];
}

export const SEAL_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type SealStatus = (typeof SEAL_STATUSES)[number];

/** A registered seal: what its SESeal must say, and whether it may still be used. */
export interface TrustedSeal {
  /** 印章标识 (SES_SealInfo.esID). */
  readonly esID: string;
  readonly name: string;
  /** SES_ESPropertyInfo.type. */
  readonly type: number;
  /** Lowercase hex SM3 of the picture data: a seal showing another image is not the registered one. */
  readonly pictureSm3: string;
  /** The registered validity (ISO 8601); the registry may end a seal before its SESeal's validEnd. */
  readonly validStart: string;
  readonly validEnd: string;
  readonly status: SealStatus;
  /** When the status last changed. */
  readonly statusSince?: string;
}

export interface TrustedStatusIssuer {
  readonly name: string;
  readonly code: string;
  readonly certificates: readonly Uint8Array[];
}

export interface TrustListContent {
  readonly sequence: number;
  readonly issued: string;
  readonly nextUpdate: string;
  readonly operator: { readonly name: string; readonly code: string };
  readonly issuers: readonly TrustedIssuer[];
  /** Organisations besides the issuers that may sign status lists (e.g. the repository platform). */
  readonly statusIssuers: readonly TrustedStatusIssuer[];
  /**
   * Time-stamping authorities whose tokens prove when a PDF signature existed (PAdES B-T and later):
   * their certificates (CA or the TSA's own). Trusting an issuer's CA does not make it a TSA.
   */
  readonly timestampAuthorities?: readonly TrustedStatusIssuer[];
  /**
   * Seal makers (制章者) whose seals are trusted: their certificates (CA or the maker's own). The maker
   * signs the seal, not documents, so trusting an issuer does not make it a seal maker.
   */
  readonly sealMakers?: readonly TrustedStatusIssuer[];
}

const MAX_ISSUERS = 10_000;

function fail(message: string, field: string): never {
  throw new ElicenseError('ERR_TRUST_LIST_INVALID', message, { field });
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 1024) fail(`${field} must be a non-empty string`, field);
  return value;
}

function timestamp(value: unknown, field: string): string {
  const s = text(value, field);
  if (Number.isNaN(Date.parse(s))) fail(`${field} must be an ISO 8601 time`, field);
  return s;
}

/** Base64 of one DER certificate: RSA certificates run past the 1024 characters other members may have. */
const MAX_CERTIFICATE_BASE64 = 64 * 1024;

function certificateList(value: unknown, field: string): Uint8Array[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 64) fail(`${field} must list 1 to 64 certificates`, field);
  return value.map((entry, i) => {
    const where = `${field}[${i}]`;
    if (typeof entry !== 'string' || entry === '' || entry.length > MAX_CERTIFICATE_BASE64) fail(`${where} must be a base64 DER certificate`, where);
    return fromBase64(entry, where);
  });
}

const MAX_SEALS_PER_ISSUER = 10_000;

function sealEntry(value: unknown, field: string): TrustedSeal {
  if (!isJsonObject(value)) fail(`${field} must be an object`, field);
  if (!Number.isSafeInteger(value.type) || (value.type as number) < 0) fail(`${field}.type must be a non-negative integer`, `${field}.type`);
  const pictureSm3 = text(value.pictureSm3, `${field}.pictureSm3`);
  if (!/^[0-9a-f]{64}$/.test(pictureSm3)) fail(`${field}.pictureSm3 must be 64 lowercase hex digits`, `${field}.pictureSm3`);
  const status = value.status;
  if (!(SEAL_STATUSES as readonly unknown[]).includes(status)) fail(`${field}.status must be one of ${SEAL_STATUSES.join(', ')}`, `${field}.status`);
  const validStart = timestamp(value.validStart, `${field}.validStart`);
  const validEnd = timestamp(value.validEnd, `${field}.validEnd`);
  if (Date.parse(validEnd) <= Date.parse(validStart)) fail(`${field}.validEnd must be after validStart`, `${field}.validEnd`);
  return {
    esID: text(value.esID, `${field}.esID`),
    name: text(value.name, `${field}.name`),
    type: value.type as number,
    pictureSm3,
    validStart,
    validEnd,
    status: status as SealStatus,
    ...(value.statusSince === undefined ? {} : { statusSince: timestamp(value.statusSince, `${field}.statusSince`) }),
  };
}

function issuerEntry(value: unknown, field: string): TrustedIssuer {
  if (!isJsonObject(value)) fail(`${field} must be an object`, field);
  const types = value.licenseTypes;
  if (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || !/^[0-9A-Z]{21}$/.test(t))) {
    fail(`${field}.licenseTypes must be a list of 21-character type codes`, `${field}.licenseTypes`);
  }
  const seals = value.seals;
  if (seals !== undefined && (!Array.isArray(seals) || seals.length > MAX_SEALS_PER_ISSUER)) {
    fail(`${field}.seals must be a list of at most ${MAX_SEALS_PER_ISSUER}`, `${field}.seals`);
  }
  return {
    name: text(value.name, `${field}.name`),
    code: text(value.code, `${field}.code`),
    certificates: certificateList(value.certificates, `${field}.certificates`),
    licenseTypes: types as string[],
    ...(seals === undefined ? {} : { seals: seals.map((entry, i) => sealEntry(entry, `${field}.seals[${i}]`)) }),
  };
}

function statusIssuerEntry(value: unknown, field: string): TrustedStatusIssuer {
  if (!isJsonObject(value)) fail(`${field} must be an object`, field);
  return {
    name: text(value.name, `${field}.name`),
    code: text(value.code, `${field}.code`),
    certificates: certificateList(value.certificates, `${field}.certificates`),
  };
}

/** Reads the JSON payload of a trust list, strictly; every error names the member that was wrong. */
export function readTrustListContent(value: unknown): TrustListContent {
  if (!isJsonObject(value)) fail('trust list must be a JSON object', '');
  if (value.type !== 'ElicenseTrustList') fail('"type" must be "ElicenseTrustList"', 'type');
  if (!Number.isSafeInteger(value.sequence) || (value.sequence as number) < 1) {
    fail('"sequence" must be a positive integer', 'sequence');
  }
  const operator = value.operator;
  if (!isJsonObject(operator)) fail('"operator" must be an object', 'operator');
  const issuers = value.issuers;
  if (!Array.isArray(issuers) || issuers.length > MAX_ISSUERS) fail(`"issuers" must be a list of at most ${MAX_ISSUERS}`, 'issuers');
  const statusIssuers = value.statusIssuers ?? [];
  if (!Array.isArray(statusIssuers)) fail('"statusIssuers" must be a list', 'statusIssuers');
  const timestampAuthorities = value.timestampAuthorities ?? [];
  if (!Array.isArray(timestampAuthorities)) fail('"timestampAuthorities" must be a list', 'timestampAuthorities');
  const sealMakers = value.sealMakers;
  if (sealMakers !== undefined && !Array.isArray(sealMakers)) fail('"sealMakers" must be a list', 'sealMakers');
  const issued = timestamp(value.issued, 'issued');
  const nextUpdate = timestamp(value.nextUpdate, 'nextUpdate');
  if (Date.parse(nextUpdate) <= Date.parse(issued)) fail('"nextUpdate" must be after "issued"', 'nextUpdate');
  return {
    sequence: value.sequence as number,
    issued,
    nextUpdate,
    operator: { name: text(operator.name, 'operator.name'), code: text(operator.code, 'operator.code') },
    issuers: issuers.map((entry, i) => issuerEntry(entry, `issuers[${i}]`)),
    statusIssuers: statusIssuers.map((entry, i) => statusIssuerEntry(entry, `statusIssuers[${i}]`)),
    timestampAuthorities: timestampAuthorities.map((entry, i) => statusIssuerEntry(entry, `timestampAuthorities[${i}]`)),
    ...(sealMakers === undefined ? {} : { sealMakers: sealMakers.map((entry, i) => statusIssuerEntry(entry, `sealMakers[${i}]`)) }),
  };
}

/** The JSON form of a trust list payload, certificates as base64 DER. */
export function trustListContentToJson(content: TrustListContent): Record<string, unknown> {
  const certs = (list: readonly Uint8Array[]) => list.map((der) => base64(der));
  return {
    type: 'ElicenseTrustList',
    sequence: content.sequence,
    issued: content.issued,
    nextUpdate: content.nextUpdate,
    operator: content.operator,
    issuers: content.issuers.map((i) => ({
      name: i.name,
      code: i.code,
      licenseTypes: i.licenseTypes,
      certificates: certs(i.certificates),
      ...(i.seals ? { seals: i.seals } : {}),
    })),
    statusIssuers: content.statusIssuers.map((s) => ({ name: s.name, code: s.code, certificates: certs(s.certificates) })),
    ...(content.timestampAuthorities?.length
      ? { timestampAuthorities: content.timestampAuthorities.map((t) => ({ name: t.name, code: t.code, certificates: certs(t.certificates) })) }
      : {}),
    ...(content.sealMakers ? { sealMakers: content.sealMakers.map((m) => ({ name: m.name, code: m.code, certificates: certs(m.certificates) })) } : {}),
  };
}
