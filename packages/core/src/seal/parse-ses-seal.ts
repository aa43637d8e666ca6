/**
 * Reads an electronic seal (SESeal) of any version: GM/T 0031-2014 (v1, two elements: info and the
 * maker's SES_SignInfo), GB/T 38540-2020 (v4, four elements) and GM/T 0031-2025 (v5, plus a timestamp).
 * The version comes from the element count and then the header, as ofdrw's VersionParser decides.
 */
import { concatBytes } from '../bytes.js';
import { bounded, fieldsOf, malformed, readingField } from '../cms/der-read.js';
import { ElicenseError } from '../errors.js';
import { assertSingleDerValue, content, encodeTlv, slice, type Tlv } from '../pki/der.js';
import {
  MAX_CERT_LIST,
  MAX_SES_BYTES,
  TAG,
  TEXT_TAGS,
  readBitString,
  readNumber,
  readOctets,
  readOidText,
  readTaggedExtDatas,
  readTaggedTimeStamp,
  readText,
  readTime,
  signatureValue,
} from './ses-der.js';
import type { ParsedSesSeal, SesCertDigest, SesHeader, SesPicture, SesSealProperty, SesVersion } from './types.js';


/** Checks the size and that `der` is exactly one well-formed DER value; returns its outer TLV. */
export function readSesTop(der: Uint8Array, field: string): Tlv {
  if (der.length > MAX_SES_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `${field}: ${der.length} bytes; the limit is ${MAX_SES_BYTES}`, { field });
  }
  return readingField(field, () => assertSingleDerValue(der));
}

function readHeader(bytes: Uint8Array, tlv: Tlv | undefined, field: string): SesHeader {
  const [id, version, vendorId] = fieldsOf(bytes, tlv, TAG.sequence, field);
  const header = {
    id: readText(bytes, id, TEXT_TAGS, `${field}.ID`),
    version: readNumber(bytes, version, `${field}.version`),
    vendorId: readText(bytes, vendorId, TEXT_TAGS, `${field}.Vid`),
  };
  if (header.id !== 'ES') malformed(`${field}.ID`, `expected "ES", found "${header.id.slice(0, 16)}"`);
  return header;
}

/**
 * A listed certificate: an OCTET STRING holding DER, or from lax writers the certificate SEQUENCE itself
 * or a string (the real v1 sample lists IA5String "1"). Whatever it holds is compared byte for byte
 * with the signer's certificate, so an entry that is no certificate simply never matches.
 */
function readListedCertificate(bytes: Uint8Array, tlv: Tlv, field: string): Uint8Array {
  if (tlv.tag === TAG.sequence) return slice(bytes, tlv);
  if (TEXT_TAGS.includes(tlv.tag)) return content(bytes, tlv);
  return readOctets(bytes, tlv, field);
}

function readCertList(bytes: Uint8Array, tlv: Tlv | undefined, type: 1 | 2, field: string): Pick<SesSealProperty, 'certificates' | 'certDigests'> {
  // SES_CertList is a CHOICE whose two arms are both SEQUENCE OF: certListType says which one it is.
  const entries = bounded(fieldsOf(bytes, tlv, TAG.sequence, field), MAX_CERT_LIST, field);
  if (type === 1) return { certificates: entries.map((entry, i) => readListedCertificate(bytes, entry, `${field}[${i}]`)), certDigests: [] };
  const certDigests = entries.map((entry, i): SesCertDigest => {
    const where = `${field}[${i}]`;
    const [kind, value] = fieldsOf(bytes, entry, TAG.sequence, where);
    return { type: readText(bytes, kind, TEXT_TAGS, `${where}.type`), value: readOctets(bytes, value, `${where}.value`) };
  });
  return { certificates: [], certDigests };
}

function readProperty(bytes: Uint8Array, tlv: Tlv | undefined, field: string): SesSealProperty {
  const parts = fieldsOf(bytes, tlv, TAG.sequence, field);
  // v4 and v5 put certListType (an INTEGER) third; v1 has no such field and lists certificates directly.
  const withType = parts[2]?.tag === TAG.integer;
  if (parts.length !== (withType ? 7 : 6)) malformed(field, `expected ${withType ? 7 : 6} fields, found ${parts.length}`);
  const [type, name, ...rest] = parts;
  let certListType: 1 | 2 = 1;
  if (withType) {
    const value = readNumber(bytes, rest.shift(), `${field}.certListType`);
    if (value !== 1 && value !== 2) malformed(`${field}.certListType`, `must be 1 (certificates) or 2 (hashes), found ${value}`);
    certListType = value;
  }
  const [certList, createDate, validStart, validEnd] = rest;
  return {
    type: readNumber(bytes, type, `${field}.type`),
    name: readText(bytes, name, TEXT_TAGS, `${field}.name`),
    certListType,
    ...readCertList(bytes, certList, certListType, `${field}.certList`),
    createDate: readTime(bytes, createDate, `${field}.createDate`),
    validStart: readTime(bytes, validStart, `${field}.validStart`),
    validEnd: readTime(bytes, validEnd, `${field}.validEnd`),
  };
}

function readPicture(bytes: Uint8Array, tlv: Tlv | undefined, field: string): SesPicture {
  const parts = fieldsOf(bytes, tlv, TAG.sequence, field);
  if (parts.length !== 4) malformed(field, `expected { type, data, width, height }, found ${parts.length} fields`);
  const [type, data, width, height] = parts;
  return {
    type: readText(bytes, type, TEXT_TAGS, `${field}.type`),
    data: readOctets(bytes, data, `${field}.data`),
    widthMm: readNumber(bytes, width, `${field}.width`),
    heightMm: readNumber(bytes, height, `${field}.height`),
  };
}

interface SealInfo {
  readonly header: SesHeader;
  readonly esID: string;
  readonly property: SesSealProperty;
  readonly picture: SesPicture;
  readonly extDatas: ParsedSesSeal['extDatas'];
}

function readSealInfo(bytes: Uint8Array, tlv: Tlv | undefined, field: string): SealInfo {
  const parts = fieldsOf(bytes, tlv, TAG.sequence, field);
  if (parts.length !== 4 && parts.length !== 5) malformed(field, `expected 4 or 5 fields, found ${parts.length}`);
  const [header, esID, property, picture, extDatas] = parts;
  return {
    header: readHeader(bytes, header, `${field}.header`),
    esID: readText(bytes, esID, TEXT_TAGS, `${field}.esID`),
    property: readProperty(bytes, property, `${field}.property`),
    picture: readPicture(bytes, picture, `${field}.picture`),
    // Untagged in the standard and in real seals; a [0] from other writers is read the same way.
    extDatas: extDatas ? readTaggedExtDatas(bytes, extDatas, `${field}.extDatas`) : [],
  };
}

/** Reads a SESeal TLV inside `bytes` (a seal file, or a TBS_Sign that embeds one). */
export function readSesSeal(bytes: Uint8Array, tlv: Tlv, field: string): ParsedSesSeal {
  const parts = fieldsOf(bytes, tlv, TAG.sequence, field);
  const [infoTlv, second, third, fourth, fifth] = parts;
  const info = readSealInfo(bytes, infoTlv, `${field}.eSealInfo`);
  const der = slice(bytes, tlv);
  if (parts.length === 2) {
    const signInfo = `${field}.signInfo`;
    const signInfoParts = fieldsOf(bytes, second, TAG.sequence, signInfo);
    if (signInfoParts.length !== 3) malformed(signInfo, `expected { cert, signatureAlgorithm, signData }, found ${signInfoParts.length} fields`);
    const [cert, alg, value] = signInfoParts as [Tlv, Tlv, Tlv];
    // v1: the maker signs SEQUENCE { SES_SealInfo, cert, signatureAlgorithm } (GM/T 0031-2014 §6.1.1.2).
    const signedBytes = encodeTlv(TAG.sequence, concatBytes(slice(bytes, infoTlv!), slice(bytes, cert), slice(bytes, alg)));
    return {
      version: 1,
      der,
      ...info,
      makerCertificate: readOctets(bytes, cert, `${signInfo}.cert`),
      signatureAlgorithm: readOidText(bytes, alg, `${signInfo}.signatureAlgorithm`),
      signedBytes,
      signature: signatureValue(readBitString(bytes, value, `${signInfo}.signData`)),
    };
  }
  if (parts.length !== 4 && parts.length !== 5) malformed(field, `a SESeal has 2 (v1), 4 (v4) or 5 (v5) elements, found ${parts.length}`);
  const version: SesVersion = info.header.version === 5 ? 5 : 4;
  return {
    version,
    der,
    ...info,
    makerCertificate: readOctets(bytes, second, `${field}.cert`),
    signatureAlgorithm: readOidText(bytes, third, `${field}.signAlgID`),
    // v4 and v5: the maker signs DER(SES_SealInfo) alone (STANDARDS-CN §1.4, checked on real seals).
    signedBytes: slice(bytes, infoTlv!),
    signature: signatureValue(readBitString(bytes, fourth, `${field}.signedValue`)),
    ...(fifth ? { timeStamp: readTaggedTimeStamp(bytes, fifth, `${field}.timeStamp`) } : {}),
  };
}

/** Parses a DER SESeal (a Seal.esl file): v1, v4 or v5. Malformed input is ERR_ASN1_INVALID naming the field. */
export function parseSesSeal(der: Uint8Array): ParsedSesSeal {
  const bytes = der.slice();
  const top = readSesTop(bytes, 'SESeal');
  return readSesSeal(bytes, top, 'SESeal');
}

