/** What `seal inspect` shows of a seal or a seal signature: its properties, as data and under Chinese labels. */
import { parseCertificate, sm3, toHex, SES_VERSION_NAMES, type ParsedSesSeal, type ParsedSesSignature } from '@elicense/core';

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer?: string;
  readonly serialNumber?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  /** SM3 of the DER, as certListType 2 lists it. */
  readonly sm3: string;
}

export interface SealSummary {
  readonly version: string;
  readonly vendorId: string;
  readonly esID: string;
  readonly type: number;
  readonly name: string;
  readonly certListType: 1 | 2;
  readonly certificates: readonly CertificateSummary[];
  readonly certificateHashes: readonly { readonly type: string; readonly value: string }[];
  readonly createDate: string;
  readonly validStart: string;
  readonly validEnd: string;
  readonly maker: CertificateSummary;
  readonly signatureAlgorithm: string;
  readonly picture: { readonly type: string; readonly bytes: number; readonly widthMm: number; readonly heightMm: number; readonly sm3: string };
  readonly extDatas: readonly string[];
}

export interface SignatureSummary {
  readonly version: string;
  readonly signingTime: string;
  readonly dataHash: string;
  readonly propertyInfo: string;
  readonly signer: CertificateSummary;
  readonly signatureAlgorithm: string;
  readonly timestamped: boolean;
}

/** Seals from the field carry certificates the strict reader may refuse; they are still listed, by hash. */
function certificateSummary(der: Uint8Array): CertificateSummary {
  const hash = toHex(sm3(der));
  try {
    const c = parseCertificate(der);
    return { subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumber, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), sm3: hash };
  } catch (error) {
    return { subject: `(unreadable certificate: ${(error as Error).message})`, sm3: hash };
  }
}

export function sealSummary(seal: ParsedSesSeal): SealSummary {
  const { property, picture } = seal;
  return {
    version: SES_VERSION_NAMES[seal.version],
    vendorId: seal.header.vendorId,
    esID: seal.esID,
    type: property.type,
    name: property.name,
    certListType: property.certListType,
    certificates: property.certificates.map(certificateSummary),
    certificateHashes: property.certDigests.map((digest) => ({ type: digest.type, value: toHex(digest.value) })),
    createDate: property.createDate.toISOString(),
    validStart: property.validStart.toISOString(),
    validEnd: property.validEnd.toISOString(),
    maker: certificateSummary(seal.makerCertificate),
    signatureAlgorithm: seal.signatureAlgorithm,
    picture: { type: picture.type, bytes: picture.data.length, widthMm: picture.widthMm, heightMm: picture.heightMm, sm3: toHex(sm3(picture.data)) },
    extDatas: seal.extDatas.map((ext) => ext.oid),
  };
}

export function signatureSummary(signature: ParsedSesSignature): SignatureSummary {
  return {
    version: SES_VERSION_NAMES[signature.version],
    signingTime: signature.signingTime?.toISOString() ?? signature.signingTimeText,
    dataHash: toHex(signature.dataHash),
    propertyInfo: signature.propertyInfo,
    signer: certificateSummary(signature.signerCertificate),
    signatureAlgorithm: signature.signatureAlgorithm,
    timestamped: signature.timeStamp !== undefined,
  };
}

/** The subject after `prefix`, the details under it at the prefix's width. */
function certificateLines(certificate: CertificateSummary, prefix: string): string[] {
  const indent = ' '.repeat(prefix.length);
  const lines = [`${prefix}${certificate.subject}`];
  if (certificate.issuer !== undefined) lines.push(`${indent}  签发者 issuer: ${certificate.issuer}`, `${indent}  序列号 serial: ${certificate.serialNumber}`);
  if (certificate.notBefore !== undefined) lines.push(`${indent}  有效期 validity: ${certificate.notBefore} – ${certificate.notAfter}`);
  lines.push(`${indent}  SM3: ${certificate.sm3}`);
  return lines;
}

export function formatSealSummary(seal: SealSummary, signature?: SignatureSummary): string {
  const lines: string[] = [];
  if (signature) {
    lines.push(
      '电子签章 (SES_Signature)',
      `  版本 version: ${signature.version}`,
      `  签章时间 signing time: ${signature.signingTime}`,
      `  原文杂凑 dataHash (SM3): ${signature.dataHash}`,
      `  原文属性 propertyInfo: ${signature.propertyInfo}`,
      `  签名算法 algorithm: ${signature.signatureAlgorithm}`,
      `  时间戳 timestamp: ${signature.timestamped ? '有 present' : '无 none'}`,
      '  签章人证书 signer:',
      ...certificateLines(signature.signer, '    '),
      '',
    );
  }
  lines.push(
    '电子印章 (SESeal)',
    `  版本 version: ${seal.version}`,
    `  厂商标识 vendor: ${seal.vendorId}`,
    `  印章标识 esID: ${seal.esID}`,
    `  印章类型 type: ${seal.type}`,
    `  印章名称 name: ${seal.name}`,
    `  制作日期 created: ${seal.createDate}`,
    `  有效期 validity: ${seal.validStart} – ${seal.validEnd}`,
    `  证书列表 certificates (certListType ${seal.certListType}):`,
    ...seal.certificates.flatMap((certificate, i) => certificateLines(certificate, `    ${i + 1}. `)),
    ...seal.certificateHashes.map((hash, i) => `    ${i + 1}. ${hash.type} ${hash.value}`),
    '  制章者证书 maker:',
    ...certificateLines(seal.maker, '    '),
    `  签名算法 algorithm: ${seal.signatureAlgorithm}`,
    `  印章图像 picture: ${seal.picture.type}, ${seal.picture.bytes} bytes, ${seal.picture.widthMm} × ${seal.picture.heightMm} mm, SM3 ${seal.picture.sm3}`,
  );
  if (seal.extDatas.length > 0) lines.push(`  扩展数据 extDatas: ${seal.extDatas.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
