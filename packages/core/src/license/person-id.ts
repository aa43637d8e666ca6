/**
 * 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men),
 * and an ISO 7064 MOD 11-2 check character (0-9 or X). As with USCCs, failed checks are data: structure
 * errors reject, a wrong check character or an implausible birth date only warns.
 */
import { ElicenseError } from '../errors.js';
import { isCalendarDate, toChinaDate } from './dates.js';

/** W_i = 2^(17-i) mod 11 for positions 1..17. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';
/** Nobody alive was born earlier; the number itself dates from 1999. */
const EARLIEST_BIRTH_DATE = '1850-01-01';

export interface PersonIdCheck {
  readonly valid: boolean;
  /** 17 digits and a final digit or X (uppercase, as GB 11643 writes it). */
  readonly structureValid: boolean;
  readonly checkDigitValid: boolean;
  /** Positions 7-14 are a real date, not before 1850 and not after `at` when it is given. */
  readonly birthDateValid: boolean;
}

export interface PersonIdOptions {
  /** The birth date may not be later than this (e.g. the day the license was issued). */
  readonly at?: Date | string;
}

export function checkPersonId(id: unknown, options: PersonIdOptions = {}): PersonIdCheck {
  if (typeof id !== 'string' || !/^\d{17}[\dX]$/.test(id)) {
    return { valid: false, structureValid: false, checkDigitValid: false, birthDateValid: false };
  }
  const checkDigitValid = personIdCheckCharacter(id.slice(0, 17)) === id[17];
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const latest = options.at === undefined ? undefined : toChinaDate(options.at);
  const birthDateValid =
    isCalendarDate(birthDate) && birthDate >= EARLIEST_BIRTH_DATE && (latest === undefined || birthDate <= latest);
  return { valid: checkDigitValid && birthDateValid, structureValid: true, checkDigitValid, birthDateValid };
}

/** The MOD 11-2 check character for the first 17 digits (used to make demo numbers). */
export function computePersonIdCheckCharacter(first17: string): string {
  if (typeof first17 !== 'string' || !/^\d{17}$/.test(first17)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'expected the first 17 digits of a 公民身份号码');
  }
  return personIdCheckCharacter(first17);
}

function personIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}
