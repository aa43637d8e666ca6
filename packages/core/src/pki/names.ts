/**
 * Distinguished names: reading them from DER into readable RFC 4514-style strings (Chinese UTF8String
 * values kept as they are), comparing them the way RFC 5280 §7.1 asks, and writing them.
 */
import { concatBytes, equalBytes, toHex, utf8 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { children, content, decodeOid, DerError, encodeOid, encodeTlv, readTlv, slice, type Tlv } from './der.js';

export const NAME_OID = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  stateOrProvince: '2.5.4.8',
  street: '2.5.4.9',
  organizationName: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
  organizationIdentifier: '2.5.4.97',
  emailAddress: '1.2.840.113549.1.9.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
  userId: '0.9.2342.19200300.100.1.1',
} as const;

const SHORT_NAMES: Readonly<Record<string, string>> = {
  [NAME_OID.commonName]: 'CN',
  [NAME_OID.surname]: 'SN',
  [NAME_OID.serialNumber]: 'serialNumber',
  [NAME_OID.country]: 'C',
  [NAME_OID.locality]: 'L',
  [NAME_OID.stateOrProvince]: 'ST',
  [NAME_OID.street]: 'STREET',
  [NAME_OID.organizationName]: 'O',
  [NAME_OID.organizationalUnit]: 'OU',
  [NAME_OID.title]: 'title',
  [NAME_OID.givenName]: 'GN',
  [NAME_OID.organizationIdentifier]: 'organizationIdentifier',
  [NAME_OID.emailAddress]: 'emailAddress',
  [NAME_OID.domainComponent]: 'DC',
  [NAME_OID.userId]: 'UID',
};

export interface NameAttribute {
  /** Attribute type OID, e.g. `2.5.4.10`. */
  readonly type: string;
  /** `O`, `CN`, `organizationIdentifier`…; the dotted OID for types without a short name. */
  readonly shortName: string;
  /** The string value; `#` and the DER hex for values that are not strings (RFC 4514 §2.4). */
  readonly value: string;
}

export interface ParsedName {
  /** RDNs in encoding order, each a set of one or more attributes. */
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** RFC 4514 form: last RDN first, `,` between RDNs, `+` inside a multi-valued RDN. */
  readonly text: string;
  /** Per attribute, as `rdns`: true for string values (compared case-insensitively), false for `#hex`. */
  readonly isString: readonly (readonly boolean[])[];
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true });
const LATIN1 = new TextDecoder('latin1');

function lenientText(body: Uint8Array): string {
  try {
    return UTF8_STRICT.decode(body);
  } catch {
    return LATIN1.decode(body);
  }
}

function decodeString(tag: number, body: Uint8Array): string | undefined {
  switch (tag) {
    case 0x0c: // UTF8String
      return UTF8_STRICT.decode(body);
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x16: // IA5String
      // Some CAs put UTF-8 Chinese into these ASCII types (an IA5String emailAddress of 电子邮箱 in a
      // real Yunnan CA certificate). Signatures cover the bytes, not this text; show what was meant.
      for (const b of body) if (b > 0x7f) return lenientText(body);
      return LATIN1.decode(body);
    case 0x14: // TeletexString: in practice Latin-1
      return LATIN1.decode(body);
    case 0x1e: // BMPString
      if (body.length % 2 !== 0) throw new DerError('odd BMPString length');
      return UTF16BE.decode(body);
    case 0x1c: {
      // UniversalString (UTF-32BE)
      if (body.length % 4 !== 0) throw new DerError('bad UniversalString length');
      let out = '';
      for (let i = 0; i < body.length; i += 4) {
        const cp = ((body[i]! << 24) | (body[i + 1]! << 16) | (body[i + 2]! << 8) | body[i + 3]!) >>> 0;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new DerError('bad UniversalString character');
        out += String.fromCodePoint(cp);
      }
      return out;
    }
    default:
      return undefined;
  }
}

function escapeValue(value: string): string {
  let out = value.replace(/[\\,+"<>;]/g, (c) => `\\${c}`).replaceAll('\u0000', '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Normalised attribute values: path building compares the same few CA names again and again. Bounded. */
const normalised = new Map<string, string>();
const MAX_NORMALISED = 4096;

function normalise(value: string): string {
  const known = normalised.get(value);
  if (known !== undefined) return known;
  // NFKC only matters beyond ASCII; most names in certificates are ASCII or unchanged by it.
  const folded = /^[\x20-\x7e]*$/.test(value) ? value : value.normalize('NFKC');
  const result = folded.trim().replace(/\s+/g, ' ').toLowerCase();
  if (normalised.size >= MAX_NORMALISED) normalised.clear();
  normalised.set(value, result);
  return result;
}

/** Reads a DER Name (the TLV at `tlv` in `bytes`); throws DerError on anything malformed. */
function parseName(bytes: Uint8Array, tlv: Tlv): ParsedName {
  if (tlv.tag !== 0x30) throw new DerError('Name: expected SEQUENCE');
  const rdns: NameAttribute[][] = [];
  const isString: boolean[][] = [];
  const shown: string[] = [];
  for (const set of children(bytes, tlv)) {
    if (set.tag !== 0x31) throw new DerError('RDN: expected SET');
    const atvs = children(bytes, set);
    if (atvs.length === 0) throw new DerError('RDN: empty SET');
    const rdn: NameAttribute[] = [];
    const strings: boolean[] = [];
    const parts: string[] = [];
    for (const atv of atvs) {
      const [typeTlv, valueTlv, ...rest] = atv.tag === 0x30 ? children(bytes, atv) : [];
      if (!typeTlv || !valueTlv || rest.length > 0 || typeTlv.tag !== 0x06) {
        throw new DerError('AttributeTypeAndValue: expected SEQUENCE { OID, value }');
      }
      const type = decodeOid(content(bytes, typeTlv));
      const text = decodeString(valueTlv.tag, content(bytes, valueTlv));
      const shortName = SHORT_NAMES[type] ?? type;
      const value = text ?? `#${toHex(slice(bytes, valueTlv))}`;
      rdn.push({ type, shortName, value });
      strings.push(text !== undefined);
      parts.push(`${shortName}=${text === undefined ? value : escapeValue(text)}`);
    }
    rdns.push(rdn);
    isString.push(strings);
    shown.push(parts.join('+'));
  }
  return { rdns, text: shown.reverse().join(','), isString };
}

const parsedNames = new WeakMap<Uint8Array, ParsedName>();
const nameKeys = new WeakMap<Uint8Array, string>();

/** Reads `der`, exactly one DER Name; memoised per buffer, so `sameName` on certificate names is cheap. */
export function readName(der: Uint8Array): ParsedName {
  let name = parsedNames.get(der);
  if (!name) {
    const top = readTlv(der, 0);
    if (top.end !== der.length) throw new DerError('Name: trailing bytes');
    name = parseName(der, top);
    parsedNames.set(der, name);
  }
  return name;
}

/** RFC 5280 §7.1 comparison key: attribute types, and string values case-folded with spaces collapsed. */
function nameKey(der: Uint8Array): string {
  let key = nameKeys.get(der);
  if (key === undefined) {
    const name = readName(der);
    const rdns = name.rdns.map((rdn, i) =>
      rdn.map((a, j) => JSON.stringify([a.type, name.isString[i]![j] ? normalise(a.value) : a.value])).sort(),
    );
    key = JSON.stringify(rdns);
    nameKeys.set(der, key);
  }
  return key;
}

function sameValue(a: string, b: string, bothStrings: boolean): boolean {
  return a === b || (bothStrings && normalise(a) === normalise(b));
}

/** RFC 5280 §7.1: names match when equal after normalisation; identical bytes always match. */
export function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (equalBytes(a, b)) return true;
  const [left, right] = [readName(a), readName(b)];
  if (left.rdns.length !== right.rdns.length) return false;
  let multiValued = false;
  for (let i = 0; i < left.rdns.length; i++) {
    const [l, r] = [left.rdns[i]!, right.rdns[i]!];
    if (l.length !== r.length) return false;
    if (l.length > 1) {
      multiValued = true;
      continue;
    }
    // Single-valued RDNs compare attribute by attribute, so most mismatches cost no normalisation.
    const bothStrings = left.isString[i]![0]! && right.isString[i]![0]!;
    if (l[0]!.type !== r[0]!.type || !sameValue(l[0]!.value, r[0]!.value, bothStrings)) return false;
  }
  // A multi-valued RDN is a SET: compare order-independently through the normalised key.
  return !multiValued || nameKey(a) === nameKey(b);
}

/** What a certificate subject says about its holder; the fields this project's certificates use. */
export interface SubjectName {
  readonly commonName: string;
  readonly organizationName?: string;
  /** 统一社会信用代码 (18 characters); written as organizationIdentifier `NTRCN-<code>`. */
  readonly organizationCode?: string;
  /** ISO 3166 two-letter code; `CN` when absent. */
  readonly country?: string;
}

const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

function isUsccFormat(code: string): boolean {
  return USCC.test(code);
}

function attribute(oid: string, stringTag: number, value: string): Uint8Array {
  return encodeTlv(0x31, encodeTlv(0x30, concatBytes(encodeOid(oid), encodeTlv(stringTag, utf8(value)))));
}

/** DER Name in the order C, O, organizationIdentifier, CN; strings as UTF8String, C as PrintableString. */
export function encodeSubjectName(subject: SubjectName): Uint8Array {
  const country = subject.country ?? 'CN';
  if (!/^[A-Z]{2}$/.test(country)) {
    throw new ElicenseError('ERR_INVALID_INPUT', `country must be two capital letters, got "${country}"`);
  }
  if (subject.commonName.length === 0) throw new ElicenseError('ERR_INVALID_INPUT', 'commonName must not be empty');
  if (subject.organizationCode !== undefined && !isUsccFormat(subject.organizationCode)) {
    throw new ElicenseError('ERR_INVALID_INPUT', `organizationCode "${subject.organizationCode}" is not an 18-character 统一社会信用代码`);
  }
  const rdns = [attribute(NAME_OID.country, 0x13, country)];
  if (subject.organizationName !== undefined) rdns.push(attribute(NAME_OID.organizationName, 0x0c, subject.organizationName));
  if (subject.organizationCode !== undefined) {
    rdns.push(attribute(NAME_OID.organizationIdentifier, 0x0c, `NTRCN-${subject.organizationCode}`));
  }
  rdns.push(attribute(NAME_OID.commonName, 0x0c, subject.commonName));
  return encodeTlv(0x30, concatBytes(...rdns));
}

/** The 统一社会信用代码 in an organizationIdentifier value: `NTRCN-<code>` (ETSI EN 319 412-1) or bare. */
export function usccFromOrganizationIdentifier(value: string): string | undefined {
  const code = value.startsWith('NTRCN-') ? value.slice(6) : value;
  return isUsccFormat(code) ? code : undefined;
}
