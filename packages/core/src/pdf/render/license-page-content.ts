/**
 * What a license page says, independent of where it goes: the title, the field table (the 照面 fields,
 * then the metadata elements no field repeats), the issuing authority and date, the identifier.
 */
import { ElicenseError } from '../../errors.js';
import { isRecord } from '../../license/is-record.js';
import type { LicenseCredential } from '../../license/credential.js';
import { LONG_TERM } from '../../license/validity.js';
import type { LicenseType } from '../../license/types/license-type.js';
import { chineseDate, displayFieldValue, fieldLabel, schemaFieldNames } from './field-text.js';

export interface TableCell {
  readonly label: string;
  readonly value: string;
}

/** One row of the field table: one cell across the width, or two side by side. */
export type TableRow = readonly [TableCell] | readonly [TableCell, TableCell];

export interface LicensePageContent {
  readonly title: string;
  readonly rows: readonly TableRow[];
  readonly authorityLabel: string;
  readonly authorityName: string;
  /** The issue date as printed (2024年01月15日). */
  readonly issuedDate: string;
  readonly identifier: string;
}

export const DEFAULT_AUTHORITY_LABEL = '发证机关';

export function licensePageContent(credential: LicenseCredential, type: LicenseType): LicensePageContent {
  const subject = checkedSubject(credential, type);
  const fields = subject.fields;
  const template = type.renderTemplate;
  const cell = (name: string): TableCell => ({ label: fieldLabel(type, name), value: displayFieldValue(fields[name]) });
  const present = (name: string) => Object.hasOwn(fields, name) && fields[name] !== undefined && fields[name] !== '';

  const rows: TableRow[] = [];
  const placed = new Set<string>();
  for (const row of template?.rows ?? []) {
    const names = (typeof row === 'string' ? [row] : [...row]).filter((name) => present(name) && !placed.has(name));
    names.forEach((name) => placed.add(name));
    const [first, second] = names;
    if (first !== undefined) rows.push(second === undefined ? [cell(first)] : [cell(first), cell(second)]);
  }
  const unplaced = [...schemaFieldNames(type), ...Object.keys(fields)].filter((name) => present(name) && !placed.has(name));
  for (const name of new Set(unplaced)) rows.push([cell(name)]);

  const linked = type.linkedFields ?? {};
  if (linked.holderName === undefined || !present(linked.holderName)) {
    rows.push([{ label: type.holderCategory === 'legal-person' ? '持证主体' : '持证人', value: subject.certificateHolderName }]);
  }
  if (linked.holderCode === undefined || !present(linked.holderCode)) {
    rows.push([{ label: subject.certificateHolderTypeName, value: subject.certificateHolderCode }]);
  }
  const validity: TableCell = { label: '有效期限', value: validityText(subject.certificateEffectiveDate, subject.certificateExpiringDate) };
  rows.push(
    linked.number === undefined || !present(linked.number)
      ? [{ label: '证照编号', value: subject.certificateNumber }, validity]
      : [validity],
  );

  return {
    title: template?.title ?? type.name,
    rows,
    authorityLabel: template?.authorityLabel ?? DEFAULT_AUTHORITY_LABEL,
    authorityName: subject.certificateIssuingAuthorityName,
    issuedDate: chineseDate(subject.certificateIssuedDate),
    identifier: subject.certificateIdentifier,
  };
}

function validityText(effective: string, expiring: string): string {
  return expiring === LONG_TERM ? LONG_TERM : `${chineseDate(effective)}至${chineseDate(expiring)}`;
}

/** The credential is the caller's own, but a wrong type or a missing element must fail clearly, not print blanks. */
function checkedSubject(credential: LicenseCredential, type: LicenseType): LicenseCredential['credentialSubject'] {
  const subject: unknown = isRecord(credential) ? credential.credentialSubject : undefined;
  if (!isRecord(subject) || !isRecord(subject.fields)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'the credential has no credentialSubject.fields', { field: 'credential.credentialSubject' });
  }
  if (subject.certificateTypeCode !== type.code) {
    throw new ElicenseError('ERR_INVALID_INPUT', `the credential is of type ${String(subject.certificateTypeCode)}, not ${type.code}`, {
      field: 'credential.credentialSubject.certificateTypeCode',
    });
  }
  for (const element of [
    'certificateHolderName',
    'certificateHolderCode',
    'certificateHolderTypeName',
    'certificateNumber',
    'certificateIdentifier',
    'certificateIssuingAuthorityName',
    'certificateIssuedDate',
    'certificateEffectiveDate',
    'certificateExpiringDate',
  ] as const) {
    if (typeof subject[element] !== 'string' || subject[element] === '') {
      throw new ElicenseError('ERR_INVALID_INPUT', `the credential has no ${element}`, { field: `credential.credentialSubject.${element}` });
    }
  }
  return subject as unknown as LicenseCredential['credentialSubject'];
}
