/** The readable form of a verification report: the verdict first, the license in Chinese, then every check. */
import pc from 'picocolors';
import type { Check, LicenseSummary, PdfSignatureSummary, VerificationReport } from '@elicense/core';

const VERDICT = {
  TOTAL_PASSED: { mark: '✔', label: '有效 (TOTAL_PASSED)', color: pc.green },
  TOTAL_FAILED: { mark: '✘', label: '无效 (TOTAL_FAILED)', color: pc.red },
  INDETERMINATE: { mark: '?', label: '无法确认 (INDETERMINATE)', color: pc.yellow },
} as const;

const LICENSE_LABELS: [keyof LicenseSummary, string][] = [
  ['typeName', '证照名称'],
  ['typeCode', '证照类型代码'],
  ['identifier', '证照标识'],
  ['number', '证照编号'],
  ['holderName', '持证主体'],
  ['holderCode', '持证主体代码'],
  ['issuerName', '颁证机构'],
  ['issuerCode', '颁证机构代码'],
  ['validFrom', '有效期起始'],
  ['validUntil', '有效期截止'],
];

function checkLine(check: Check): string {
  const verdict = VERDICT[check.indication];
  const sub = check.subIndication ? ` ${check.subIndication}` : '';
  const sig = check.signature === undefined ? '' : ` [签名 ${check.signature}]`;
  return `  ${verdict.color(verdict.mark)} ${check.id}${sig}${pc.dim(sub)}  ${check.message}`;
}

/** The license's metadata and 照面 fields under Chinese labels: `verify` and `inspect` show a license alike. */
export function formatLicenseSummary(license: LicenseSummary): string[] {
  const lines = [pc.bold('证照信息')];
  for (const [key, label] of LICENSE_LABELS) {
    const value = license[key];
    if (typeof value === 'string') lines.push(`  ${label}: ${value}`);
  }
  if (license.validFrom && license.validUntil === undefined) lines.push('  有效期截止: 长期有效');
  if (license.fields) {
    lines.push(pc.bold('照面信息'));
    for (const [name, value] of Object.entries(license.fields)) {
      lines.push(`  ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  }
  return lines;
}

const PDF_KIND = { certification: '认证签名 certification', approval: '审批签名 approval', timestamp: '文档时间戳 document timestamp' } as const;

/** Where a PDF signature sits and what it proves: field, level, coverage, times. */
function pdfSignatureLine(pdf: PdfSignatureSummary): string {
  const parts: string[] = [PDF_KIND[pdf.kind], `域 field "${pdf.field}"`];
  if (pdf.level) parts.push(`PAdES ${pdf.level}`);
  if (pdf.coveredBytes !== undefined && pdf.fileBytes !== undefined) {
    parts.push(pdf.wholeFile ? `覆盖全文 covers the whole file (${pdf.fileBytes} bytes)` : `覆盖 covers ${pdf.coveredBytes} of ${pdf.fileBytes} bytes (later revisions follow)`);
  }
  if (pdf.timestampTime) parts.push(`时间戳 ${pdf.timestampTime}`);
  else if (pdf.claimedSigningTime) parts.push(`声称签名时间 claimed ${pdf.claimedSigningTime}`);
  return parts.join(' · ');
}

export function formatHumanReport(report: VerificationReport, file: string): string {
  const verdict = VERDICT[report.indication];
  const lines = [
    `${verdict.color(`${verdict.mark} ${verdict.label}`)}${report.subIndication ? ` ${report.subIndication}` : ''}  ${file} (${report.format})`,
    `验证时间 ${report.validationTime}`,
  ];
  if (report.license) lines.push('', ...formatLicenseSummary(report.license));
  if (report.signatures.length > 0) {
    lines.push('', pc.bold('签名'));
    for (const s of report.signatures) {
      const v = VERDICT[s.indication];
      lines.push(`  ${v.color(v.mark)} #${s.index} ${s.alg} ${s.indication}${s.subIndication ? ` ${s.subIndication}` : ''}${s.signer ? `  ${s.signer.subject}` : ''}`);
      if (s.pdf) lines.push(pc.dim(`      ${pdfSignatureLine(s.pdf)}`));
    }
  }
  lines.push('', pc.bold('检查项'), ...report.checks.map(checkLine));
  if (report.trustList) {
    lines.push('', `信任列表 #${report.trustList.sequence} sha256 ${report.trustList.sha256}${report.trustList.stale ? pc.yellow(' (已过期 stale)') : ''}`);
  }
  for (const source of report.statusSources ?? []) lines.push(`状态列表 ${source.source} sha256 ${source.sha256}`);
  if (report.warnings.length > 0) lines.push('', pc.yellow('警告'), ...report.warnings.map((w) => `  ! ${w}`));
  return lines.join('\n');
}
