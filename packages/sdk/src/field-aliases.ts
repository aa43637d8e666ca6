/**
 * The names other platforms give the GB/T 36903 license metadata elements, mapped to ours (the
 * `credentialSubject` names of @elicense/core), and back, so an integrator can fill its own forms or
 * read another platform's records.
 *
 * Sources (see STANDARDS-CN.md §4.1 and §6): snake_case from a national-platform catalogue schema
 * (certificate_holder_code, certificate_type_name_code, certificate_validate_start, …); camelCase from
 * the names seen in use (certificateHolderCode, certIdentifier, zzeCertID, …) and a provincial sharing
 * service's request and response fields (certTypeCode, certNo, holderCode, issueDept, …); pinyin
 * abbreviations are only those the standards file records for these elements (ZZBH 证照编号, CZZTDM
 * 持证主体代码, …), which are the initials of the GB/T 36903 element names. Elements with no recorded
 * abbreviation (certificateVersion, certificateAreaCode) get none rather than a guess.
 */
import { LicenseSdkError } from './errors.js';

export type CanonicalLicenseField =
  | 'certificateName'
  | 'certificateTypeCode'
  | 'certificateNumber'
  | 'certificateIdentifier'
  | 'certificateVersion'
  | 'certificateIssuingAuthorityName'
  | 'certificateIssuingAuthorityCode'
  | 'certificateIssuedDate'
  | 'certificateHolderName'
  | 'certificateHolderCode'
  | 'certificateHolderTypeCode'
  | 'certificateHolderTypeName'
  | 'certificateEffectiveDate'
  | 'certificateExpiringDate'
  | 'certificateAreaCode';

export type PlatformNaming = 'snake' | 'camel' | 'pinyin';

export interface FieldAliases {
  /** 中文 element name. */
  readonly chinese: string;
  /** The first of each list is what toPlatformFields writes. */
  readonly snake: readonly string[];
  readonly camel: readonly string[];
  readonly pinyin: readonly string[];
}

export const LICENSE_FIELD_ALIASES: Readonly<Record<CanonicalLicenseField, FieldAliases>> = {
  certificateName: { chinese: '证照名称', snake: ['certificate_name'], camel: ['certificateName'], pinyin: ['ZZMC'] },
  certificateTypeCode: {
    chinese: '证照类型代码',
    snake: ['certificate_type_code', 'certificate_type_name_code'],
    camel: ['certificateTypeCode', 'certTypeCode'],
    pinyin: ['ZZLXDM'],
  },
  certificateNumber: { chinese: '证照编号', snake: ['certificate_number'], camel: ['certificateNumber', 'certNo', 'certNum'], pinyin: ['ZZBH'] },
  certificateIdentifier: {
    chinese: '证照标识',
    snake: ['certificate_identifier'],
    camel: ['certificateIdentifier', 'certIdentifier', 'certificateSign', 'zzeCertID'],
    pinyin: ['ZZBS'],
  },
  certificateVersion: { chinese: '证照版本号', snake: ['certificate_version'], camel: ['certificateVersion'], pinyin: [] },
  certificateIssuingAuthorityName: {
    chinese: '证照颁发机构',
    snake: ['certificate_issuing_authority_name'],
    camel: ['certificateIssuingAuthorityName', 'issueDept'],
    pinyin: ['ZZBFJG'],
  },
  certificateIssuingAuthorityCode: {
    chinese: '证照颁发机构代码',
    snake: ['certificate_issuing_authority_code'],
    camel: ['certificateIssuingAuthorityCode', 'issueDeptCode'],
    pinyin: ['ZZBFJGDM'],
  },
  certificateIssuedDate: {
    chinese: '证照颁发日期',
    // The catalogue schema names the issue date certificate_issuing_authority_date (value 20120109).
    snake: ['certificate_issued_date', 'certificate_issuing_authority_date'],
    camel: ['certificateIssuedDate', 'issueDate'],
    pinyin: ['ZZBFRQ'],
  },
  certificateHolderName: {
    chinese: '持证主体',
    snake: ['certificate_holder_name'],
    camel: ['certificateHolderName', 'certificateHolder'],
    pinyin: ['CZZT'],
  },
  certificateHolderCode: { chinese: '持证主体代码', snake: ['certificate_holder_code'], camel: ['certificateHolderCode', 'holderCode'], pinyin: ['CZZTDM'] },
  certificateHolderTypeCode: {
    chinese: '持证主体代码类型代码',
    // In the catalogue schema certificate_holder_type holds the code (111), not the name.
    snake: ['certificate_holder_type_code', 'certificate_holder_type'],
    camel: ['certificateHolderTypeCode', 'holderTypeCode'],
    pinyin: ['CZZTDMLXDM'],
  },
  certificateHolderTypeName: {
    chinese: '持证主体代码类型',
    // camelCase certificateHolderType is the name (公民身份号码) in the implementations seen.
    snake: ['certificate_holder_type_name'],
    camel: ['certificateHolderTypeName', 'certificateHolderType'],
    pinyin: ['CZZTDMLX'],
  },
  certificateEffectiveDate: {
    chinese: '证照有效期起始日期',
    snake: ['certificate_effective_date', 'certificate_validate_start'],
    camel: ['certificateEffectiveDate', 'certificateValidateStart'],
    pinyin: ['ZZYXQQSRQ'],
  },
  certificateExpiringDate: {
    chinese: '证照有效期截止日期',
    snake: ['certificate_expiring_date', 'certificate_validate_end'],
    camel: ['certificateExpiringDate', 'certificateValidateEnd'],
    pinyin: ['ZZYXQJZRQ'],
  },
  certificateAreaCode: { chinese: '证照所属管辖属地编码', snake: ['certificate_area_code'], camel: ['certificateAreaCode'], pinyin: [] },
};

const DATE_FIELDS = new Set<CanonicalLicenseField>(['certificateIssuedDate', 'certificateEffectiveDate', 'certificateExpiringDate']);

/** Every known name, lower-cased (platforms differ in case too: ZZBH, zzbh), → our name. */
const BY_ALIAS: ReadonlyMap<string, CanonicalLicenseField> = (() => {
  const map = new Map<string, CanonicalLicenseField>();
  for (const [canonical, aliases] of Object.entries(LICENSE_FIELD_ALIASES) as [CanonicalLicenseField, FieldAliases][]) {
    for (const name of [canonical, ...aliases.snake, ...aliases.camel, ...aliases.pinyin]) map.set(name.toLowerCase(), canonical);
  }
  return map;
})();

/** Our name for a platform's field name, or undefined for a name not in the map. */
export function canonicalFieldName(name: string): CanonicalLicenseField | undefined {
  return BY_ALIAS.get(name.toLowerCase());
}

/** 20120109 → 2012-01-09; other values as they are. */
function isoDate(value: unknown): unknown {
  return typeof value === 'string' && /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
}

/**
 * A record in any platform's naming → our names. Unknown keys are kept as they are; compact dates
 * (20120109) become ISO dates. Two names for one element with different values is an error.
 */
export function normalizeLicenseFields(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new LicenseSdkError('normalizeLicenseFields takes an object');
  const out: Record<string, unknown> = {};
  const source: Record<string, string> = {};
  for (const [key, raw] of Object.entries(record)) {
    const canonical = canonicalFieldName(key);
    if (!canonical) {
      out[key] = raw;
      continue;
    }
    const value = DATE_FIELDS.has(canonical) ? isoDate(raw) : raw;
    if (canonical in out && out[canonical] !== value) {
      throw new LicenseSdkError(`${source[canonical]} and ${key} both name ${canonical} (${LICENSE_FIELD_ALIASES[canonical].chinese}) with different values`);
    }
    out[canonical] = value;
    source[canonical] = key;
  }
  return out;
}

/**
 * Our license metadata in a platform's naming: a credential (its credentialSubject is used) or a
 * subject. Only the metadata elements are renamed; the 照面 fields stay under `fields`.
 */
export function toPlatformFields(credentialOrSubject: Readonly<Record<string, unknown>>, naming: PlatformNaming): Record<string, unknown> {
  const subject = (typeof credentialOrSubject?.credentialSubject === 'object' && credentialOrSubject.credentialSubject !== null
    ? credentialOrSubject.credentialSubject
    : credentialOrSubject) as Record<string, unknown>;
  if (!['snake', 'camel', 'pinyin'].includes(naming)) throw new LicenseSdkError(`naming must be snake, camel or pinyin, not ${String(naming)}`);
  const out: Record<string, unknown> = {};
  for (const [canonical, aliases] of Object.entries(LICENSE_FIELD_ALIASES) as [CanonicalLicenseField, FieldAliases][]) {
    if (subject[canonical] === undefined) continue;
    const name = aliases[naming][0];
    // An element with no name in this naming (no recorded pinyin abbreviation) keeps ours.
    out[name ?? canonical] = subject[canonical];
  }
  if (subject.fields !== undefined) out.fields = subject.fields;
  return out;
}
