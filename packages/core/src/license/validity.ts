/** 有效期限: when a license of a given type expires, from its type's validity rule. */
import { ElicenseError } from '../errors.js';
import { addMonths, toChinaDate } from './dates.js';
import type { LicenseType } from './types/license-type.js';

/** The value of certificateExpiringDate for a license without an end (长期有效). */
export const LONG_TERM = '长期有效';

/**
 * The last day of validity (`YYYY-MM-DD`, China calendar) of a license of `type` that takes effect on
 * `validFrom`, or LONG_TERM. The period ends on the corresponding day N years or months later.
 */
export function computeValidUntil(type: Pick<LicenseType, 'validity'>, validFrom: Date | string): string {
  const from = toChinaDate(validFrom);
  if (from === undefined) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'validFrom is not a date', { field: 'validFrom' });
  }
  const rule = type.validity;
  if ('longTerm' in rule) return LONG_TERM;
  return addMonths(from, 'years' in rule ? rule.years * 12 : rule.months);
}
