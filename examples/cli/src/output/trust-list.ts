/** A trust list's content as readable lines and as JSON data, for `trust-list show` and `inspect`. */
import pc from 'picocolors';
import { defaultLicenseTypeRegistry, parseCertificate, type TrustListContent } from '@elicense/core';
import { certificateData } from './certificate.js';

function typeName(code: string): string {
  return defaultLicenseTypeRegistry.find(code)?.name ?? '(not in the local type registry)';
}

/** An unverified list may carry anything: a certificate that cannot be read is shown as such. */
function certificate(der: Uint8Array): Record<string, unknown> {
  try {
    return certificateData(parseCertificate(der));
  } catch (error) {
    return { unreadable: (error as Error).message };
  }
}

function subjectLine(der: Uint8Array): string {
  const data = certificate(der);
  return `      ${typeof data.subject === 'string' ? data.subject : `(unreadable certificate: ${String(data.unreadable)})`}`;
}

export function trustListContentData(content: TrustListContent): Record<string, unknown> {
  return {
    sequence: content.sequence,
    issued: content.issued,
    nextUpdate: content.nextUpdate,
    operator: content.operator,
    issuers: content.issuers.map((issuer) => ({
      name: issuer.name,
      code: issuer.code,
      licenseTypes: issuer.licenseTypes.map((code) => ({ code, name: typeName(code) })),
      certificates: issuer.certificates.map(certificate),
    })),
    statusIssuers: content.statusIssuers.map((s) => ({ name: s.name, code: s.code, certificates: s.certificates.map(certificate) })),
    timestampAuthorities: (content.timestampAuthorities ?? []).map((t) => ({ name: t.name, code: t.code, certificates: t.certificates.map(certificate) })),
    sealMakers: (content.sealMakers ?? []).map((m) => ({ name: m.name, code: m.code, certificates: m.certificates.map(certificate) })),
  };
}

/** `stale` is known only for a verified list judged at a time; an inspected one leaves it out. */
export function trustListContentLines(content: TrustListContent, stale?: boolean): string[] {
  const freshness = stale === undefined ? '' : stale ? pc.yellow('  已过期 STALE: verifiers report trust as INDETERMINATE (TRY_LATER)') : '  (current)';
  const lines = [
    `  运营机构 operator: ${content.operator.name} (${content.operator.code})`,
    `  序号 sequence: ${content.sequence}`,
    `  发布时间 issued: ${content.issued}`,
    `  下次更新 next update: ${content.nextUpdate}${freshness}`,
    '',
    pc.bold(`颁证机构 issuers (${content.issuers.length})`),
  ];
  for (const issuer of content.issuers) {
    lines.push(`  ${issuer.name}  统一社会信用代码 ${issuer.code}`, '    可颁发证照类型 license types:');
    for (const code of issuer.licenseTypes) lines.push(`      ${code}  ${typeName(code)}`);
    lines.push('    证书 certificates:', ...issuer.certificates.map(subjectLine));
    if (issuer.seals && issuer.seals.length > 0) {
      lines.push('    登记印章 registered seals:');
      for (const seal of issuer.seals) lines.push(`      ${seal.esID}  ${seal.name}  ${seal.status}  ${seal.validStart} – ${seal.validEnd}`);
    }
  }
  if (content.statusIssuers.length > 0) {
    lines.push('', pc.bold(`状态列表签发机构 status issuers (${content.statusIssuers.length})`));
    for (const s of content.statusIssuers) lines.push(`  ${s.name}  统一社会信用代码 ${s.code}`, ...s.certificates.map(subjectLine));
  }
  const tsas = content.timestampAuthorities ?? [];
  if (tsas.length > 0) {
    lines.push('', pc.bold(`时间戳服务机构 time-stamping authorities (${tsas.length})`));
    for (const t of tsas) lines.push(`  ${t.name}  统一社会信用代码 ${t.code}`, ...t.certificates.map(subjectLine));
  }
  const makers = content.sealMakers ?? [];
  if (makers.length > 0) {
    lines.push('', pc.bold(`制章者 seal makers (${makers.length})`));
    for (const m of makers) lines.push(`  ${m.name}  统一社会信用代码 ${m.code}`, ...m.certificates.map(subjectLine));
  }
  return lines;
}
