/**
 * Renewal or change (延续, 变更) issues a new version of a license: same type and serial, version + 1, a new
 * check character, and `previousIdentifier` pointing at the version it supersedes.
 */
import { ElicenseError } from '../errors.js';
import {
  buildLicenseCredential,
  type LicenseCredential,
  type LicenseHolder,
  type LicenseInput,
  type LicenseIssuer,
  type LicenseStatusInput,
} from './credential.js';
import { MAX_VERSION, parseIdentifier } from './identifier.js';
import { isRecord } from './is-record.js';
import type { LicenseTypeRegistry } from './registry.js';
import { validateLicenseCredential } from './validate-credential.js';

export interface LicenseChanges {
  /** The new version's issue date: core reads no clock. */
  readonly issuedDate: Date | string;
  /** A new start of validity; the end is then recomputed from the type's rule unless validUntil is given. */
  readonly validFrom?: Date | string;
  readonly validUntil?: Date | string;
  /** Merged over the old fields; a member set to undefined is removed. */
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly number?: string;
  readonly holder?: LicenseHolder;
  readonly issuer?: LicenseIssuer;
  readonly areaCode?: string;
  /**
   * Not carried over: the old version's entry is where it will be marked superseded or revoked, so the new
   * version needs entries of its own.
   */
  readonly credentialStatus?: readonly LicenseStatusInput[];
}

export function nextVersion(
  credential: LicenseCredential,
  changes: LicenseChanges,
  registry: LicenseTypeRegistry,
): LicenseCredential {
  if (!isRecord(changes) || (changes.fields !== undefined && !isRecord(changes.fields))) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'changes is { issuedDate, fields?, … } with fields an object', {
      field: 'changes',
    });
  }
  const error = validateLicenseCredential(credential, registry).find((finding) => finding.level === 'error');
  if (error !== undefined) {
    throw new ElicenseError('ERR_LICENSE_INVALID', `cannot renew an invalid license: ${error.message}`, {
      field: error.field ?? 'credential',
    });
  }
  const subject = credential.credentialSubject;
  const current = parseIdentifier(subject.certificateIdentifier);
  if (current.version >= MAX_VERSION) {
    throw new ElicenseError('ERR_LICENSE_INVALID', `version ${MAX_VERSION} is the last one`, {
      field: 'credentialSubject.certificateVersion',
    });
  }
  const fields: Record<string, unknown> = { ...subject.fields, ...changes.fields };
  for (const [name, value] of Object.entries(fields)) if (value === undefined) delete fields[name];

  const validUntil =
    changes.validUntil ?? (changes.validFrom === undefined ? subject.certificateExpiringDate : undefined);
  const areaCode = changes.areaCode ?? subject.certificateAreaCode;
  const input: LicenseInput = {
    typeCode: subject.certificateTypeCode,
    issuer: changes.issuer ?? { name: subject.certificateIssuingAuthorityName, code: subject.certificateIssuingAuthorityCode },
    holder: changes.holder ?? {
      name: subject.certificateHolderName,
      code: subject.certificateHolderCode,
      codeType: subject.certificateHolderTypeCode,
    },
    number: changes.number ?? subject.certificateNumber,
    serial: current.serial,
    version: current.version + 1,
    issuedDate: changes.issuedDate,
    validFrom: changes.validFrom ?? subject.certificateEffectiveDate,
    ...(validUntil === undefined ? {} : { validUntil }),
    ...(areaCode === undefined ? {} : { areaCode }),
    fields,
    previousIdentifier: current.identifier,
    ...(changes.credentialStatus === undefined ? {} : { credentialStatus: changes.credentialStatus }),
  };
  return buildLicenseCredential(input, registry);
}
