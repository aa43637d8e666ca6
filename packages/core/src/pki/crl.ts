/**
 * Certificate revocation lists: making them (v2, with authority key identifier and CRL number), reading
 * them, and answering "was this certificate revoked at `at`?" from the CRLs a caller holds. Only CRLs
 * from the certificate's issuer, signed by the issuer's key and not past their nextUpdate, can say
 * "good": anything less is `unknown`, never good (fail closed).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, KeyIdentifier, Time } from '@peculiar/asn1-x509';
import { bufferSource, concatBytes, equalBytes, fromHex, toHex } from '../bytes.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import type { SigningKey } from '../crypto/signer.js';
import { ElicenseError } from '../errors.js';
import {
  EXTENSION_OID,
  integerHex,
  parseExtensions,
  parseTime,
  readAuthorityKeyIdentifier,
  signedEnvelope,
  type CertificateInfo,
  type ParsedExtension,
} from './certificate.js';
import {
  assertSingleDerValue,
  children,
  content,
  DerError,
  encodeOid,
  encodeTlv,
  encodeUnsignedInteger,
  slice,
  type Tlv,
} from './der.js';
import { verifyIssuedBy } from './issued-by.js';
import { issuerCertificateFor, signTbs } from './signed-structure.js';
import { readName, sameName } from './names.js';
import {
  algorithmIdentifierDer,
  rawSignatureValue,
  signatureAlgorithmFromIdentifier,
  type UnsupportedAlgorithm,
} from './x509-algorithm.js';

export const MAX_CRL_BYTES = 10 * 1024 * 1024;

/** RFC 5280 §5.3.1 CRLReason names; code 7 is unused. */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  undefined,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type RevocationReason = Exclude<(typeof REVOCATION_REASONS)[number], undefined>;

export interface RevokedCertificateEntry {
  /** Lowercase hex of the serial number's magnitude, as in CertificateInfo. */
  readonly serialNumber: string;
  readonly revocationDate: Date;
  readonly reason?: RevocationReason;
  /** OIDs of critical entry extensions (a CRL with critical ones this module does not know is not used). */
  readonly criticalExtensions: readonly string[];
}

export interface CertificateListInfo {
  readonly der: Uint8Array;
  /** TBSCertList exactly as received. */
  readonly tbs: Uint8Array;
  /** 1 or 2. */
  readonly version: number;
  readonly issuer: string;
  readonly issuerDer: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm | UnsupportedAlgorithm;
  /** JOSE form, as in CertificateInfo. */
  readonly signature: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  /** Decimal. */
  readonly crlNumber?: string;
  /** Lowercase hex. */
  readonly authorityKeyIdentifier?: string;
  readonly revoked: readonly RevokedCertificateEntry[];
  readonly criticalExtensions: readonly string[];
}

export interface RevokedCertificateSpec {
  /** Hex, as CertificateInfo.serialNumber gives it. */
  readonly serialNumber: string;
  readonly revocationDate: Date;
  readonly reason?: RevocationReason;
}

export interface CreateCrlOptions {
  readonly issuerCertificate: Uint8Array | CertificateInfo;
  readonly issuerKey: SigningKey;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked: readonly RevokedCertificateSpec[];
  readonly crlNumber: number | bigint;
}

function bigintBytes(value: bigint): Uint8Array {
  const hex = value.toString(16);
  return fromHex(hex.length % 2 === 1 ? `0${hex}` : hex);
}

function extension(oid: string, value: Uint8Array): Uint8Array {
  return encodeTlv(0x30, concatBytes(encodeOid(oid), encodeTlv(0x04, value)));
}

function time(date: Date, what: string): Uint8Array {
  if (!(date instanceof Date) || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1950 || date.getUTCFullYear() > 9999) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${what} must be a valid Date in the years 1950 to 9999`);
  }
  return new Uint8Array(AsnConvert.serialize(new Time(date)));
}

function normaliseSerial(hex: string): string {
  const bytes = fromHex(hex.length % 2 === 1 ? `0${hex}` : hex);
  if (bytes.length === 0) throw new ElicenseError('ERR_INVALID_INPUT', 'empty serial number');
  return integerHex(bytes);
}

/** A DER v2 CRL signed by `issuerKey`, which must be the key of the CA certificate `issuerCertificate`. */
export async function createCrl(options: CreateCrlOptions): Promise<Uint8Array> {
  const { issuerKey } = options;
  const issuer = issuerCertificateFor(options.issuerCertificate, issuerKey);
  const thisUpdate = time(options.thisUpdate, 'thisUpdate');
  const nextUpdate = time(options.nextUpdate, 'nextUpdate');
  if (options.nextUpdate.getTime() <= options.thisUpdate.getTime()) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'nextUpdate must be later than thisUpdate');
  }
  const crlNumber = typeof options.crlNumber === 'bigint' || Number.isSafeInteger(options.crlNumber) ? BigInt(options.crlNumber) : -1n;
  if (crlNumber < 0n || crlNumber >= 1n << 159n) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'crlNumber must be a non-negative integer of at most 20 bytes');
  }
  if (!issuer.subjectKeyIdentifier) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${issuer.subject} has no subject key identifier to name in the CRL`);
  }

  const entries = options.revoked.map((entry) => {
    const serial = encodeUnsignedInteger(fromHex(normaliseSerial(entry.serialNumber)));
    const reasonCode = entry.reason === undefined ? 0 : REVOCATION_REASONS.indexOf(entry.reason);
    if (reasonCode < 0) throw new ElicenseError('ERR_INVALID_INPUT', `unknown revocation reason "${entry.reason}"`);
    const reason =
      entry.reason === undefined
        ? new Uint8Array(0)
        : encodeTlv(0x30, extension(EXTENSION_OID.crlReason, encodeTlv(0x0a, Uint8Array.of(reasonCode))));
    return encodeTlv(0x30, concatBytes(serial, time(entry.revocationDate, 'revocationDate'), reason));
  });
  const aki = new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(bufferSource(fromHex(issuer.subjectKeyIdentifier))) });
  const crlExtensions = encodeTlv(
    0xa0,
    encodeTlv(
      0x30,
      concatBytes(
        extension(EXTENSION_OID.authorityKeyIdentifier, new Uint8Array(AsnConvert.serialize(aki))),
        extension(EXTENSION_OID.crlNumber, encodeUnsignedInteger(bigintBytes(crlNumber))),
      ),
    ),
  );
  const algorithm = algorithmIdentifierDer(issuerKey.alg);
  const tbs = encodeTlv(
    0x30,
    concatBytes(
      encodeUnsignedInteger(Uint8Array.of(1)),
      algorithm,
      issuer.subjectDer,
      thisUpdate,
      nextUpdate,
      entries.length === 0 ? new Uint8Array(0) : encodeTlv(0x30, concatBytes(...entries)),
      crlExtensions,
    ),
  );
  return signTbs(issuerKey, tbs);
}

function integerValue(value: Uint8Array, what: string): Uint8Array {
  const tlv = assertSingleDerValue(value);
  if (tlv.tag !== 0x02) throw new DerError(`${what}: expected INTEGER`);
  const body = content(value, tlv);
  if (body.length === 0 || body.length > 20 || body[0]! & 0x80) throw new DerError(`${what}: bad INTEGER`);
  return body;
}

function reasonOf(value: Uint8Array): RevocationReason {
  if (value.length !== 3 || value[0] !== 0x0a || value[1] !== 1) throw new DerError('CRL reason: expected ENUMERATED');
  const reason = REVOCATION_REASONS[value[2]!];
  if (reason === undefined) throw new DerError('CRL reason: unknown code');
  return reason;
}

function parseEntry(der: Uint8Array, entry: Tlv): RevokedCertificateEntry {
  const [serial, date, extensionList, ...rest] = entry.tag === 0x30 ? children(der, entry) : [];
  if (serial?.tag !== 0x02 || !date || rest.length > 0) throw new DerError('revoked entry: expected SEQUENCE { serial, date, ... }');
  const serialBody = content(der, serial);
  if (serialBody.length === 0 || serialBody.length > 64) throw new DerError('revoked entry: bad serial number');
  const extensions: ParsedExtension[] = extensionList ? parseExtensions(der, extensionList) : [];
  const reasonExt = extensions.find((e) => e.oid === EXTENSION_OID.crlReason);
  return {
    serialNumber: integerHex(serialBody),
    revocationDate: parseTime(der, date),
    ...(reasonExt ? { reason: reasonOf(reasonExt.value) } : {}),
    criticalExtensions: extensions.filter((e) => e.critical).map((e) => e.oid),
  };
}

function parse(input: Uint8Array): CertificateListInfo {
  const der = input.slice();
  const envelope = signedEnvelope(der);
  const fields = children(der, envelope.tbs);
  let i = 0;
  let version = 1;
  if (fields[0]?.tag === 0x02) {
    const body = content(der, fields[0]);
    if (body.length !== 1 || body[0] !== 1) throw new DerError('CRL version must be v2 when present');
    version = 2;
    i = 1;
  }
  const [innerAlgorithm, issuerTlv, thisUpdateTlv, ...rest] = fields.slice(i);
  if (innerAlgorithm?.tag !== 0x30 || issuerTlv?.tag !== 0x30 || !thisUpdateTlv) {
    throw new DerError('TBSCertList fields out of order or missing');
  }
  const algorithmDer = slice(der, envelope.algorithm);
  if (!equalBytes(algorithmDer, slice(der, innerAlgorithm))) {
    throw new DerError('signatureAlgorithm differs from TBSCertList.signature');
  }
  let next = rest.shift();
  let nextUpdate: Date | undefined;
  if (next && (next.tag === 0x17 || next.tag === 0x18)) {
    nextUpdate = parseTime(der, next);
    next = rest.shift();
  }
  const revoked: RevokedCertificateEntry[] = [];
  if (next?.tag === 0x30) {
    for (const entry of children(der, next)) revoked.push(parseEntry(der, entry));
    next = rest.shift();
  }
  let extensions: ParsedExtension[] = [];
  if (next?.tag === 0xa0) {
    if (version !== 2) throw new DerError('CRL extensions in a v1 CRL');
    const [list, ...extra] = children(der, next);
    if (!list || extra.length > 0) throw new DerError('CRL extensions: bad [0] wrapper');
    extensions = parseExtensions(der, list);
    next = rest.shift();
  }
  if (next) throw new DerError('unexpected field in TBSCertList');

  const numberExt = extensions.find((e) => e.oid === EXTENSION_OID.crlNumber);
  const akiExt = extensions.find((e) => e.oid === EXTENSION_OID.authorityKeyIdentifier);
  const akiId = akiExt ? readAuthorityKeyIdentifier(akiExt.value) : undefined;
  const signatureAlgorithm = signatureAlgorithmFromIdentifier(algorithmDer);
  const issuerDer = slice(der, issuerTlv);
  return {
    der,
    tbs: slice(der, envelope.tbs),
    version,
    issuer: readName(issuerDer).text,
    issuerDer,
    signatureAlgorithm,
    signature: rawSignatureValue(signatureAlgorithm, envelope.signatureBits),
    thisUpdate: parseTime(der, thisUpdateTlv),
    ...(nextUpdate ? { nextUpdate } : {}),
    ...(numberExt ? { crlNumber: BigInt(`0x${toHex(integerValue(numberExt.value, 'CRL number'))}`).toString() } : {}),
    ...(akiId === undefined ? {} : { authorityKeyIdentifier: akiId }),
    revoked,
    criticalExtensions: extensions.filter((e) => e.critical).map((e) => e.oid),
  };
}

/** Parses a DER CRL. Throws ERR_INPUT_TOO_LARGE above 10 MiB and ERR_CRL_INVALID on anything malformed. */
export function parseCrl(der: Uint8Array): CertificateListInfo {
  if (!(der instanceof Uint8Array)) throw new ElicenseError('ERR_INVALID_INPUT', 'CRL must be a Uint8Array');
  if (der.length > MAX_CRL_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `CRL is ${der.length} bytes; the limit is ${MAX_CRL_BYTES}`);
  }
  try {
    return parse(der);
  } catch (cause) {
    const message = cause instanceof DerError ? cause.message : 'malformed DER';
    throw new ElicenseError('ERR_CRL_INVALID', `CRL: ${message}`, { cause });
  }
}

const parsedCrls = new WeakMap<Uint8Array, CertificateListInfo>();

/** parseCrl, memoised per buffer: a verifier holding the same CRL bytes parses them once. */
export function parseCrlCached(crl: Uint8Array | CertificateListInfo): CertificateListInfo {
  if (!(crl instanceof Uint8Array)) return crl;
  let info = parsedCrls.get(crl);
  if (!info) {
    info = parseCrl(crl);
    parsedCrls.set(crl, info);
  }
  return info;
}

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface RevocationCheck {
  readonly status: RevocationStatus;
  readonly reason?: RevocationReason;
  /** For `revoked`. */
  readonly revocationDate?: Date;
  /** The CRL the answer rests on. */
  readonly crl?: { readonly thisUpdate: Date; readonly nextUpdate?: Date; readonly crlNumber?: string };
  readonly message: string;
}

/** Extensions this module understands; a CRL with any other critical one is not used (RFC 5280 §5.2). */
const KNOWN_CRL_EXTENSIONS = new Set<string>([
  EXTENSION_OID.authorityKeyIdentifier,
  EXTENSION_OID.crlNumber,
  EXTENSION_OID.issuerAltName,
]);
const KNOWN_ENTRY_EXTENSIONS = new Set<string>([EXTENSION_OID.crlReason, EXTENSION_OID.invalidityDate]);

interface CrlIndex {
  readonly bySerial: ReadonlyMap<string, RevokedCertificateEntry>;
  readonly unknownCritical?: string;
}

const indexes = new WeakMap<CertificateListInfo, CrlIndex>();

function indexOf(crl: CertificateListInfo): CrlIndex {
  let index = indexes.get(crl);
  if (!index) {
    const bySerial = new Map<string, RevokedCertificateEntry>();
    let unknownCritical = crl.criticalExtensions.find((oid) => !KNOWN_CRL_EXTENSIONS.has(oid));
    for (const entry of crl.revoked) {
      unknownCritical ??= entry.criticalExtensions.find((oid) => !KNOWN_ENTRY_EXTENSIONS.has(oid));
      if (entry.reason !== 'removeFromCRL') bySerial.set(entry.serialNumber, entry);
    }
    index = unknownCritical === undefined ? { bySerial } : { bySerial, unknownCritical };
    indexes.set(crl, index);
  }
  return index;
}

function crlSummary(crl: CertificateListInfo): NonNullable<RevocationCheck['crl']> {
  return {
    thisUpdate: crl.thisUpdate,
    ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}),
    ...(crl.crlNumber === undefined ? {} : { crlNumber: crl.crlNumber }),
  };
}

function newer(a: CertificateListInfo, b: CertificateListInfo): boolean {
  if (a.thisUpdate.getTime() !== b.thisUpdate.getTime()) return a.thisUpdate.getTime() > b.thisUpdate.getTime();
  return BigInt(a.crlNumber ?? '0') > BigInt(b.crlNumber ?? '0');
}

export interface RevocationOptions {
  /** Shared with validateCertificatePath: memoises CRL signature checks. */
  readonly signatureCache?: Map<string, boolean>;
}

/**
 * The revocation status of `cert` at `at` according to `crls`. Only CRLs whose issuer is `issuer`,
 * signed by `issuer`'s key, count. The newest of them decides; if it is past its nextUpdate it can
 * still prove a revocation, but not that the certificate is good (stale → unknown).
 */
export async function checkRevocation(
  cert: CertificateInfo,
  issuer: CertificateInfo,
  crls: readonly (CertificateListInfo | Uint8Array)[],
  at: Date,
  options: RevocationOptions = {},
): Promise<RevocationCheck> {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new ElicenseError('ERR_INVALID_INPUT', 'at must be a valid Date');
  if (!sameName(cert.issuerDer, issuer.subjectDer)) {
    return { status: 'unknown', message: `${issuer.subject} is not the issuer of ${cert.subject}` };
  }
  const rejected: string[] = [];
  let best: CertificateListInfo | undefined;
  for (const input of crls) {
    let crl: CertificateListInfo;
    try {
      crl = parseCrlCached(input);
    } catch {
      rejected.push('a CRL that could not be parsed');
      continue;
    }
    if (!sameName(crl.issuerDer, cert.issuerDer)) continue;
    if (crl.authorityKeyIdentifier && issuer.subjectKeyIdentifier && crl.authorityKeyIdentifier !== issuer.subjectKeyIdentifier) {
      rejected.push(`CRL ${crl.crlNumber ?? ''} names another key of the issuer`);
      continue;
    }
    if (issuer.keyUsage && !issuer.keyUsage.includes('cRLSign')) {
      rejected.push(`${issuer.subject} may not sign CRLs (no cRLSign key usage)`);
      continue;
    }
    const { unknownCritical } = indexOf(crl);
    if (unknownCritical !== undefined) {
      rejected.push(`CRL ${crl.crlNumber ?? ''} has an unsupported critical extension ${unknownCritical}`);
      continue;
    }
    const signature = await verifyIssuedBy(crl, issuer.publicKey, options.signatureCache);
    if (signature.result !== 'valid') {
      rejected.push(`CRL ${crl.crlNumber ?? ''} signature: ${signature.reason}`);
      continue;
    }
    if (!best || newer(crl, best)) best = crl;
  }
  if (!best) {
    const why = rejected.length === 0 ? 'none was given' : `ignored: ${rejected.join('; ')}`;
    return { status: 'unknown', message: `no usable CRL from ${issuer.subject} for ${cert.subject} (${why})` };
  }

  const summary = crlSummary(best);
  const fresh = best.nextUpdate !== undefined && best.nextUpdate.getTime() >= at.getTime();
  const entry = indexOf(best).bySerial.get(cert.serialNumber);
  const listed = entry && entry.revocationDate.getTime() <= at.getTime() ? entry : undefined;
  if (listed && (fresh || listed.reason !== 'certificateHold')) {
    return {
      status: 'revoked',
      revocationDate: listed.revocationDate,
      ...(listed.reason ? { reason: listed.reason } : {}),
      crl: summary,
      message: `${cert.subject} (serial ${cert.serialNumber}) was revoked on ${listed.revocationDate.toISOString()}${
        listed.reason ? ` (${listed.reason})` : ''
      }`,
    };
  }
  if (!fresh) {
    const until = best.nextUpdate ? `its nextUpdate ${best.nextUpdate.toISOString()}` : 'it has no nextUpdate';
    return {
      status: 'unknown',
      crl: summary,
      message: `the newest CRL from ${issuer.subject} is stale at ${at.toISOString()} (${until})`,
    };
  }
  const later = entry
    ? `; it was revoked later, on ${entry.revocationDate.toISOString()}${entry.reason ? ` (${entry.reason})` : ''}`
    : '';
  return {
    status: 'good',
    crl: summary,
    message: `${cert.subject} is not revoked at ${at.toISOString()} according to CRL ${best.crlNumber ?? ''} of ${best.thisUpdate.toISOString()}${later}`,
  };
}
