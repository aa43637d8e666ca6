/**
 * Checks a license credential of unknown origin: its shape, its type and fields, its identifier and codes,
 * and that the values that repeat one another agree. Every finding is listed; nothing is thrown, whatever
 * the input. Validity against a point in time is the verifier's job, not this module's.
 */
import { ElicenseError } from '../errors.js';
import type { LicenseCredential, LicenseSubject } from './credential.js';
import { chinaDateOf, isCalendarDate, parseDateTime, toChinaDate } from './dates.js';
import { licenseError, licenseWarning, type LicenseFinding } from './findings.js';
import { parsedIdentifierFindings, parseIdentifier, versionText, type ParsedIdentifier } from './identifier.js';
import { isRecord } from './is-record.js';
import { checkPersonId } from './person-id.js';
import type { LicenseTypeRegistry } from './registry.js';
import type { LicenseType } from './types/license-type.js';
import { checkUscc } from './uscc.js';
import { computeValidUntil, LONG_TERM } from './validity.js';

export interface ValidateLicenseOptions {
  /** When given, a holder born after this instant is implausible (the issue date is always used). */
  readonly at?: Date;
}

const CONTEXT = ['https://www.w3.org/ns/credentials/v2', 'https://elicense.dev/ns/license/v1'];
const TYPE = ['VerifiableCredential', 'ElectronicLicense'];
const HOLDER_TYPE_NAMES: Readonly<Record<string, string>> = { '001': '统一社会信用代码', '111': '公民身份号码' };
const MAX_TEXT = 1000;
/** Enough to name the problem; a hostile object with a million members should not yield a million findings. */
const MAX_UNEXPECTED_REPORTED = 10;

export function validateLicenseCredential(
  value: unknown,
  registry: LicenseTypeRegistry,
  options: ValidateLicenseOptions = {},
): LicenseFinding[] {
  try {
    const structure = checkStructure(value);
    if (structure.length > 0) return structure;
    return checkContent(value as LicenseCredential, registry, options);
  } catch {
    // Plain JSON cannot get here; getters and proxies can. Unreadable is a failure, never an exception.
    return [licenseError('license.structure', 'the credential could not be read')];
  }
}

type Rule = (value: unknown) => boolean;
/** The members an object may have, each with its rule, whether it may be absent, and what it must be. */
type MemberSpec = Readonly<Record<string, { readonly rule: Rule; readonly optional?: true; readonly expected: string }>>;

const nonEmpty: Rule = (v) => typeof v === 'string' && v.trim() !== '' && v.length <= MAX_TEXT;
const dateTime: Rule = (v) => parseDateTime(v) !== undefined;
const calendarDate: Rule = (v) => isCalendarDate(v);

/** credentialSubject members: the rule each must meet, and whether it may be absent. */
const SUBJECT: MemberSpec = {
  id: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateName: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateTypeCode: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateNumber: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateIdentifier: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateVersion: { rule: (v) => typeof v === 'string' && /^\d{3}$/.test(v), expected: '3 digits' },
  certificateIssuingAuthorityName: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateIssuingAuthorityCode: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateIssuedDate: { rule: calendarDate, expected: 'a date YYYY-MM-DD' },
  certificateHolderName: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateHolderCode: { rule: nonEmpty, expected: 'a non-empty string' },
  certificateHolderTypeCode: { rule: (v) => v === '001' || v === '111', expected: '"001" or "111"' },
  certificateHolderTypeName: {
    rule: (v) => v === '统一社会信用代码' || v === '公民身份号码',
    expected: '统一社会信用代码 or 公民身份号码',
  },
  certificateEffectiveDate: { rule: calendarDate, expected: 'a date YYYY-MM-DD' },
  certificateExpiringDate: { rule: (v) => v === LONG_TERM || isCalendarDate(v), expected: `a date or ${LONG_TERM}` },
  certificateAreaCode: { rule: (v) => typeof v === 'string' && /^\d{6}$/.test(v), optional: true, expected: '6 digits' },
  previousIdentifier: { rule: nonEmpty, optional: true, expected: 'a non-empty string' },
  fields: { rule: isRecord, expected: 'an object' },
};

const STATUS_ENTRY: MemberSpec = {
  id: { rule: nonEmpty, expected: 'a non-empty string' },
  type: { rule: (v) => v === 'BitstringStatusListEntry', expected: 'BitstringStatusListEntry' },
  statusPurpose: { rule: (v) => v === 'revocation' || v === 'suspension', expected: 'revocation or suspension' },
  statusListIndex: {
    rule: (v) => typeof v === 'string' && /^(0|[1-9]\d{0,9})$/.test(v),
    expected: 'a non-negative integer as a decimal string',
  },
  statusListCredential: {
    rule: (v) => typeof v === 'string' && /^https?:\/\//.test(v) && v.length <= MAX_TEXT && URL.canParse(v),
    expected: 'an http(s) URL',
  },
};

const TOP: MemberSpec = {
  '@context': { rule: (v) => sameStrings(v, CONTEXT), expected: JSON.stringify(CONTEXT) },
  id: { rule: (v) => typeof v === 'string' && v.startsWith('urn:elicense:'), expected: 'urn:elicense:…' },
  type: { rule: (v) => sameStrings(v, TYPE), expected: JSON.stringify(TYPE) },
  issuer: { rule: isRecord, expected: 'an object { id, name }' },
  validFrom: { rule: dateTime, expected: 'a date-time with zone' },
  validUntil: { rule: dateTime, optional: true, expected: 'a date-time with zone' },
  credentialSubject: { rule: isRecord, expected: 'an object' },
  credentialStatus: {
    rule: (v) => Array.isArray(v) && v.length > 0 && v.length <= 2,
    optional: true,
    expected: 'an array of 1 or 2 status entries',
  },
};

const ISSUER: MemberSpec = { id: { rule: nonEmpty, expected: 'urn:uscc:…' }, name: { rule: nonEmpty, expected: 'a name' } };

function checkStructure(value: unknown): LicenseFinding[] {
  const findings: LicenseFinding[] = [];
  const bad = (field: string, message: string) => findings.push(licenseError('license.structure', message, field));
  if (!isRecord(value)) {
    bad('', 'a license credential is a JSON object');
    return findings;
  }
  checkMembers(value, TOP, '', bad);
  if (isRecord(value.issuer)) {
    checkMembers(value.issuer, ISSUER, 'issuer.', bad);
  }
  if (isRecord(value.credentialSubject)) checkMembers(value.credentialSubject, SUBJECT, 'credentialSubject.', bad);
  if (Array.isArray(value.credentialStatus) && value.credentialStatus.length <= 2) {
    const purposes = new Set<unknown>();
    value.credentialStatus.forEach((entry: unknown, i) => {
      if (!isRecord(entry)) return bad(`credentialStatus.${i}`, 'a status entry is an object');
      checkMembers(entry, STATUS_ENTRY, `credentialStatus.${i}.`, bad);
      if (purposes.has(entry.statusPurpose)) {
        bad(`credentialStatus.${i}.statusPurpose`, 'one status entry per purpose');
      }
      purposes.add(entry.statusPurpose);
    });
  }
  return findings;
}

/** Each spec's members as a list, made once: verification walks them for every license. */
const specEntries = new WeakMap<MemberSpec, [string, MemberSpec[string]][]>();

function entriesOf(spec: MemberSpec): [string, MemberSpec[string]][] {
  let entries = specEntries.get(spec);
  if (!entries) specEntries.set(spec, (entries = Object.entries(spec)));
  return entries;
}

function checkMembers(
  object: Record<string, unknown>,
  spec: MemberSpec,
  prefix: string,
  bad: (field: string, message: string) => void,
): void {
  for (const [name, { rule, optional, expected }] of entriesOf(spec)) {
    if (!Object.hasOwn(object, name)) {
      if (optional !== true) bad(prefix + name, `${prefix + name} is missing`);
    } else if (!rule(object[name])) {
      bad(prefix + name, `${prefix + name} must be ${expected}`);
    }
  }
  const unexpected = Object.keys(object).filter((name) => !Object.hasOwn(spec, name));
  for (const name of unexpected.slice(0, MAX_UNEXPECTED_REPORTED)) {
    bad(prefix + name, `${prefix + name} is not a member of a license credential`);
  }
  if (unexpected.length > MAX_UNEXPECTED_REPORTED) {
    bad(prefix.slice(0, -1), `${unexpected.length - MAX_UNEXPECTED_REPORTED} more unexpected members`);
  }
}

function checkContent(
  credential: LicenseCredential,
  registry: LicenseTypeRegistry,
  options: ValidateLicenseOptions,
): LicenseFinding[] {
  const subject = credential.credentialSubject;
  const type = registry.find(subject.certificateTypeCode);
  const findings: LicenseFinding[] = [];
  if (type === undefined) {
    findings.push(licenseError('license.type', 'unknown license type', 'credentialSubject.certificateTypeCode'));
  } else {
    if (subject.certificateName !== type.name) {
      findings.push(licenseError('license.type', `the type's name is ${type.name}`, 'credentialSubject.certificateName'));
    }
    for (const problem of registry.validateFields(type, subject.fields)) {
      const field = problem.path === '' ? 'credentialSubject.fields' : `credentialSubject.fields.${problem.path}`;
      findings.push(licenseError('license.schema', problem.message, field));
    }
  }
  findings.push(
    ...checkIdentifier(subject),
    ...checkHolder(subject, type, options),
    ...checkIssuer(credential),
    ...checkValidity(credential, type),
    ...checkLinkedFields(subject, type),
  );
  if (credential.id !== `urn:elicense:${subject.certificateIdentifier}`) {
    findings.push(licenseError('license.consistency', 'id must be urn:elicense:<certificateIdentifier>', 'id'));
  }
  return findings;
}

function checkIdentifier(subject: LicenseSubject): LicenseFinding[] {
  const field = 'credentialSubject.certificateIdentifier';
  const { findings, parsed } = readIdentifier(subject.certificateIdentifier, field);
  if (parsed === undefined) return findings;
  const wrong = (message: string) => findings.push(licenseError('license.identifier', message, field));
  if (parsed.identifier !== subject.certificateIdentifier) wrong('the identifier is not in uppercase form');
  if (parsed.typeCode !== subject.certificateTypeCode) wrong('the identifier names another type than certificateTypeCode');
  // A division code cannot be compared with the authority's USCC; validateIdentifier already warned.
  if (parsed.issuerCodeKind === 'uscc' && parsed.issuerCode !== subject.certificateIssuingAuthorityCode) {
    wrong('the identifier names another issuer than certificateIssuingAuthorityCode');
  }
  if (versionText(parsed.version) !== subject.certificateVersion) wrong('the identifier has another version than certificateVersion');

  if (subject.previousIdentifier !== undefined) {
    const previousField = 'credentialSubject.previousIdentifier';
    const { findings: previousFindings, parsed: previous } = readIdentifier(subject.previousIdentifier, previousField);
    findings.push(...previousFindings);
    const wrongPrevious = (message: string) => findings.push(licenseError('license.identifier', message, previousField));
    if (previous !== undefined) {
      if (previous.typeCode !== parsed.typeCode) wrongPrevious('the superseded license is of another type');
      if (previous.identifier === parsed.identifier) wrongPrevious('a license cannot supersede itself');
      else if (previous.issuerCode === parsed.issuerCode && previous.serial === parsed.serial && previous.version >= parsed.version) {
        wrongPrevious('the superseded version must be older than this one');
      }
    }
  }
  return findings;
}

/**
 * An identifier parsed once, with validateIdentifier's findings placed on the credential's member (the
 * part of the identifier named in the message).
 */
function readIdentifier(identifier: string, field: string): { findings: LicenseFinding[]; parsed?: ParsedIdentifier } {
  const onMember = (finding: LicenseFinding): LicenseFinding => ({
    ...finding,
    message: finding.field === undefined ? finding.message : `${finding.field}: ${finding.message}`,
    field,
  });
  let parsed: ParsedIdentifier;
  try {
    parsed = parseIdentifier(identifier);
  } catch (error) {
    if (error instanceof ElicenseError) return { findings: [onMember(licenseError('license.identifier', error.message, error.field))] };
    throw error;
  }
  return { findings: parsedIdentifierFindings(parsed).map(onMember), parsed };
}

function checkHolder(subject: LicenseSubject, type: LicenseType | undefined, options: ValidateLicenseOptions): LicenseFinding[] {
  const findings: LicenseFinding[] = [];
  const field = 'credentialSubject.certificateHolderCode';
  const code = subject.certificateHolderCode;
  if (subject.certificateHolderTypeCode === '001') {
    const check = checkUscc(code);
    if (!check.structureValid) {
      findings.push(licenseError('license.holder-code', 'the holder code is not a 统一社会信用代码', field));
    } else if (!check.valid) {
      findings.push(licenseWarning('license.holder-code', `the holder's 统一社会信用代码 fails ${usccFailure(check)}`, field));
    }
  } else {
    const at = options.at !== undefined ? toChinaDate(options.at) : undefined;
    const latest = at !== undefined && at < subject.certificateIssuedDate ? at : subject.certificateIssuedDate;
    const check = checkPersonId(code, { at: latest });
    if (!check.structureValid) {
      findings.push(licenseError('license.holder-code', 'the holder code is not a 公民身份号码', field));
    } else {
      if (!check.checkDigitValid) findings.push(licenseWarning('license.holder-code', "the holder's 公民身份号码 fails its check digit", field));
      if (!check.birthDateValid) findings.push(licenseWarning('license.holder-code', "the holder's birth date is not plausible", field));
    }
  }
  const consistency = (message: string, at: string) => findings.push(licenseError('license.consistency', message, at));
  if (HOLDER_TYPE_NAMES[subject.certificateHolderTypeCode] !== subject.certificateHolderTypeName) {
    consistency('certificateHolderTypeName does not match certificateHolderTypeCode', 'credentialSubject.certificateHolderTypeName');
  }
  const expectedId = subject.certificateHolderTypeCode === '001' ? `urn:uscc:${code}` : `urn:cn:person-id:${code}`;
  if (subject.id !== expectedId) consistency(`credentialSubject.id must be ${expectedId}`, 'credentialSubject.id');
  if (type !== undefined) {
    const expected = type.holderCategory === 'legal-person' ? '001' : '111';
    if (subject.certificateHolderTypeCode !== expected) {
      consistency(`${type.name} is held by a ${type.holderCategory} (code type ${expected})`, 'credentialSubject.certificateHolderTypeCode');
    }
  }
  return findings;
}

function checkIssuer(credential: LicenseCredential): LicenseFinding[] {
  const findings: LicenseFinding[] = [];
  const subject = credential.credentialSubject;
  const code = subject.certificateIssuingAuthorityCode;
  const check = checkUscc(code);
  const field = 'credentialSubject.certificateIssuingAuthorityCode';
  if (!check.structureValid) {
    findings.push(licenseError('license.issuer-code', 'the issuing authority code is not a 统一社会信用代码', field));
  } else if (!check.valid) {
    findings.push(licenseWarning('license.issuer-code', `the issuing authority code fails ${usccFailure(check)}`, field));
  }
  if (credential.issuer.id !== `urn:uscc:${code}`) {
    findings.push(licenseError('license.consistency', 'issuer.id must be urn:uscc:<certificateIssuingAuthorityCode>', 'issuer.id'));
  }
  if (credential.issuer.name !== subject.certificateIssuingAuthorityName) {
    findings.push(licenseError('license.consistency', 'issuer.name must equal certificateIssuingAuthorityName', 'issuer.name'));
  }
  return findings;
}

function usccFailure(check: { checkDigitValid: boolean; organizationCodeCheckValid: boolean }): string {
  if (!check.checkDigitValid && !check.organizationCodeCheckValid) return 'its check digit and its 组织机构代码 check';
  return check.checkDigitValid ? 'its 组织机构代码 check' : 'its check digit';
}

function checkValidity(credential: LicenseCredential, type: LicenseType | undefined): LicenseFinding[] {
  const findings: LicenseFinding[] = [];
  const wrong = (message: string, field: string) => findings.push(licenseError('license.validity-period', message, field));
  const subject = credential.credentialSubject;
  const from = parseDateTime(credential.validFrom)!;
  if (chinaDateOf(from) !== subject.certificateEffectiveDate) {
    wrong('validFrom falls on another day (China time) than certificateEffectiveDate', 'validFrom');
  }
  const expiring = subject.certificateExpiringDate;
  if (expiring === LONG_TERM) {
    if (credential.validUntil !== undefined) wrong(`a ${LONG_TERM} license has no validUntil`, 'validUntil');
  } else if (credential.validUntil === undefined) {
    wrong('validUntil is missing for a license with an expiring date', 'validUntil');
  } else {
    const until = parseDateTime(credential.validUntil)!;
    if (chinaDateOf(until) !== expiring) wrong('validUntil falls on another day (China time) than certificateExpiringDate', 'validUntil');
    if (until.getTime() < from.getTime()) wrong('validUntil is before validFrom', 'validUntil');
  }
  if (type !== undefined && !('longTerm' in type.validity)) {
    const longest = computeValidUntil(type, subject.certificateEffectiveDate);
    if (expiring === LONG_TERM || expiring > longest) {
      findings.push(
        licenseWarning('license.validity-period', `longer than the type's rule allows (until ${longest})`, 'credentialSubject.certificateExpiringDate'),
      );
    }
  }
  return findings;
}

function checkLinkedFields(subject: LicenseSubject, type: LicenseType | undefined): LicenseFinding[] {
  if (type?.linkedFields === undefined) return [];
  const values: Readonly<Record<string, string>> = {
    holderName: subject.certificateHolderName,
    holderCode: subject.certificateHolderCode,
    number: subject.certificateNumber,
  };
  const findings: LicenseFinding[] = [];
  for (const [element, name] of Object.entries(type.linkedFields)) {
    if (name !== undefined && Object.hasOwn(subject.fields, name) && subject.fields[name] !== values[element]) {
      findings.push(
        licenseError('license.consistency', `${name} must equal the license's ${element}`, `credentialSubject.fields.${name}`),
      );
    }
  }
  return findings;
}

function sameStrings(value: unknown, expected: readonly string[]): boolean {
  return Array.isArray(value) && value.length === expected.length && value.every((v, i) => v === expected[i]);
}
