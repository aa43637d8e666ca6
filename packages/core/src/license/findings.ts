/** The findings that license checks report: every problem found, not just the first. */

export type LicenseFindingId =
  | 'license.structure'
  | 'license.type'
  | 'license.schema'
  | 'license.identifier'
  | 'license.holder-code'
  | 'license.issuer-code'
  | 'license.validity-period'
  | 'license.consistency';

export interface LicenseFinding {
  readonly id: LicenseFindingId;
  /** `error` makes the license unusable; `warning` is reported but does not (e.g. a failed USCC check digit). */
  readonly level: 'error' | 'warning';
  readonly message: string;
  /** The path of the value the finding is about, e.g. `credentialSubject.fields.名称`. */
  readonly field?: string;
}

export function licenseError(id: LicenseFindingId, message: string, field?: string): LicenseFinding {
  return field === undefined ? { id, level: 'error', message } : { id, level: 'error', message, field };
}

export function licenseWarning(id: LicenseFindingId, message: string, field?: string): LicenseFinding {
  return field === undefined ? { id, level: 'warning', message } : { id, level: 'warning', message, field };
}

export function hasErrors(findings: readonly LicenseFinding[]): boolean {
  return findings.some((finding) => finding.level === 'error');
}
