/** Certificates and CRLs as readable lines and as JSON data, for `ca show`, `inspect` and `trust-list show`. */
import { createHash } from 'node:crypto';
import type { CertificateInfo, CertificateListInfo, SignatureAlgorithm, UnsupportedAlgorithm } from '@elicense/core';

function algorithmName(alg: SignatureAlgorithm | UnsupportedAlgorithm): string {
  return typeof alg === 'string' ? alg : `unsupported (${alg.unsupported})`;
}

export function certificateData(info: CertificateInfo): Record<string, unknown> {
  return {
    subject: info.subject,
    issuer: info.issuer,
    serialNumber: info.serialNumber,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    ...(info.organizationName === undefined ? {} : { organizationName: info.organizationName }),
    ...(info.organizationCode === undefined ? {} : { organizationCode: info.organizationCode }),
    keyType: info.keyType,
    signatureAlgorithm: algorithmName(info.signatureAlgorithm),
    ...(info.basicConstraints === undefined ? {} : { basicConstraints: info.basicConstraints }),
    ...(info.keyUsage === undefined ? {} : { keyUsage: info.keyUsage }),
    ...(info.extKeyUsage === undefined ? {} : { extKeyUsage: info.extKeyUsage }),
    ...(info.crlDistributionPoints.length === 0 ? {} : { crlDistributionPoints: info.crlDistributionPoints }),
    selfIssued: info.selfIssued,
    sha256: createHash('sha256').update(info.der).digest('hex'),
  };
}

function role(info: CertificateInfo): string {
  if (!info.basicConstraints?.ca) return '终端实体 end entity';
  const path = info.basicConstraints.pathLen === undefined ? '' : `, pathLen ${info.basicConstraints.pathLen}`;
  return `${info.selfIssued ? '根 CA root' : '中间 CA intermediate'}${path}`;
}

/** The facts an operator checks first, one per line, Chinese label first. */
export function certificateLines(info: CertificateInfo, indent = '  '): string[] {
  const lines = [
    `主体 subject: ${info.subject}`,
    `颁发者 issuer: ${info.issuer}`,
    `序列号 serial: ${info.serialNumber}`,
    `有效期 validity: ${info.notBefore.toISOString()} – ${info.notAfter.toISOString()}`,
  ];
  if (info.organizationName !== undefined) lines.push(`机构名称 organisation: ${info.organizationName}`);
  if (info.organizationCode !== undefined) lines.push(`统一社会信用代码: ${info.organizationCode}`);
  lines.push(
    `类型 role: ${role(info)}`,
    `密钥 key: ${info.keyType}, 签名算法 signed with ${algorithmName(info.signatureAlgorithm)}`,
  );
  if (info.keyUsage !== undefined) lines.push(`密钥用法 key usage: ${info.keyUsage.join(', ')}`);
  if (info.extKeyUsage !== undefined) lines.push(`扩展密钥用法 extended key usage: ${info.extKeyUsage.join(', ')}`);
  for (const url of info.crlDistributionPoints) lines.push(`CRL: ${url}`);
  lines.push(`SHA-256: ${createHash('sha256').update(info.der).digest('hex')}`);
  return lines.map((line) => `${indent}${line}`);
}

export function crlData(info: CertificateListInfo): Record<string, unknown> {
  return {
    issuer: info.issuer,
    thisUpdate: info.thisUpdate.toISOString(),
    ...(info.nextUpdate === undefined ? {} : { nextUpdate: info.nextUpdate.toISOString() }),
    ...(info.crlNumber === undefined ? {} : { crlNumber: info.crlNumber }),
    signatureAlgorithm: algorithmName(info.signatureAlgorithm),
    revoked: info.revoked.map((entry) => ({
      serialNumber: entry.serialNumber,
      revocationDate: entry.revocationDate.toISOString(),
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    })),
  };
}

export function crlLines(info: CertificateListInfo, indent = '  '): string[] {
  const lines = [
    `颁发者 issuer: ${info.issuer}`,
    `本次更新 this update: ${info.thisUpdate.toISOString()}`,
    `下次更新 next update: ${info.nextUpdate?.toISOString() ?? '(none)'}`,
    `CRL 编号 number: ${info.crlNumber ?? '(none)'}`,
    `签名算法 signed with: ${algorithmName(info.signatureAlgorithm)}`,
    `已吊销 revoked: ${info.revoked.length}`,
    ...info.revoked.map(
      (entry) => `  ${entry.serialNumber}  ${entry.revocationDate.toISOString()}${entry.reason === undefined ? '' : `  ${entry.reason}`}`,
    ),
  ];
  return lines.map((line) => `${indent}${line}`);
}
