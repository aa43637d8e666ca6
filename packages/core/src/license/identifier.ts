/**
 * 电子证照标识 (GB/T 36904-2018):
 *   1.2.156.3005.2 . 证照类型代码 . 证照颁发机构代码 . 流水号 . 版本号 . 校验位
 * The standard's own text was not available; the part rules below are inferred from real identifiers
 * (STANDARDS-CN §3.1) and the check character is ISO/IEC 7064 MOD 37,36 (§3.2).
 */
import { ElicenseError } from '../errors.js';
import { licenseError, licenseWarning, type LicenseFinding } from './findings.js';
import { checkUscc, isUsccStructure } from './uscc.js';

export const IDENTIFIER_ROOT = '1.2.156.3005.2';

/** The names used in `ElicenseError.field` and in findings for each part of an identifier. */
export type IdentifierPart = 'identifier' | 'root' | 'typeCode' | 'issuerCode' | 'serial' | 'version' | 'checkCharacter';

export interface IdentifierParts {
  /** 证照类型代码: the defining authority's USCC followed by a 3-digit sequence. */
  readonly typeCode: string;
  /** 证照颁发机构代码: the issuer's USCC (a 6-digit division code is accepted, with a warning). */
  readonly issuerCode: string;
  /** 流水号: 1 to 32 characters of [0-9A-Z]. */
  readonly serial: string;
  /** 版本号: 1 to 999, written as 3 digits. */
  readonly version: number;
}

export interface ParsedIdentifier extends IdentifierParts {
  /** The identifier in canonical (uppercase) form. */
  readonly identifier: string;
  readonly issuerCodeKind: 'uscc' | 'division';
  readonly checkCharacter: string;
  readonly expectedCheckCharacter: string;
  readonly checkCharacterValid: boolean;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MAX_SERIAL_LENGTH = 32;
/** Longer than any well-formed identifier; stops hostile input before any splitting. */
const MAX_IDENTIFIER_LENGTH = 128;
export const MAX_VERSION = 999;
const SERIAL = new RegExp(`^[0-9A-Z]{1,${MAX_SERIAL_LENGTH}}$`);

/** ISO/IEC 7064 MOD 37,36 (hybrid system): one check character over [0-9A-Z]. Input is uppercased first. */
export function mod3736CheckCharacter(text: string): string {
  const M = 36;
  let p = M;
  for (const ch of text.toUpperCase()) {
    const value = ALPHABET.indexOf(ch);
    if (value < 0) {
      throw new ElicenseError('ERR_IDENTIFIER_INVALID', `character ${JSON.stringify(ch)} is not in [0-9A-Z]`);
    }
    const t = (p + value) % M || M;
    p = (t * 2) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M]!;
}

export function buildIdentifier(parts: IdentifierParts): string {
  const typeCode = upper(parts.typeCode, 'typeCode');
  const issuerCode = upper(parts.issuerCode, 'issuerCode');
  const serial = upper(parts.serial, 'serial');
  checkTypeCode(typeCode);
  issuerCodeKind(issuerCode);
  checkSerial(serial);
  const version = versionText(parts.version);
  const check = mod3736CheckCharacter(typeCode + issuerCode + serial + version);
  return `${IDENTIFIER_ROOT}.${typeCode}.${issuerCode}.${serial}.${version}.${check}`;
}

/**
 * Splits an identifier into its parts. Structural errors throw ERR_IDENTIFIER_INVALID with the part in
 * `field`; a wrong check character does not throw but is reported in `checkCharacterValid`.
 */
export function parseIdentifier(text: string): ParsedIdentifier {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_IDENTIFIER_LENGTH) {
    throw invalid('identifier', `an identifier is a string of 1 to ${MAX_IDENTIFIER_LENGTH} characters`);
  }
  const identifier = text.toUpperCase();
  if (!identifier.startsWith(IDENTIFIER_ROOT + '.')) throw invalid('root', `the identifier must start with ${IDENTIFIER_ROOT}.`);
  const parts = identifier.slice(IDENTIFIER_ROOT.length + 1).split('.');
  if (parts.length !== 5) {
    throw invalid('identifier', `expected 5 parts after the root (type, issuer, serial, version, check), got ${parts.length}`);
  }
  const [typeCode, issuerCode, serial, version, checkCharacter] = parts as [string, string, string, string, string];
  checkTypeCode(typeCode);
  const kind = issuerCodeKind(issuerCode);
  checkSerial(serial);
  if (!/^\d{3}$/.test(version) || version === '000') throw invalid('version', 'the version is 3 digits from 001 to 999');
  if (!/^[0-9A-Z]$/.test(checkCharacter)) throw invalid('checkCharacter', 'the check character is one of [0-9A-Z]');
  const expectedCheckCharacter = mod3736CheckCharacter(typeCode + issuerCode + serial + version);
  return {
    identifier,
    typeCode,
    issuerCode,
    issuerCodeKind: kind,
    serial,
    version: Number(version),
    checkCharacter,
    expectedCheckCharacter,
    checkCharacterValid: checkCharacter === expectedCheckCharacter,
  };
}

/** Every problem with an identifier, as findings whose `field` names the part. Never throws. */
export function validateIdentifier(text: unknown): LicenseFinding[] {
  let parsed: ParsedIdentifier;
  try {
    parsed = parseIdentifier(text as string);
  } catch (error) {
    if (error instanceof ElicenseError) return [licenseError('license.identifier', error.message, error.field)];
    throw error;
  }
  return parsedIdentifierFindings(parsed);
}

/** validateIdentifier's findings for an identifier already parsed: the check character and the codes in it. */
export function parsedIdentifierFindings(parsed: ParsedIdentifier): LicenseFinding[] {
  const findings: LicenseFinding[] = [];
  if (!parsed.checkCharacterValid) {
    findings.push(
      licenseError(
        'license.identifier',
        `check character ${parsed.checkCharacter} is wrong (expected ${parsed.expectedCheckCharacter})`,
        'checkCharacter',
      ),
    );
  }
  if (!checkUscc(parsed.typeCode.slice(0, 18)).valid) {
    findings.push(
      licenseWarning('license.identifier', 'the defining authority code in the type code fails its USCC checks', 'typeCode'),
    );
  }
  if (parsed.issuerCodeKind === 'division') {
    findings.push(
      licenseWarning('license.identifier', 'the issuer part is a 6-digit division code, not a 统一社会信用代码', 'issuerCode'),
    );
  } else if (!checkUscc(parsed.issuerCode).valid) {
    findings.push(licenseWarning('license.identifier', 'the issuer code fails its USCC checks', 'issuerCode'));
  }
  return findings;
}

export function versionText(version: number): string {
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) {
    throw invalid('version', `the version is an integer from 1 to ${MAX_VERSION}`);
  }
  return String(version).padStart(3, '0');
}

function upper(value: unknown, part: IdentifierPart): string {
  if (typeof value !== 'string') throw invalid(part, `${part} must be a string`);
  return value.toUpperCase();
}

function checkTypeCode(typeCode: string): void {
  if (!/^[0-9A-Z]{18}\d{3}$/.test(typeCode) || !isUsccStructure(typeCode.slice(0, 18))) {
    throw invalid('typeCode', 'the type code is the defining authority USCC (18) followed by 3 digits');
  }
}

function issuerCodeKind(issuerCode: string): 'uscc' | 'division' {
  if (isUsccStructure(issuerCode)) return 'uscc';
  // One real 不动产 platform puts a GB/T 2260 division code here (STANDARDS-CN §3.1).
  if (/^[1-9]\d{5}$/.test(issuerCode)) return 'division';
  throw invalid('issuerCode', 'the issuer code is an 18-character 统一社会信用代码 (or a 6-digit division code)');
}

function checkSerial(serial: string): void {
  if (!SERIAL.test(serial)) {
    throw invalid('serial', `the serial is 1 to ${MAX_SERIAL_LENGTH} characters of [0-9A-Z]`);
  }
}

function invalid(part: IdentifierPart, message: string): ElicenseError {
  return new ElicenseError('ERR_IDENTIFIER_INVALID', message, { field: part });
}
