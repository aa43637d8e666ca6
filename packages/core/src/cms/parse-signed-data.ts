/**
 * Reads ContentInfo(SignedData) (RFC 5652 §5, and the GB/T 35275 content types) from hostile input:
 * strict DER, bounded sizes and counts, every field checked for its tag. The signed attributes are
 * kept as received, retagged as SET, because that is what the signature covers.
 *
 *   SignedData ::= SEQUENCE { version, digestAlgorithms SET OF AlgorithmIdentifier, encapContentInfo,
 *     certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
 *     signerInfos SET OF SignerInfo }
 *   SignerInfo ::= SEQUENCE { version, sid SignerIdentifier, digestAlgorithm, signedAttrs [0] IMPLICIT OPTIONAL,
 *     signatureAlgorithm, signature OCTET STRING, unsignedAttrs [1] IMPLICIT OPTIONAL }
 */
import { ElicenseError } from '../errors.js';
import { parseCertificateCached, type CertificateInfo } from '../pki/certificate.js';
import { assertSingleDerValue, content, readTlv, slice, type Tlv } from '../pki/der.js';
import type { UnsupportedAlgorithm } from '../pki/x509-algorithm.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { readAttributes, type CmsAttribute } from './attributes.js';
import { bounded, expectTag, fieldsOf, malformed, readingField, readOid, readSmallInteger } from './der-read.js';
import { digestAlgorithmFromOid, type DigestAlgorithm } from './digest-algorithms.js';
import { CMS_OID } from './oids.js';
import { cmsSignatureAlgorithm } from './signature-algorithms.js';
import type { SignerIdentifier } from './signer-identifier.js';

/** Larger than any signature container a PDF reserves, with room for embedded CRLs. */
export const MAX_CMS_BYTES = 4 * 1024 * 1024;
const MAX_SIGNER_INFOS = 16;
const MAX_CERTIFICATES = 64;
const MAX_CRLS = 32;

export interface ParsedSignerInfo {
  readonly index: number;
  readonly version: number;
  readonly identifier: SignerIdentifier;
  readonly digestAlgorithmOid: string;
  /** Undefined when the digest is not one eLicense knows. */
  readonly digestAlgorithm?: DigestAlgorithm;
  readonly signatureAlgorithmOid: string;
  readonly signatureAlgorithm: SignatureAlgorithm | UnsupportedAlgorithm;
  /** Absent when the SignerInfo has none (the signature then covers the content itself). */
  readonly signedAttributes?: readonly CmsAttribute[];
  /** The signed attributes as received, tagged SET (0x31): the bytes the signature covers. */
  readonly signedAttributesDer?: Uint8Array;
  /** The signature OCTET STRING content, as stored (DER for ECDSA and SM2 in conforming files). */
  readonly signature: Uint8Array;
  readonly unsignedAttributes: readonly CmsAttribute[];
  /** The whole SignerInfo TLV. */
  readonly der: Uint8Array;
}

export interface ParsedCmsSignedData {
  readonly der: Uint8Array;
  /** ContentInfo contentType: id-signedData, or GB/T 35275 signedData. */
  readonly contentType: string;
  readonly version: number;
  readonly digestAlgorithmOids: readonly string[];
  readonly encapsulatedContentType: string;
  /** eContent, when the content is encapsulated rather than detached. */
  readonly encapsulatedContent?: Uint8Array;
  readonly certificates: readonly CertificateInfo[];
  /** Embedded certificates that could not be parsed, with the reason; they can never be the signer's. */
  readonly certificateErrors: readonly string[];
  /** DER CertificateLists, unparsed: pki/crl.ts parseCrl reads them for revocation checking. */
  readonly crls: readonly Uint8Array[];
  readonly signerInfos: readonly ParsedSignerInfo[];
}

export interface ParseCmsOptions {
  /**
   * Accepts zero bytes after the DER value: a PDF signature's /Contents is the CMS padded with zeros to
   * the reserved size. Anything else after the value is still an error.
   */
  readonly allowZeroPadding?: boolean;
}

function topLevel(der: Uint8Array, options: ParseCmsOptions): Uint8Array {
  if (!(der instanceof Uint8Array)) throw new ElicenseError('ERR_INVALID_INPUT', 'CMS input must be a Uint8Array');
  if (der.length > MAX_CMS_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `CMS is ${der.length} bytes; the limit is ${MAX_CMS_BYTES}`);
  }
  const top = readingField('ContentInfo', () => readTlv(der, 0));
  if (top.end !== der.length) {
    if (!options.allowZeroPadding || der.subarray(top.end).some((b) => b !== 0)) malformed('ContentInfo', 'trailing bytes after the value');
  }
  const value = der.subarray(0, top.end);
  readingField('ContentInfo', () => assertSingleDerValue(value));
  return value;
}

function signerIdentifier(bytes: Uint8Array, sid: Tlv | undefined, field: string): SignerIdentifier {
  if (sid?.tag === 0x80) return { kind: 'subjectKeyIdentifier', keyIdentifier: content(bytes, sid) };
  const [issuer, serial, extra] = fieldsOf(bytes, sid, 0x30, `${field}.issuerAndSerialNumber`);
  expectTag(issuer, 0x30, `${field}.issuerAndSerialNumber.issuer`);
  const serialNumber = content(bytes, expectTag(serial, 0x02, `${field}.issuerAndSerialNumber.serialNumber`));
  if (extra || serialNumber.length === 0) malformed(`${field}.issuerAndSerialNumber`, 'expected SEQUENCE { Name, INTEGER }');
  return { kind: 'issuerAndSerialNumber', issuerDer: slice(bytes, issuer!), serialNumber };
}

function algorithmOid(bytes: Uint8Array, tlv: Tlv | undefined, field: string): string {
  return readOid(bytes, fieldsOf(bytes, tlv, 0x30, field)[0], `${field}.algorithm`);
}

function signerInfo(bytes: Uint8Array, tlv: Tlv, index: number): ParsedSignerInfo {
  const field = `signerInfos[${index}]`;
  const fields = fieldsOf(bytes, tlv, 0x30, field);
  let at = 0;
  const version = readSmallInteger(bytes, fields[at++], `${field}.version`);
  const identifier = signerIdentifier(bytes, fields[at++], `${field}.sid`);
  const digestTlv = fields[at++];
  const digestAlgorithmOid = algorithmOid(bytes, digestTlv, `${field}.digestAlgorithm`);
  const digestAlgorithm = digestAlgorithmFromOid(digestAlgorithmOid);
  let signedAttributes: CmsAttribute[] | undefined;
  let signedAttributesDer: Uint8Array | undefined;
  if (fields[at]?.tag === 0xa0) {
    const signedTlv = fields[at++]!;
    signedAttributes = readAttributes(bytes, signedTlv, `${field}.signedAttrs`);
    // RFC 5652 §5.4: the signature covers the EXPLICIT SET OF encoding, not the [0] IMPLICIT one.
    signedAttributesDer = slice(bytes, signedTlv).slice();
    signedAttributesDer[0] = 0x31;
  }
  const signatureAlgorithmTlv = fields[at++];
  const signatureAlgorithmOid = algorithmOid(bytes, signatureAlgorithmTlv, `${field}.signatureAlgorithm`);
  const signature = content(bytes, expectTag(fields[at++], 0x04, `${field}.signature`));
  let unsignedAttributes: CmsAttribute[] = [];
  if (fields[at]?.tag === 0xa1) unsignedAttributes = readAttributes(bytes, fields[at++]!, `${field}.unsignedAttrs`);
  if (at !== fields.length) malformed(field, 'unexpected field after the signature');
  return {
    index,
    version,
    identifier,
    digestAlgorithmOid,
    ...(digestAlgorithm ? { digestAlgorithm } : {}),
    signatureAlgorithmOid,
    signatureAlgorithm: cmsSignatureAlgorithm(slice(bytes, signatureAlgorithmTlv!), digestAlgorithm),
    ...(signedAttributes ? { signedAttributes, signedAttributesDer: signedAttributesDer! } : {}),
    signature,
    unsignedAttributes,
    der: slice(bytes, tlv),
  };
}

function encapsulatedContentInfo(bytes: Uint8Array, tlv: Tlv | undefined): { type: string; content?: Uint8Array } {
  const [typeTlv, wrapper, extra] = fieldsOf(bytes, tlv, 0x30, 'encapContentInfo');
  const type = readOid(bytes, typeTlv, 'encapContentInfo.eContentType');
  if (extra) malformed('encapContentInfo', 'unexpected field after eContent');
  if (!wrapper) return { type };
  const [octets, more] = fieldsOf(bytes, wrapper, 0xa0, 'encapContentInfo.eContent');
  if (more) malformed('encapContentInfo.eContent', 'expected one OCTET STRING');
  return { type, content: content(bytes, expectTag(octets, 0x04, 'encapContentInfo.eContent')) };
}

function certificateSet(bytes: Uint8Array, tlv: Tlv): { certificates: CertificateInfo[]; errors: string[] } {
  const certificates: CertificateInfo[] = [];
  const errors: string[] = [];
  bounded(fieldsOf(bytes, tlv, 0xa0, 'certificates'), MAX_CERTIFICATES, 'certificates').forEach((choice, i) => {
    // Only the plain Certificate choice; attribute and other certificate formats are tagged and skipped.
    if (choice.tag !== 0x30) return;
    try {
      certificates.push(parseCertificateCached(slice(bytes, choice)));
    } catch (error) {
      errors.push(`certificates[${i}]: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { certificates, errors };
}

/** Parses DER ContentInfo(SignedData). Malformed input is ERR_ASN1_INVALID (with the field), oversized ERR_INPUT_TOO_LARGE. */
export function parseCmsSignedData(der: Uint8Array, options: ParseCmsOptions = {}): ParsedCmsSignedData {
  const bytes = topLevel(der, options);
  const [typeTlv, explicit, extra] = fieldsOf(bytes, readTlv(bytes, 0), 0x30, 'ContentInfo');
  const contentType = readOid(bytes, typeTlv, 'ContentInfo.contentType');
  if (contentType !== CMS_OID.signedData && contentType !== CMS_OID.gbSignedData) {
    malformed('ContentInfo.contentType', `${contentType} is not SignedData`);
  }
  if (extra) malformed('ContentInfo', 'unexpected field after content');
  const [signedDataTlv, more] = fieldsOf(bytes, explicit, 0xa0, 'ContentInfo.content');
  if (more) malformed('ContentInfo.content', 'expected one SignedData');
  const fields = fieldsOf(bytes, signedDataTlv, 0x30, 'SignedData');
  let at = 0;
  const version = readSmallInteger(bytes, fields[at++], 'SignedData.version');
  const digestAlgorithmOids = bounded(fieldsOf(bytes, fields[at++], 0x31, 'SignedData.digestAlgorithms'), MAX_SIGNER_INFOS, 'SignedData.digestAlgorithms').map(
    (algorithm, i) => algorithmOid(bytes, algorithm, `SignedData.digestAlgorithms[${i}]`),
  );
  const encapsulated = encapsulatedContentInfo(bytes, fields[at++]);
  let certificates: { certificates: CertificateInfo[]; errors: string[] } = { certificates: [], errors: [] };
  if (fields[at]?.tag === 0xa0) certificates = certificateSet(bytes, fields[at++]!);
  let crls: Uint8Array[] = [];
  if (fields[at]?.tag === 0xa1) {
    crls = bounded(fieldsOf(bytes, fields[at++], 0xa1, 'crls'), MAX_CRLS, 'crls')
      .filter((choice) => choice.tag === 0x30)
      .map((choice) => slice(bytes, choice));
  }
  const signerTlvs = bounded(fieldsOf(bytes, fields[at++], 0x31, 'SignedData.signerInfos'), MAX_SIGNER_INFOS, 'SignedData.signerInfos');
  if (at !== fields.length) malformed('SignedData', 'unexpected field after signerInfos');
  return {
    der: bytes,
    contentType,
    version,
    digestAlgorithmOids,
    encapsulatedContentType: encapsulated.type,
    ...(encapsulated.content ? { encapsulatedContent: encapsulated.content } : {}),
    certificates: certificates.certificates,
    certificateErrors: certificates.errors,
    crls,
    signerInfos: signerTlvs.map((tlv, i) => signerInfo(bytes, tlv, i)),
  };
}
