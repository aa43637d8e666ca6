/**
 * The CA toolkit for operators and tests: root CAs, issuing CAs and the end-entity certificates that
 * issuing offices sign licenses with. Everything is signed through a `SigningKey`, so a software key
 * and an HSM serve alike; every key type of the algorithm table may be certified by every other.
 *
 * The issuer name is copied byte for byte from the issuer certificate's subject and the subject key
 * as given, so path building compares exactly what the issuer holds.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  ExtendedKeyUsage,
  GeneralName,
  KeyIdentifier,
  Validity,
} from '@peculiar/asn1-x509';
import { bufferSource, concatBytes, fromHex } from '../bytes.js';
import { parsePublicKey } from '../crypto/public-key.js';
import type { SigningKey } from '../crypto/signer.js';
import { ElicenseError } from '../errors.js';
import {
  EXTENSION_OID,
  KEY_USAGES,
  parseCertificateCached,
  type CertificateInfo,
  type KeyUsageName,
} from './certificate.js';
import { assertSingleDerValue, children, content, encodeOid, encodeTlv, encodeUnsignedInteger } from './der.js';
import { encodeSubjectName, type SubjectName } from './names.js';
import { assertCanSign, issuerCertificateFor, signTbs } from './signed-structure.js';
import { algorithmIdentifierDer } from './x509-algorithm.js';

/** An extension written as given: tests use it for unknown critical extensions; operators for policies. */
export interface ExtensionSpec {
  readonly oid: string;
  readonly critical: boolean;
  /** The DER value carried in the extension's OCTET STRING. */
  readonly value: Uint8Array;
}

/** Everything one certificate needs; the helpers below fill it in for the usual three kinds. */
export interface CertificateProfile {
  /** The issuing CA's certificate, or `self-signed` (the issuer is the subject and the key is `issuerKey`). */
  readonly issuer: Uint8Array | CertificateInfo | 'self-signed';
  readonly issuerKey: SigningKey;
  /** DER SubjectPublicKeyInfo of the key being certified. */
  readonly subjectPublicKey: Uint8Array;
  readonly subject: SubjectName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Hex; 16 random bytes (positive) when absent. */
  readonly serialNumber?: string;
  /** Omitted from the certificate when absent. Always written as critical. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  /** Omitted when absent. Always written as critical. */
  readonly keyUsage?: readonly KeyUsageName[];
  /** Key purpose OIDs (non-critical unless `extendedKeyUsageCritical`). */
  readonly extendedKeyUsage?: readonly string[];
  /** RFC 3161 §2.3 wants a time-stamping authority's extended key usage critical. */
  readonly extendedKeyUsageCritical?: boolean;
  /** Written as a CRL distribution point. */
  readonly crlUrl?: string;
  readonly extraExtensions?: readonly ExtensionSpec[];
}

function invalid(message: string): never {
  throw new ElicenseError('ERR_INVALID_INPUT', message);
}

function serialBytes(serialNumber: string | undefined): Uint8Array {
  if (serialNumber === undefined) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    // Positive (top bit clear) and never starting with a zero byte, so the INTEGER is exactly 16 bytes.
    bytes[0] = (bytes[0]! & 0x7f) | 0x01;
    return bytes;
  }
  const bytes = fromHex(serialNumber.length % 2 === 1 ? `0${serialNumber}` : serialNumber);
  if (bytes.length === 0 || bytes.length > 20 || bytes.every((b) => b === 0)) {
    invalid('serialNumber must be 1 to 20 bytes of hex and not zero');
  }
  return bytes;
}

function checkDate(date: Date, what: string): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) invalid(`${what} is not a valid Date`);
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) invalid(`${what} must fall in the years 1950 to 9999`);
}

/** The BIT STRING content of a SubjectPublicKeyInfo: what RFC 5280 §4.2.1.2 method 1 hashes. */
function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  try {
    const top = assertSingleDerValue(spki);
    const bits = children(spki, top)[1];
    if (bits?.tag === 0x03) return content(spki, bits).subarray(1);
  } catch {
    // Reported below, with the key error code.
  }
  throw new ElicenseError('ERR_KEY_INVALID', 'the public key is not one DER SubjectPublicKeyInfo');
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (an identifier, not a security function). */
async function keyIdentifier(spki: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-1', bufferSource(subjectPublicKeyBits(spki))));
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  const flag = critical ? encodeTlv(0x01, Uint8Array.of(0xff)) : new Uint8Array(0);
  return encodeTlv(0x30, concatBytes(encodeOid(oid), flag, encodeTlv(0x04, value)));
}

/** A DER named bit list: trailing zero bits are dropped (X.690 §11.2.2). */
function keyUsageValue(usages: readonly KeyUsageName[]): Uint8Array {
  const bits = usages.map((u) => KEY_USAGES.indexOf(u));
  if (bits.length === 0 || bits.some((b) => b < 0)) invalid('keyUsage must name at least one known usage');
  const last = Math.max(...bits);
  const body = new Uint8Array(1 + (last >> 3) + 1);
  body[0] = 7 - (last & 7);
  for (const bit of bits) body[1 + (bit >> 3)]! |= 0x80 >> (bit & 7);
  return encodeTlv(0x03, body);
}

const serialize = (value: object): Uint8Array => new Uint8Array(AsnConvert.serialize(value));

/** DER X.509 v3 certificate for `profile`, signed by `profile.issuerKey`. */
export async function issueCertificate(profile: CertificateProfile): Promise<Uint8Array> {
  const { issuerKey } = profile;
  assertCanSign(issuerKey);
  parsePublicKey(profile.subjectPublicKey);
  checkDate(profile.notBefore, 'notBefore');
  checkDate(profile.notAfter, 'notAfter');
  if (profile.notAfter.getTime() <= profile.notBefore.getTime()) invalid('notAfter must be later than notBefore');
  const pathLength = profile.basicConstraints?.pathLength;
  if (pathLength !== undefined && !(Number.isSafeInteger(pathLength) && pathLength >= 0)) {
    invalid('pathLength must be a non-negative integer');
  }

  const subjectName = encodeSubjectName(profile.subject);
  const subjectKeyId = await keyIdentifier(profile.subjectPublicKey);
  let issuerName: Uint8Array;
  let authorityKeyId: Uint8Array;
  if (profile.issuer === 'self-signed') {
    issuerName = subjectName;
    authorityKeyId = subjectKeyId;
  } else {
    const issuer = parseCertificateCached(profile.issuer);
    issuerName = issuer.subjectDer;
    authorityKeyId =
      issuer.subjectKeyIdentifier === undefined
        ? await keyIdentifier(issuer.publicKey)
        : fromHex(issuer.subjectKeyIdentifier);
  }

  const extensions: Uint8Array[] = [];
  if (profile.basicConstraints) {
    const { ca } = profile.basicConstraints;
    const value = new BasicConstraints(ca && pathLength !== undefined ? { cA: true, pathLenConstraint: pathLength } : { cA: ca });
    extensions.push(extension(EXTENSION_OID.basicConstraints, true, serialize(value)));
  }
  if (profile.keyUsage) extensions.push(extension(EXTENSION_OID.keyUsage, true, keyUsageValue(profile.keyUsage)));
  if (profile.extendedKeyUsage) {
    const critical = profile.extendedKeyUsageCritical === true;
    extensions.push(extension(EXTENSION_OID.extKeyUsage, critical, serialize(new ExtendedKeyUsage([...profile.extendedKeyUsage]))));
  }
  extensions.push(extension(EXTENSION_OID.subjectKeyIdentifier, false, encodeTlv(0x04, subjectKeyId)));
  const aki = new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(bufferSource(authorityKeyId)) });
  extensions.push(extension(EXTENSION_OID.authorityKeyIdentifier, false, serialize(aki)));
  if (profile.crlUrl !== undefined) {
    if (!/^[\x21-\x7e]+$/.test(profile.crlUrl)) invalid('crlUrl must be an ASCII URI (IA5String)');
    const point = new DistributionPoint({
      distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: profile.crlUrl })] }),
    });
    extensions.push(extension(EXTENSION_OID.crlDistributionPoints, false, serialize(new CRLDistributionPoints([point]))));
  }
  for (const extra of profile.extraExtensions ?? []) {
    if (Object.values<string>(EXTENSION_OID).includes(extra.oid)) invalid(`extension ${extra.oid} is written by the profile itself`);
    try {
      assertSingleDerValue(extra.value);
    } catch {
      invalid(`extension ${extra.oid}: the value must be one DER value`);
    }
    extensions.push(extension(extra.oid, extra.critical, extra.value));
  }

  const algorithm = algorithmIdentifierDer(issuerKey.alg);
  const tbs = encodeTlv(
    0x30,
    concatBytes(
      encodeTlv(0xa0, encodeUnsignedInteger(Uint8Array.of(2))),
      encodeUnsignedInteger(serialBytes(profile.serialNumber)),
      algorithm,
      issuerName,
      serialize(new Validity({ notBefore: profile.notBefore, notAfter: profile.notAfter })),
      subjectName,
      profile.subjectPublicKey,
      encodeTlv(0xa3, encodeTlv(0x30, concatBytes(...extensions))),
    ),
  );
  return signTbs(issuerKey, tbs);
}

export interface RootCaOptions {
  readonly key: SigningKey;
  readonly subject: SubjectName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber?: string;
  /** How many CA certificates may follow this one in a path (basicConstraints pathLenConstraint). */
  readonly pathLength?: number;
}

/** A self-signed root CA certificate (cA, keyCertSign and cRLSign), DER. */
export async function createRootCa(options: RootCaOptions): Promise<Uint8Array> {
  return issueCertificate({
    issuer: 'self-signed',
    issuerKey: options.key,
    subjectPublicKey: options.key.publicKey,
    subject: options.subject,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    ...(options.serialNumber === undefined ? {} : { serialNumber: options.serialNumber }),
    basicConstraints: options.pathLength === undefined ? { ca: true } : { ca: true, pathLength: options.pathLength },
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
}

export interface IssuingCaOptions {
  readonly issuerCertificate: Uint8Array | CertificateInfo;
  readonly issuerKey: SigningKey;
  readonly subjectPublicKey: Uint8Array;
  readonly subject: SubjectName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber?: string;
  readonly pathLength?: number;
  /** Where the issuer publishes the CRL that covers this certificate. */
  readonly crlUrl?: string;
}

/** A subordinate CA certificate (cA, keyCertSign and cRLSign), DER. */
export async function createIssuingCa(options: IssuingCaOptions): Promise<Uint8Array> {
  const issuer = issuerCertificateFor(options.issuerCertificate, options.issuerKey);
  return issueCertificate({
    issuer,
    issuerKey: options.issuerKey,
    subjectPublicKey: options.subjectPublicKey,
    subject: options.subject,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    ...(options.serialNumber === undefined ? {} : { serialNumber: options.serialNumber }),
    basicConstraints: options.pathLength === undefined ? { ca: true } : { ca: true, pathLength: options.pathLength },
    keyUsage: ['keyCertSign', 'cRLSign'],
    ...(options.crlUrl === undefined ? {} : { crlUrl: options.crlUrl }),
  });
}

export interface IssuerCertificateOptions {
  readonly issuerCertificate: Uint8Array | CertificateInfo;
  readonly issuerKey: SigningKey;
  readonly subjectPublicKey: Uint8Array;
  /** The issuing office: its name and 统一社会信用代码 go into O and organizationIdentifier. */
  readonly subject: Required<SubjectName>;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber?: string;
  readonly crlUrl?: string;
  readonly extendedKeyUsage?: readonly string[];
}

/**
 * The end-entity certificate an issuing office signs licenses with: digitalSignature and
 * nonRepudiation, basicConstraints cA=false (critical), subject and authority key identifiers. DER.
 */
export async function createIssuerCertificate(options: IssuerCertificateOptions): Promise<Uint8Array> {
  const { extendedKeyUsage } = options;
  return endEntityCertificate(options, extendedKeyUsage === undefined ? {} : { extendedKeyUsage });
}

/** digitalSignature and nonRepudiation, cA=false: what every end-entity certificate here shares. */
async function endEntityCertificate(
  options: Omit<IssuerCertificateOptions, 'subject' | 'extendedKeyUsage'> & { readonly subject: SubjectName },
  extendedKeyUsage: Pick<CertificateProfile, 'extendedKeyUsage' | 'extendedKeyUsageCritical'>,
): Promise<Uint8Array> {
  const issuer = issuerCertificateFor(options.issuerCertificate, options.issuerKey);
  return issueCertificate({
    issuer,
    issuerKey: options.issuerKey,
    subjectPublicKey: options.subjectPublicKey,
    subject: options.subject,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    ...(options.serialNumber === undefined ? {} : { serialNumber: options.serialNumber }),
    basicConstraints: { ca: false },
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    ...extendedKeyUsage,
    ...(options.crlUrl === undefined ? {} : { crlUrl: options.crlUrl }),
  });
}

/** id-kp-timeStamping (RFC 5280 §4.2.1.12). */
const ID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

export type TimeStampingCertificateOptions = Omit<IssuerCertificateOptions, 'subject' | 'extendedKeyUsage'> & {
  readonly subject: SubjectName;
};

/**
 * A time-stamping authority's certificate (RFC 3161 §2.3): the single extended key usage
 * id-kp-timeStamping, critical; digitalSignature and nonRepudiation; cA=false. DER.
 */
export async function createTimeStampingCertificate(options: TimeStampingCertificateOptions): Promise<Uint8Array> {
  return endEntityCertificate(options, { extendedKeyUsage: [ID_KP_TIME_STAMPING], extendedKeyUsageCritical: true });
}
