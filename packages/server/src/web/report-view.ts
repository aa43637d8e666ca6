/**
 * What the /verify page tells a counter clerk, in Chinese, from a verification report: the verdict
 * and why, the license's metadata and 照面 fields, the issuer, the status and when it was checked.
 * Pure functions over the report, so the wording is testable without a browser.
 */
import type { VerificationReport } from '@elicense/sdk';

type Check = VerificationReport['checks'][number];

export type VerdictTone = 'valid' | 'invalid' | 'unknown';

export interface Verdict {
  readonly tone: VerdictTone;
  /** 有效 / 无效 / 无法确认. */
  readonly title: string;
  /** The reason in a sentence. */
  readonly explanation: string;
  /** TOTAL_PASSED, or e.g. TOTAL_FAILED / HASH_FAILURE: the report's own words, for support. */
  readonly code: string;
}

const SUB_INDICATION_ZH: Readonly<Record<string, string>> = {
  FORMAT_FAILURE: '文件格式不正确或无法读取',
  HASH_FAILURE: '文件内容在签名后被改动过',
  SIG_CRYPTO_FAILURE: '签名值验证失败，文件可能被篡改',
  REVOKED: '证照或签名证书已被吊销（注销）',
  EXPIRED: '证照或证书已过有效期',
  NOT_YET_VALID: '证照或证书尚未生效',
  NO_CERTIFICATE_CHAIN_FOUND: '签发者不在可信名单中，找不到可信的证书链',
  CHAIN_CONSTRAINTS_FAILURE: '签名证书链不符合要求',
  SIG_CONSTRAINTS_FAILURE: '签名或印章不符合要求',
  CRYPTO_CONSTRAINTS_FAILURE: '签名算法不被接受',
  OUT_OF_BOUNDS_NO_POE: '签名证书已失效，且没有签名时间的证明',
  NO_SIGNING_CERTIFICATE_FOUND: '找不到签名证书',
  REVOKED_NO_POE: '签名证书已吊销，且没有签名时间的证明',
  TRY_LATER: '暂时无法确认（例如证照状态无法获取或证照已暂扣），请稍后再试或联系发证机关',
  SIGNED_DATA_NOT_FOUND: '找不到被签名的证照数据',
};

export function verdictOf(report: VerificationReport): Verdict {
  const code = report.subIndication ? `${report.indication} / ${report.subIndication}` : report.indication;
  if (report.indication === 'TOTAL_PASSED') {
    return { tone: 'valid', title: '有效', explanation: '签名、签发机关与证照状态均已核验通过。', code };
  }
  const why = (report.subIndication && SUB_INDICATION_ZH[report.subIndication]) ?? '未通过核验';
  return report.indication === 'TOTAL_FAILED'
    ? { tone: 'invalid', title: '无效', explanation: `${why}。`, code }
    : { tone: 'unknown', title: '无法确认', explanation: `${why}。`, code };
}

/** Check id prefixes and what they check, most specific first. */
const CHECK_NAMES: readonly (readonly [string, string])[] = [
  ['license.status', '证照状态（吊销、暂扣）'],
  ['license.validity', '证照有效期'],
  ['license.', '证照内容'],
  ['pdf.byte-range', '签名覆盖范围'],
  ['pdf.modifications', '签名后的改动'],
  ['pdf.', 'PDF 文件与签名'],
  ['cms.', '签名数据'],
  ['jws.', '电子签名'],
  ['cert.', '签名证书'],
  ['tsp.', '时间戳'],
  ['trust.seal', '印章登记'],
  ['trust.', '信任列表与签发机关'],
  ['seal.', '电子印章'],
  ['ses.', '电子签章'],
  ['ofd.', 'OFD 文件与签章'],
  ['qr.', '二维码'],
  ['format.', '文件格式'],
];

export function checkName(id: string): string {
  return CHECK_NAMES.find(([prefix]) => id === prefix || id.startsWith(prefix))?.[1] ?? id;
}

export const failingChecks = (report: VerificationReport): Check[] => report.checks.filter((c) => c.indication !== 'TOTAL_PASSED');

export interface StatusView {
  readonly tone: VerdictTone;
  /** 正常 / 已吊销 / 已暂扣 / 无法确认. */
  readonly title: string;
  readonly detail: string;
}

/** The license.status check in words; undefined when the report has none (an unreadable file). */
export function statusOf(report: VerificationReport): StatusView | undefined {
  const check = report.checks.find((c) => c.id === 'license.status');
  if (!check) return undefined;
  if (check.indication === 'TOTAL_PASSED') return { tone: 'valid', title: '正常（未吊销、未暂扣）', detail: check.message };
  if (check.subIndication === 'REVOKED') return { tone: 'invalid', title: '已吊销（注销）', detail: check.message };
  // Core reports a suspension as INDETERMINATE (TRY_LATER): it may be lifted, so it is not a failure.
  if (/\bsuspended\b/.test(check.message)) return { tone: 'unknown', title: '已暂扣（暂停使用）', detail: check.message };
  return { tone: check.indication === 'TOTAL_FAILED' ? 'invalid' : 'unknown', title: '无法确认', detail: check.message };
}

const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const DATE = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });

/** An ISO time in Beijing time, e.g. 2026/05/04 14:03:09 (the page says once that times are Beijing time). */
export function beijingTime(iso: string | undefined): string {
  if (!iso) return '—';
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : DATE_TIME.format(time);
}

function beijingDate(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : DATE.format(time);
}

/** 有效期 as printed: from a day to a day, or 长期. */
export function validityText(validFrom: string | undefined, validUntil: string | undefined): string {
  if (!validFrom && !validUntil) return '—';
  return `${validFrom ? beijingDate(validFrom) : '—'} 至 ${validUntil ? beijingDate(validUntil) : '长期'}`;
}

/** The license's metadata rows (证照名称, 证照编号, 持证主体, 发证机关, 有效期…), only those present. */
export function metadataRows(license: NonNullable<VerificationReport['license']>): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['证照名称', license.typeName],
    ['证照编号', license.number],
    ['证照标识', license.identifier],
    ['持证主体', license.holderName],
    ['持证主体代码', license.holderCode],
    ['发证机关', license.issuerName],
    ['发证机关代码', license.issuerCode],
    ['有效期', license.validFrom || license.validUntil ? validityText(license.validFrom, license.validUntil) : undefined],
  ];
  return rows.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '');
}

/** 照面 fields: keys are the printed Chinese names already; values as text. */
export function fieldRows(fields: Readonly<Record<string, unknown>> | undefined): [string, string][] {
  if (!fields) return [];
  const text = (value: unknown): string => {
    if (Array.isArray(value)) return value.map(text).join('；');
    if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}：${text(v)}`).join('；');
    return String(value);
  };
  return Object.entries(fields).map(([name, value]) => [name, text(value)]);
}
