/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set, a mod-31 check character at
 * position 18, and the 9-character 组织机构代码 (GB 11714) with its own check character at positions 9-17.
 * Early pilot codes are legal yet fail the checks (STANDARDS-CN §3.3), so the checks are reported as data
 * and callers decide: structure errors reject, check failures warn.
 */
import { ElicenseError } from '../errors.js';

/** I, O, S, V and Z are left out so they cannot be confused with 1, 0, 5, U and 2. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** W_i = 3^(i-1) mod 31. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORGANIZATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
/** GB 11714 values letters by their place in the full Latin alphabet (A = 10 … Z = 35). */
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Positions 3-8 are a GB/T 2260 division code, always digits. */
const USCC_STRUCTURE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export interface UsccCheck {
  /** All of the checks below pass. */
  readonly valid: boolean;
  /** 18 characters of the GB 32100 character set, digits where the division code goes. */
  readonly structureValid: boolean;
  /** Position 18 matches the mod-31 check. */
  readonly checkDigitValid: boolean;
  /** Position 17 is the GB 11714 check character of positions 9-16. */
  readonly organizationCodeCheckValid: boolean;
}

export function isUsccStructure(code: unknown): code is string {
  return typeof code === 'string' && USCC_STRUCTURE.test(code);
}

/** Input is compared as given: a lowercase code is not in GB 32100 form. */
export function checkUscc(code: unknown): UsccCheck {
  if (!isUsccStructure(code)) {
    return { valid: false, structureValid: false, checkDigitValid: false, organizationCodeCheckValid: false };
  }
  const checkDigitValid = usccCheckCharacter(code.slice(0, 17)) === code[17];
  const organizationCodeCheckValid = organizationCodeCheckCharacter(code.slice(8, 16)) === code[16];
  return {
    valid: checkDigitValid && organizationCodeCheckValid,
    structureValid: true,
    checkDigitValid,
    organizationCodeCheckValid,
  };
}

/** The mod-31 check character for the first 17 characters of a code (used to make demo codes). */
export function computeUsccCheckCharacter(first17: string): string {
  if (typeof first17 !== 'string' || !USCC_STRUCTURE.test(first17 + '0')) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'expected the first 17 characters of a 统一社会信用代码');
  }
  return usccCheckCharacter(first17);
}

/** The GB 11714 check character for the 8-character body of a 组织机构代码. */
export function computeOrganizationCodeCheckCharacter(first8: string): string {
  if (typeof first8 !== 'string' || !/^[0-9A-Z]{8}$/.test(first8)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'expected the first 8 characters of a 组织机构代码');
  }
  return organizationCodeCheckCharacter(first8);
}

function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  // 31 - (sum mod 31), where 31 itself is written 0.
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

function organizationCodeCheckCharacter(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += ALPHANUMERIC.indexOf(first8[i]!) * ORGANIZATION_CODE_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
