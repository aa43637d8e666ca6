/**
 * Electronic seals and seal signatures as read from DER: GM/T 0031-2014 (v1), GB/T 38540-2020 (v4) and
 * GM/T 0031-2025 (v5). STANDARDS-CN.md §1 gives the ASN.1; field names follow it. Every signed part is
 * kept as the bytes received, because signatures are verified over those bytes, never a re-encoding.
 */

export type SesVersion = 1 | 4 | 5;

export const SES_VERSION_NAMES: Readonly<Record<SesVersion, string>> = {
  1: 'v1 (GM/T 0031-2014)',
  4: 'v4 (GB/T 38540-2020)',
  5: 'v5 (GM/T 0031-2025)',
};

/** How a signature value sat in its BIT STRING: DER `SEQUENCE { r, s }`, or a bare 64-byte r‖s (seen in real files). */
export type SesSignatureEncoding = 'der' | 'raw' | 'unreadable';

export interface SesSignatureValue {
  /** Raw r‖s (64 bytes); empty when the value is neither form, and then it never verifies. */
  readonly raw: Uint8Array;
  readonly encoding: SesSignatureEncoding;
  /** The BIT STRING's octets as received (after the unused-bits byte): what a signature timestamp covers. */
  readonly bytes: Uint8Array;
}

export interface SesHeader {
  /** Always "ES". */
  readonly id: string;
  readonly version: number;
  /** Vendor ID (厂商标识), e.g. "GOMAIN". */
  readonly vendorId: string;
}

export interface SesCertDigest {
  /** Free text naming the hash (自定义类型), e.g. "SM3". */
  readonly type: string;
  readonly value: Uint8Array;
}

export interface SesPicture {
  /** Image type as written (e.g. "png", "PNG", "ofd", "svg"); compare case-insensitively. */
  readonly type: string;
  readonly data: Uint8Array;
  /** Display size in millimetres. */
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface SesExtData {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export interface SesSealProperty {
  /** 印章类型: business-defined (1 单位印章, 2 个人印章 in v1; 3, 4, 6, 15 observed in v4). */
  readonly type: number;
  readonly name: string;
  /** 1: the certificates themselves; 2: their hashes. v1 seals always list certificates. */
  readonly certListType: 1 | 2;
  /** DER certificates of the people and offices allowed to sign with the seal (certListType 1). */
  readonly certificates: readonly Uint8Array[];
  /** Hashes of those certificates (certListType 2). */
  readonly certDigests: readonly SesCertDigest[];
  readonly createDate: Date;
  readonly validStart: Date;
  readonly validEnd: Date;
}

export interface ParsedSesSeal {
  readonly version: SesVersion;
  /** The whole SESeal as received. */
  readonly der: Uint8Array;
  readonly header: SesHeader;
  /** 印章标识: the seal's unique code. */
  readonly esID: string;
  readonly property: SesSealProperty;
  readonly picture: SesPicture;
  readonly extDatas: readonly SesExtData[];
  /** The seal maker's (制章者) certificate, DER as received. */
  readonly makerCertificate: Uint8Array;
  /** OID of the maker's signature algorithm (1.2.156.10197.1.501 for SM2 with SM3). */
  readonly signatureAlgorithm: string;
  /** Exactly the bytes the maker signed: DER(SES_SealInfo) in v4 and v5, SEQUENCE { info, cert, alg } in v1. */
  readonly signedBytes: Uint8Array;
  readonly signature: SesSignatureValue;
  /** v5: an RFC 3161 token over the maker's signature value. */
  readonly timeStamp?: Uint8Array;
}

export interface ParsedSesSignature {
  readonly version: SesVersion;
  readonly der: Uint8Array;
  /** TBS_Sign exactly as received: what the signer signed. */
  readonly signedBytes: Uint8Array;
  readonly seal: ParsedSesSeal;
  /** The signing time the signer states (timeInfo); undefined when a v1 timeInfo cannot be read as a time. */
  readonly signingTime?: Date;
  /** timeInfo as text, as found. */
  readonly signingTimeText: string;
  /** The hash of the signed document (SM3 with SM2). */
  readonly dataHash: Uint8Array;
  /** 原文属性: in OFD the path of the Signature.xml the signature covers. */
  readonly propertyInfo: string;
  readonly extDatas: readonly SesExtData[];
  /** The signer's certificate, DER as received. */
  readonly signerCertificate: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: SesSignatureValue;
  /** An RFC 3161 token over the signature value, when present. */
  readonly timeStamp?: Uint8Array;
}
