/** License-level checks over the signed payload: the model's findings and the validity period at `at`. */
import type { LicenseFinding } from '../license/credential.js';
import { failed, passed } from './checks.js';
import type { Check } from './report.js';

const FINDING_CHECKS = ['license.structure', 'license.type', 'license.schema', 'license.identifier', 'license.consistency'] as const;

/** One check per aspect of the model; warnings (e.g. a 统一社会信用代码 check digit) pass and are listed. */
export function licenseFindingChecks(findings: readonly LicenseFinding[]): { checks: Check[]; warnings: string[] } {
  const checks = FINDING_CHECKS.map((id) => {
    const errors = findings.filter((f) => f.id === id && f.level === 'error');
    if (errors.length === 0) return passed(id, 'ok');
    return failed(id, 'FORMAT_FAILURE', errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; '), {
      details: { fields: errors.flatMap((e) => (e.field ? [e.field] : [])) },
    });
  });
  const otherErrors = findings.filter((f) => f.level === 'error' && !(FINDING_CHECKS as readonly string[]).includes(f.id));
  for (const error of otherErrors) {
    checks.push(failed(error.id, 'FORMAT_FAILURE', error.field ? `${error.field}: ${error.message}` : error.message));
  }
  const warnings = findings.filter((f) => f.level === 'warning').map((f) => (f.field ? `${f.field}: ${f.message}` : f.message));
  return { checks, warnings };
}

export function checkValidityPeriod(validFrom: unknown, validUntil: unknown, at: Date): Check {
  const id = 'license.validity-period';
  const from = typeof validFrom === 'string' ? Date.parse(validFrom) : NaN;
  if (Number.isNaN(from)) return failed(id, 'FORMAT_FAILURE', 'validFrom is missing or not a time');
  if (at.getTime() < from) return failed(id, 'NOT_YET_VALID', `the license is valid from ${validFrom}, not yet at ${at.toISOString()}`);
  if (validUntil === undefined) return passed(id, `valid since ${validFrom}, long-term (长期有效)`);
  const until = typeof validUntil === 'string' ? Date.parse(validUntil) : NaN;
  if (Number.isNaN(until)) return failed(id, 'FORMAT_FAILURE', 'validUntil is not a time');
  if (at.getTime() > until) return failed(id, 'EXPIRED', `the license expired at ${validUntil}`);
  return passed(id, `valid from ${validFrom} until ${validUntil}`);
}
