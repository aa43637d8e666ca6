/**
 * The license as a W3C Verifiable Credential 2.0: GB/T 36903 metadata elements (STANDARDS-CN §4) in
 * `credentialSubject`, the type-specific 照面 fields under `credentialSubject.fields`.
 */
import { ElicenseError } from '../errors.js';
import { toChinaDate, endOfChinaDay, startOfChinaDay } from './dates.js';
import { buildIdentifier, parseIdentifier, type ParsedIdentifier, versionText } from './identifier.js';
import { isRecord } from './is-record.js';
import { checkPersonId } from './person-id.js';
import type { FieldProblem, LicenseTypeRegistry } from './registry.js';
import type { LicenseType } from './types/license-type.js';
import { checkUscc } from './uscc.js';
import { validateLicenseCredential } from './validate-credential.js';
import { computeValidUntil, LONG_TERM } from './validity.js';

export { validateLicenseCredential, type ValidateLicenseOptions } from './validate-credential.js';
export type { LicenseFinding, LicenseFindingId } from './findings.js';

export const LICENSE_CONTEXT = ['https://www.w3.org/ns/credentials/v2', 'https://elicense.dev/ns/license/v1'] as const;
export const LICENSE_CREDENTIAL_TYPE = ['VerifiableCredential', 'ElectronicLicense'] as const;

/** 持证主体代码类型代码 (GB/T 36903): 001 统一社会信用代码, 111 公民身份号码. */
export type HolderCodeType = '001' | '111';
export const HOLDER_CODE_TYPE_NAMES = { '001': '统一社会信用代码', '111': '公民身份号码' } as const;
export type HolderCodeTypeName = (typeof HOLDER_CODE_TYPE_NAMES)[HolderCodeType];

export type StatusPurpose = 'revocation' | 'suspension';

export interface LicenseStatusEntry {
  readonly id: string;
  readonly type: 'BitstringStatusListEntry';
  readonly statusPurpose: StatusPurpose;
  /** A decimal string, as the Bitstring Status List spec writes it. */
  readonly statusListIndex: string;
  readonly statusListCredential: string;
}

export interface LicenseSubject {
  /** `urn:uscc:<code>` for 001 holders, `urn:cn:person-id:<number>` for 111 holders. */
  readonly id: string;
  readonly certificateName: string;
  readonly certificateTypeCode: string;
  /** 证照编号, as printed on the license. */
  readonly certificateNumber: string;
  /** 电子证照标识 (GB/T 36904). */
  readonly certificateIdentifier: string;
  readonly certificateVersion: string;
  readonly certificateIssuingAuthorityName: string;
  readonly certificateIssuingAuthorityCode: string;
  readonly certificateIssuedDate: string;
  readonly certificateHolderName: string;
  readonly certificateHolderCode: string;
  readonly certificateHolderTypeCode: HolderCodeType;
  readonly certificateHolderTypeName: HolderCodeTypeName;
  readonly certificateEffectiveDate: string;
  /** `YYYY-MM-DD`, or 长期有效. */
  readonly certificateExpiringDate: string;
  /** 证照所属管辖属地编码 (GB/T 2260), e.g. 220000. */
  readonly certificateAreaCode?: string;
  /** The identifier of the version this one supersedes. */
  readonly previousIdentifier?: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface LicenseCredential {
  readonly '@context': typeof LICENSE_CONTEXT;
  /** `urn:elicense:<identifier>`. */
  readonly id: string;
  readonly type: typeof LICENSE_CREDENTIAL_TYPE;
  /** `id` is `urn:uscc:<issuing authority code>`. */
  readonly issuer: { readonly id: string; readonly name: string };
  /** Start of the effective date in China time. */
  readonly validFrom: string;
  /** End of the expiring date in China time; absent for 长期有效. */
  readonly validUntil?: string;
  readonly credentialSubject: LicenseSubject;
  readonly credentialStatus?: readonly LicenseStatusEntry[];
}

export interface LicenseIssuer {
  readonly name: string;
  /** The issuing authority's 统一社会信用代码. */
  readonly code: string;
}

export interface LicenseHolder {
  readonly name: string;
  readonly code: string;
  /** Inferred from the type's holder category when absent; must agree with it when given. */
  readonly codeType?: HolderCodeType;
}

export interface LicenseStatusInput {
  /** Defaults to `<statusListCredential>#<statusListIndex>`. */
  readonly id?: string;
  readonly statusPurpose: StatusPurpose;
  readonly statusListIndex: string | number;
  readonly statusListCredential: string;
}

export interface LicenseInput {
  readonly typeCode: string;
  readonly issuer: LicenseIssuer;
  readonly holder: LicenseHolder;
  /** 证照编号. */
  readonly number: string;
  /** 流水号 of the identifier: 1 to 32 characters of [0-9A-Z]. */
  readonly serial: string;
  /** 1 to 999; default 1. */
  readonly version?: number;
  /** A Date (its China calendar date is used), `YYYY-MM-DD`, or a date-time with zone. */
  readonly issuedDate: Date | string;
  readonly validFrom: Date | string;
  /** The last day of validity, or LONG_TERM; computed from the type's rule when absent. */
  readonly validUntil?: Date | string;
  readonly areaCode?: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly previousIdentifier?: string;
  readonly credentialStatus?: readonly LicenseStatusInput[];
}

/** ERR_LICENSE_SCHEMA with every schema problem; `field` names the first. */
export class LicenseSchemaError extends ElicenseError {
  readonly problems: readonly { readonly field: string; readonly message: string }[];

  constructor(problems: readonly FieldProblem[]) {
    const listed = problems.map((p) => ({ field: fieldPath(p.path), message: p.message }));
    super('ERR_LICENSE_SCHEMA', `license fields do not match the type's schema: ${listed.map((p) => `${p.field} ${p.message}`).join('; ')}`, {
      field: listed[0]?.field ?? 'credentialSubject.fields',
    });
    this.problems = listed;
  }
}

/**
 * Builds and checks a license credential. Bad input throws ElicenseError whose `field` names the input
 * (`holder.code`, `validFrom`, `credentialSubject.fields.名称`, …). Failed check digits in codes are
 * accepted: real pilot-era codes fail them (STANDARDS-CN §3.3).
 */
export function buildLicenseCredential(input: LicenseInput, registry: LicenseTypeRegistry): LicenseCredential {
  if (!isRecord(input)) throw invalid('input', 'the license input must be an object');
  const type = registry.get(input.typeCode);
  const issuer = checkIssuer(input.issuer);
  const holder = checkHolder(input.holder, type);
  const number = text(input.number, 'number');
  const identifier = buildIdentifier({
    typeCode: type.code,
    issuerCode: issuer.code,
    serial: input.serial,
    version: input.version ?? 1,
  });
  const parsed = parseIdentifier(identifier);

  const issuedDate = date(input.issuedDate, 'issuedDate');
  const effectiveDate = date(input.validFrom, 'validFrom');
  const expiringDate =
    input.validUntil === undefined
      ? computeValidUntil(type, effectiveDate)
      : input.validUntil === LONG_TERM
        ? LONG_TERM
        : date(input.validUntil, 'validUntil');
  if (expiringDate !== LONG_TERM && expiringDate < effectiveDate) {
    throw invalid('validUntil', 'the license would expire before it takes effect');
  }
  if (input.areaCode !== undefined && (typeof input.areaCode !== 'string' || !/^\d{6}$/.test(input.areaCode))) {
    throw invalid('areaCode', 'the area code is a 6-digit GB/T 2260 division code');
  }

  const problems = registry.validateFields(type, input.fields);
  if (problems.length > 0) throw new LicenseSchemaError(problems);
  // Schema-valid fields are plain JSON; the copy detaches the credential from the caller's object.
  const fields = JSON.parse(JSON.stringify(input.fields)) as Record<string, unknown>;
  checkLinkedFields(type, fields, { holderName: holder.name, holderCode: holder.code, number });

  if (input.previousIdentifier !== undefined) checkPreviousIdentifier(input.previousIdentifier, parsed);
  const credentialStatus = input.credentialStatus === undefined ? undefined : statusEntries(input.credentialStatus);

  const subject: LicenseSubject = {
    id: holder.codeType === '001' ? `urn:uscc:${holder.code}` : `urn:cn:person-id:${holder.code}`,
    certificateName: type.name,
    certificateTypeCode: type.code,
    certificateNumber: number,
    certificateIdentifier: identifier,
    certificateVersion: versionText(parsed.version),
    certificateIssuingAuthorityName: issuer.name,
    certificateIssuingAuthorityCode: issuer.code,
    certificateIssuedDate: issuedDate,
    certificateHolderName: holder.name,
    certificateHolderCode: holder.code,
    certificateHolderTypeCode: holder.codeType,
    certificateHolderTypeName: HOLDER_CODE_TYPE_NAMES[holder.codeType],
    certificateEffectiveDate: effectiveDate,
    certificateExpiringDate: expiringDate,
    ...(input.areaCode === undefined ? {} : { certificateAreaCode: input.areaCode }),
    ...(input.previousIdentifier === undefined ? {} : { previousIdentifier: input.previousIdentifier.toUpperCase() }),
    fields,
  };
  const credential: LicenseCredential = {
    '@context': LICENSE_CONTEXT,
    id: `urn:elicense:${parsed.identifier}`,
    type: LICENSE_CREDENTIAL_TYPE,
    issuer: { id: `urn:uscc:${issuer.code}`, name: issuer.name },
    validFrom: startOfChinaDay(effectiveDate),
    ...(expiringDate === LONG_TERM ? {} : { validUntil: endOfChinaDay(expiringDate) }),
    credentialSubject: subject,
    ...(credentialStatus === undefined ? {} : { credentialStatus }),
  };

  // The same checks a verifier runs: whatever is built here must also validate there.
  const error = validateLicenseCredential(credential, registry).find((finding) => finding.level === 'error');
  if (error !== undefined) {
    throw new ElicenseError('ERR_LICENSE_INVALID', error.message, error.field === undefined ? {} : { field: error.field });
  }
  return credential;
}

function checkIssuer(issuer: unknown): LicenseIssuer {
  if (!isRecord(issuer)) throw invalid('issuer', 'the issuer is { name, code }');
  const name = text(issuer.name, 'issuer.name');
  if (!checkUscc(issuer.code).structureValid) {
    throw invalid('issuer.code', 'the issuing authority code is an 18-character 统一社会信用代码');
  }
  return { name, code: issuer.code as string };
}

function checkHolder(holder: unknown, type: LicenseType): Required<LicenseHolder> {
  if (!isRecord(holder)) throw invalid('holder', 'the holder is { name, code, codeType? }');
  const name = text(holder.name, 'holder.name');
  const expected: HolderCodeType = type.holderCategory === 'legal-person' ? '001' : '111';
  if (holder.codeType !== undefined && holder.codeType !== expected) {
    throw invalid('holder.codeType', `${type.name} is held by a ${type.holderCategory}, whose code type is ${expected}`);
  }
  const structureValid =
    expected === '001' ? checkUscc(holder.code).structureValid : checkPersonId(holder.code).structureValid;
  if (!structureValid) throw invalid('holder.code', `the holder code is not a ${HOLDER_CODE_TYPE_NAMES[expected]}`);
  return { name, code: holder.code as string, codeType: expected };
}

function checkLinkedFields(
  type: LicenseType,
  fields: Readonly<Record<string, unknown>>,
  values: { holderName: string; holderCode: string; number: string },
): void {
  for (const [element, name] of Object.entries(type.linkedFields ?? {})) {
    const expected = values[element as keyof typeof values];
    if (name !== undefined && Object.hasOwn(fields, name) && fields[name] !== expected) {
      throw invalid(`credentialSubject.fields.${name}`, `${name} must equal the license's ${element} (${expected})`);
    }
  }
}

function checkPreviousIdentifier(previous: unknown, current: ParsedIdentifier): void {
  let parsed;
  try {
    parsed = parseIdentifier(previous as string);
  } catch (cause) {
    throw new ElicenseError('ERR_IDENTIFIER_INVALID', 'previousIdentifier is not an identifier', {
      cause,
      field: 'previousIdentifier',
    });
  }
  if (!parsed.checkCharacterValid) {
    throw new ElicenseError('ERR_IDENTIFIER_INVALID', 'previousIdentifier has a wrong check character', {
      field: 'previousIdentifier',
    });
  }
  if (parsed.typeCode !== current.typeCode) {
    throw invalid('previousIdentifier', 'a license can only supersede a license of the same type');
  }
  if (parsed.identifier === current.identifier) throw invalid('previousIdentifier', 'a license cannot supersede itself');
}

function statusEntries(entries: unknown): LicenseStatusEntry[] {
  if (!Array.isArray(entries) || entries.length === 0) {
    throw invalid('credentialStatus', 'credentialStatus is a non-empty array (or absent)');
  }
  return entries.map((entry: unknown, i) => {
    const at = `credentialStatus.${i}`;
    if (!isRecord(entry)) throw invalid(at, 'a status entry is an object');
    const index = typeof entry.statusListIndex === 'number' ? String(entry.statusListIndex) : entry.statusListIndex;
    if (typeof index !== 'string' || !/^(0|[1-9]\d{0,9})$/.test(index)) {
      throw invalid(`${at}.statusListIndex`, 'the status list index is a non-negative integer');
    }
    const url = entry.statusListCredential;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url)) {
      throw invalid(`${at}.statusListCredential`, 'the status list is named by its http(s) URL');
    }
    if (entry.statusPurpose !== 'revocation' && entry.statusPurpose !== 'suspension') {
      throw invalid(`${at}.statusPurpose`, 'the status purpose is revocation or suspension');
    }
    const id = entry.id === undefined ? `${url}#${index}` : text(entry.id, `${at}.id`);
    return {
      id,
      type: 'BitstringStatusListEntry',
      statusPurpose: entry.statusPurpose,
      statusListIndex: index,
      statusListCredential: url,
    };
  });
}

function date(value: unknown, field: string): string {
  const day = toChinaDate(value);
  if (day === undefined) throw invalid(field, `${field} is not a date (a Date, YYYY-MM-DD or a date-time with zone)`);
  return day;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 1000) {
    throw invalid(field, `${field} must be a non-empty string of at most 1000 characters`);
  }
  return value;
}

function fieldPath(path: string): string {
  return path === '' ? 'credentialSubject.fields' : `credentialSubject.fields.${path}`;
}

function invalid(field: string, message: string): ElicenseError {
  return new ElicenseError('ERR_LICENSE_INVALID', message, { field });
}

