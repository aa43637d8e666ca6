/**
 * Reads an X.509 certificate into plain data. The envelope is walked as strict DER so the TBS bytes are
 * the ones received (signatures are verified over them, never over a re-encoding). The extensions that
 * path validation relies on are read here too, strictly and without the ASN.1 library's BER leniency
 * (and at a fraction of its cost, since every x5c certificate received passes through). Any malformed
 * input is ERR_CERT_INVALID.
 */
import { byteKey, equalBytes, toHex } from '../bytes.js';
import { OID, type KeyType, type SignatureAlgorithm } from '../crypto/algorithms.js';
import { parsePem } from '../crypto/pem.js';
import { ElicenseError } from '../errors.js';
import { assertSingleDerValue, children, content, decodeOid, DerError, slice, type Tlv } from './der.js';
import { NAME_OID, readName, sameName, usccFromOrganizationIdentifier, type NameAttribute } from './names.js';
import {
  rawSignatureValue,
  signatureAlgorithmFromIdentifier,
  type UnsupportedAlgorithm,
} from './x509-algorithm.js';

export const MAX_CERTIFICATE_BYTES = 64 * 1024;

export const EXTENSION_OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
} as const;

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

export interface BasicConstraintsInfo {
  readonly ca: boolean;
  readonly pathLen?: number;
}

export interface CertificateInfo {
  /** The certificate as received (a private copy). */
  readonly der: Uint8Array;
  /** The TBSCertificate TLV exactly as received: what the issuer's signature covers. */
  readonly tbs: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: number;
  /** Lowercase hex of the serial number's magnitude, without leading zero bytes. */
  readonly serialNumber: string;
  /** RFC 4514 form, e.g. `CN=电子证照签发,organizationIdentifier=NTRCN-11220000013544541J,O=吉林省住房和城乡建设厅,C=CN`. */
  readonly subject: string;
  readonly issuer: string;
  /** Subject attributes in encoding order (C first for most certificates). */
  readonly subjectRdns: readonly NameAttribute[];
  readonly issuerRdns: readonly NameAttribute[];
  /** DER Names, as received: compared when building paths and matching CRLs. */
  readonly subjectDer: Uint8Array;
  readonly issuerDer: Uint8Array;
  /** First O attribute of the subject. */
  readonly organizationName?: string;
  /** 统一社会信用代码 from the subject organizationIdentifier (`NTRCN-<code>` or a bare code). */
  readonly organizationCode?: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER SubjectPublicKeyInfo, as received. */
  readonly publicKey: Uint8Array;
  readonly keyType: KeyType | 'unsupported';
  readonly signatureAlgorithm: SignatureAlgorithm | UnsupportedAlgorithm;
  /**
   * JOSE form (raw r‖s for ECDSA and SM2); the bytes as found for unsupported algorithms; empty when an
   * ECDSA or SM2 value is not a DER SEQUENCE { r, s } of 32-byte integers (it then never verifies).
   */
  readonly signature: Uint8Array;
  readonly basicConstraints?: BasicConstraintsInfo;
  readonly keyUsage?: readonly KeyUsageName[];
  /** Key purpose OIDs. */
  readonly extKeyUsage?: readonly string[];
  /** Lowercase hex. */
  readonly subjectKeyIdentifier?: string;
  /** Lowercase hex of the keyIdentifier field. */
  readonly authorityKeyIdentifier?: string;
  /** URIs of the CRL distribution points. */
  readonly crlDistributionPoints: readonly string[];
  /** OIDs of every extension, and of those marked critical (validation rejects critical ones it does not know). */
  readonly extensions: readonly string[];
  readonly criticalExtensions: readonly string[];
  /** Subject and issuer names match (a root, or a CA's re-key certificate). */
  readonly selfIssued: boolean;
}

function fail(message: string, cause?: unknown): never {
  throw new ElicenseError('ERR_CERT_INVALID', `certificate: ${message}`, cause === undefined ? {} : { cause });
}

/** Lowercase hex of an INTEGER's magnitude: `00` sign padding and leading zeros dropped. */
export function integerHex(body: Uint8Array): string {
  let start = 0;
  while (start < body.length - 1 && body[start] === 0) start++;
  return toHex(body.subarray(start));
}

/** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ), the only forms RFC 5280 allows. */
export function parseTime(bytes: Uint8Array, tlv: Tlv): Date {
  const length = tlv.end - tlv.contentStart;
  const yearDigits = tlv.tag === 0x17 && length === 13 ? 2 : tlv.tag === 0x18 && length === 15 ? 4 : 0;
  if (yearDigits === 0 || bytes[tlv.end - 1] !== 0x5a /* Z */) {
    throw new DerError('time must be UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ');
  }
  let at = tlv.contentStart;
  const number = (digits: number): number => {
    let n = 0;
    for (const end = at + digits; at < end; at++) {
      const d = bytes[at]! - 0x30;
      if (d < 0 || d > 9) throw new DerError('malformed time');
      n = n * 10 + d;
    }
    return n;
  };
  const yy = number(yearDigits);
  const year = yearDigits === 4 ? yy : yy < 50 ? 2000 + yy : 1900 + yy;
  const [month, day, hour, minute, second] = [number(2), number(2), number(2), number(2), number(2)];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls over out-of-range fields (month 13, second 60); a round trip catches them.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute
  ) {
    throw new DerError('time out of range');
  }
  if (second > 59) throw new DerError('time out of range');
  return date;
}

/** `[tbs, signatureAlgorithm, signatureValue]` of a signed structure (certificate or CRL), strictly. */
export function signedEnvelope(der: Uint8Array): { tbs: Tlv; algorithm: Tlv; signatureBits: Uint8Array } {
  const top = assertSingleDerValue(der);
  const parts = top.tag === 0x30 ? children(der, top) : [];
  const [tbs, algorithm, value] = parts;
  if (parts.length !== 3 || tbs?.tag !== 0x30 || algorithm?.tag !== 0x30 || value?.tag !== 0x03) {
    throw new DerError('expected SEQUENCE { tbs, signatureAlgorithm, BIT STRING }');
  }
  const bits = content(der, value);
  if (bits.length < 2 || bits[0] !== 0) throw new DerError('signature BIT STRING must be whole bytes');
  return { tbs, algorithm, signatureBits: bits.subarray(1) };
}

export interface ParsedExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(EXTENSION_OID));

/** A SEQUENCE OF Extension; duplicates and malformed values are refused (RFC 5280 §4.2). */
export function parseExtensions(bytes: Uint8Array, list: Tlv): ParsedExtension[] {
  if (list.tag !== 0x30) throw new DerError('extensions: expected SEQUENCE');
  const out: ParsedExtension[] = [];
  for (const ext of children(bytes, list)) {
    const parts = ext.tag === 0x30 ? children(bytes, ext) : [];
    const [oidTlv, second, third] = parts;
    if (oidTlv?.tag !== 0x06 || !second) throw new DerError('extension: expected SEQUENCE { OID, [BOOLEAN,] OCTET STRING }');
    let critical = false;
    let valueTlv = second;
    if (second.tag === 0x01) {
      const flag = content(bytes, second);
      if (flag.length !== 1 || (flag[0] !== 0 && flag[0] !== 0xff)) throw new DerError('extension: bad BOOLEAN');
      critical = flag[0] === 0xff;
      if (!third) throw new DerError('extension: missing value');
      valueTlv = third;
    }
    if (valueTlv.tag !== 0x04 || parts.length !== (valueTlv === second ? 2 : 3)) {
      throw new DerError('extension: expected OCTET STRING value');
    }
    const oid = decodeOid(content(bytes, oidTlv));
    if (out.some((e) => e.oid === oid)) throw new DerError(`extension ${oid} appears twice`);
    const value = content(bytes, valueTlv);
    // Extensions eLicense reads, and critical ones, must hold one DER value. A non-critical extension it
    // does not know is ignored as RFC 5280 §4.2 says, even when a CA put raw text in it (real Chinese CA
    // certificates do: 1.2.5.29.1 holding the organisation code).
    if (critical || KNOWN_EXTENSIONS.has(oid)) assertSingleDerValue(value);
    out.push({ oid, critical, value });
  }
  return out;
}

/** The single DER value an extension carries, which must have the expected tag. */
function extensionValue(value: Uint8Array, tag: number, what: string): Tlv {
  const tlv = assertSingleDerValue(value);
  if (tlv.tag !== tag) throw new DerError(`${what}: unexpected ASN.1 type`);
  return tlv;
}

function keyUsageNames(value: Uint8Array): KeyUsageName[] {
  const body = content(value, extensionValue(value, 0x03, 'keyUsage'));
  if (body.length === 0 || body[0]! > 7 || (body.length === 1 && body[0] !== 0)) throw new DerError('keyUsage: bad BIT STRING');
  const names: KeyUsageName[] = [];
  KEY_USAGES.forEach((name, bit) => {
    const byte = body[1 + (bit >> 3)];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) names.push(name);
  });
  return names;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
function basicConstraints(value: Uint8Array): BasicConstraintsInfo {
  const fields = children(value, extensionValue(value, 0x30, 'basicConstraints'));
  let ca = false;
  let next = fields.shift();
  if (next?.tag === 0x01) {
    const flag = content(value, next);
    if (flag.length !== 1 || (flag[0] !== 0 && flag[0] !== 0xff)) throw new DerError('basicConstraints: bad BOOLEAN');
    ca = flag[0] === 0xff;
    next = fields.shift();
  }
  let pathLen: number | undefined;
  if (next?.tag === 0x02) {
    const body = content(value, next);
    if (body.length === 0 || body.length > 4 || body[0]! & 0x80) throw new DerError('basicConstraints: bad pathLenConstraint');
    pathLen = body.reduce((n, b) => n * 256 + b, 0);
    next = fields.shift();
  }
  if (next) throw new DerError('basicConstraints: unexpected field');
  return ca && pathLen !== undefined ? { ca, pathLen } : { ca };
}

/** ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
function extKeyUsage(value: Uint8Array): string[] {
  return children(value, extensionValue(value, 0x30, 'extKeyUsage')).map((purpose) => {
    if (purpose.tag !== 0x06) throw new DerError('extKeyUsage: expected OBJECT IDENTIFIER');
    return decodeOid(content(value, purpose));
  });
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, ... } */
export function readAuthorityKeyIdentifier(value: Uint8Array): string | undefined {
  const fields = children(value, extensionValue(value, 0x30, 'authorityKeyIdentifier'));
  const keyId = fields.find((f) => f.tag === 0x80);
  return keyId ? toHex(content(value, keyId)) : undefined;
}

/**
 * CRLDistributionPoints ::= SEQUENCE OF DistributionPoint; DistributionPoint ::= SEQUENCE {
 * distributionPoint [0] { fullName [0] GeneralNames | ... } OPTIONAL, ... }. Only URIs ([6]) are kept.
 */
function crlDistributionPoints(value: Uint8Array): string[] {
  const uris: string[] = [];
  for (const point of children(value, extensionValue(value, 0x30, 'crlDistributionPoints'))) {
    if (point.tag !== 0x30) throw new DerError('crlDistributionPoints: expected SEQUENCE');
    const name = children(value, point).find((f) => f.tag === 0xa0);
    const fullName = name ? children(value, name).find((f) => f.tag === 0xa0) : undefined;
    for (const general of fullName ? children(value, fullName) : []) {
      if (general.tag === 0x86) uris.push(String.fromCharCode(...content(value, general)));
    }
  }
  return uris;
}

interface DecodedExtensions {
  basicConstraints?: BasicConstraintsInfo;
  keyUsage?: KeyUsageName[];
  extKeyUsage?: string[];
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
  crlDistributionPoints: string[];
}

/** Strict DER readers for the extensions path validation relies on, run on every certificate received. */
function decodeExtensions(extensions: readonly ParsedExtension[]): DecodedExtensions {
  const out: DecodedExtensions = { crlDistributionPoints: [] };
  for (const { oid, value } of extensions) {
    switch (oid) {
      case EXTENSION_OID.basicConstraints:
        out.basicConstraints = basicConstraints(value);
        break;
      case EXTENSION_OID.keyUsage:
        out.keyUsage = keyUsageNames(value);
        break;
      case EXTENSION_OID.extKeyUsage:
        out.extKeyUsage = extKeyUsage(value);
        break;
      case EXTENSION_OID.subjectKeyIdentifier:
        out.subjectKeyIdentifier = toHex(content(value, extensionValue(value, 0x04, 'subjectKeyIdentifier')));
        break;
      case EXTENSION_OID.authorityKeyIdentifier: {
        const keyId = readAuthorityKeyIdentifier(value);
        if (keyId !== undefined) out.authorityKeyIdentifier = keyId;
        break;
      }
      case EXTENSION_OID.crlDistributionPoints:
        out.crlDistributionPoints = crlDistributionPoints(value);
        break;
    }
  }
  return out;
}

/**
 * The key family of a SubjectPublicKeyInfo, read with the DER walker rather than the ASN.1 library
 * (this runs for every certificate received). Verification parses the key fully when it uses it.
 */
function keyTypeOf(der: Uint8Array, spki: Tlv): KeyType | 'unsupported' {
  const [algorithm, bits] = children(der, spki);
  if (algorithm?.tag !== 0x30 || bits?.tag !== 0x03) throw new DerError('SubjectPublicKeyInfo: expected SEQUENCE { algorithm, BIT STRING }');
  const [oidTlv, params] = children(der, algorithm);
  if (oidTlv?.tag !== 0x06) throw new DerError('SubjectPublicKeyInfo: expected an algorithm OID');
  const oid = decodeOid(content(der, oidTlv));
  const key = content(der, bits);
  if (oid === OID.ed25519) return key.length === 33 && key[0] === 0 ? 'Ed25519' : 'unsupported';
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) return 'RSA';
  if (oid !== OID.ecPublicKey || params?.tag !== 0x06 || key.length !== 66 || key[1] !== 4) return 'unsupported';
  const curve = decodeOid(content(der, params));
  return curve === OID.p256 ? 'EC-P256' : curve === OID.sm2Curve ? 'SM2' : 'unsupported';
}

function parse(input: Uint8Array): CertificateInfo {
  const der = input.slice();
  const envelope = signedEnvelope(der);
  const tbs = slice(der, envelope.tbs);
  const fields = children(der, envelope.tbs);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === 0xa0) {
    const [inner, ...extra] = children(der, fields[0]);
    const body = inner?.tag === 0x02 ? content(der, inner) : undefined;
    if (!body || extra.length > 0 || body.length !== 1 || body[0]! > 2) throw new DerError('bad version');
    version = body[0]! + 1;
    i = 1;
  }
  const [serial, innerAlgorithm, issuerTlv, validity, subjectTlv, spki, ...optional] = fields.slice(i);
  if (
    serial?.tag !== 0x02 ||
    innerAlgorithm?.tag !== 0x30 ||
    issuerTlv?.tag !== 0x30 ||
    validity?.tag !== 0x30 ||
    subjectTlv?.tag !== 0x30 ||
    spki?.tag !== 0x30
  ) {
    throw new DerError('TBSCertificate fields out of order or missing');
  }
  const serialBody = content(der, serial);
  if (serialBody.length === 0 || serialBody.length > 64) throw new DerError('bad serial number length');
  const algorithmDer = slice(der, envelope.algorithm);
  const innerAlgorithmDer = slice(der, innerAlgorithm);
  if (!equalBytes(algorithmDer, innerAlgorithmDer)) {
    throw new DerError('signatureAlgorithm differs from TBSCertificate.signature');
  }
  const times = children(der, validity);
  if (times.length !== 2) throw new DerError('validity: expected two times');
  const notBefore = parseTime(der, times[0]!);
  const notAfter = parseTime(der, times[1]!);

  let extensions: ParsedExtension[] = [];
  let lastTag = 0;
  for (const field of optional) {
    // issuerUniqueID [1], subjectUniqueID [2] (primitive BIT STRINGs), extensions [3], in that order.
    if (field.tag <= lastTag || ![0x81, 0x82, 0xa3].includes(field.tag)) {
      throw new DerError('unexpected field after subjectPublicKeyInfo');
    }
    lastTag = field.tag;
    if (field.tag === 0xa3) {
      if (version !== 3) throw new DerError('extensions in a certificate that is not version 3');
      const [list, ...extra] = children(der, field);
      if (!list || extra.length > 0) throw new DerError('extensions: bad [3] wrapper');
      extensions = parseExtensions(der, list);
    }
  }
  const decoded = decodeExtensions(extensions);

  const subjectDer = slice(der, subjectTlv);
  const issuerDer = slice(der, issuerTlv);
  const subject = readName(subjectDer);
  const issuer = readName(issuerDer);
  const subjectRdns = subject.rdns.flat();
  const orgName = subjectRdns.find((a) => a.type === NAME_OID.organizationName)?.value;
  const orgIdentifier = subjectRdns.find((a) => a.type === NAME_OID.organizationIdentifier)?.value;
  const organizationCode = orgIdentifier === undefined ? undefined : usccFromOrganizationIdentifier(orgIdentifier);
  const signatureAlgorithm = signatureAlgorithmFromIdentifier(algorithmDer);
  const publicKey = slice(der, spki);

  return {
    der,
    tbs,
    version,
    serialNumber: integerHex(serialBody),
    subject: subject.text,
    issuer: issuer.text,
    subjectRdns,
    issuerRdns: issuer.rdns.flat(),
    subjectDer,
    issuerDer,
    ...(orgName === undefined ? {} : { organizationName: orgName }),
    ...(organizationCode === undefined ? {} : { organizationCode }),
    notBefore,
    notAfter,
    publicKey,
    keyType: keyTypeOf(der, spki),
    signatureAlgorithm,
    signature: rawSignatureValue(signatureAlgorithm, envelope.signatureBits),
    ...(decoded.basicConstraints ? { basicConstraints: decoded.basicConstraints } : {}),
    ...(decoded.keyUsage ? { keyUsage: decoded.keyUsage } : {}),
    ...(decoded.extKeyUsage ? { extKeyUsage: decoded.extKeyUsage } : {}),
    ...(decoded.subjectKeyIdentifier === undefined ? {} : { subjectKeyIdentifier: decoded.subjectKeyIdentifier }),
    ...(decoded.authorityKeyIdentifier === undefined ? {} : { authorityKeyIdentifier: decoded.authorityKeyIdentifier }),
    crlDistributionPoints: decoded.crlDistributionPoints,
    extensions: extensions.map((e) => e.oid),
    criticalExtensions: extensions.filter((e) => e.critical).map((e) => e.oid),
    selfIssued: sameName(subjectDer, issuerDer),
  };
}

/** Parses a DER certificate. Throws ERR_INPUT_TOO_LARGE above 64 KiB and ERR_CERT_INVALID on anything malformed. */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  if (!(der instanceof Uint8Array)) throw new ElicenseError('ERR_INVALID_INPUT', 'certificate must be a Uint8Array');
  if (der.length > MAX_CERTIFICATE_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `certificate is ${der.length} bytes; the limit is ${MAX_CERTIFICATE_BYTES}`);
  }
  try {
    return parse(der);
  } catch (cause) {
    if (cause instanceof ElicenseError && cause.code === 'ERR_CERT_INVALID') throw cause;
    fail(cause instanceof DerError ? cause.message : 'malformed DER', cause);
  }
}

/** The first CERTIFICATE block of a PEM text. */
export function certificateFromPem(pem: string): CertificateInfo {
  const [first] = certificatesFromPem(pem);
  if (!first) throw new ElicenseError('ERR_INVALID_INPUT', 'no PEM block labelled CERTIFICATE');
  return first;
}

/** Every CERTIFICATE block of a PEM text, in order (other blocks are ignored). */
export function certificatesFromPem(pem: string): CertificateInfo[] {
  return parsePem(pem)
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => parseCertificate(block.der));
}

const parsed = new WeakMap<Uint8Array, CertificateInfo>();
/**
 * The same certificates by content: each signed PDF or CMS brings its chain as new bytes, and the
 * verifier's caches (imported keys, checked signatures) key on the parsed certificate. Bounded.
 */
const parsedByContent = new Map<string, CertificateInfo>();
const MAX_PARSED_BY_CONTENT = 1024;
const MAX_CONTENT_KEY_BYTES = 16 * 1024;


/** parseCertificate, memoised per buffer and by content: trust anchors and chains are parsed once, not per validation. */
export function parseCertificateCached(der: Uint8Array | CertificateInfo): CertificateInfo {
  if (!(der instanceof Uint8Array)) return der;
  let info = parsed.get(der);
  if (info) return info;
  const key = der.length <= MAX_CONTENT_KEY_BYTES ? byteKey(der) : undefined;
  info = key === undefined ? undefined : parsedByContent.get(key);
  if (!info) {
    info = parseCertificate(der);
    if (key !== undefined) {
      if (parsedByContent.size >= MAX_PARSED_BY_CONTENT) parsedByContent.clear();
      parsedByContent.set(key, info);
    }
  }
  parsed.set(der, info);
  return info;
}
