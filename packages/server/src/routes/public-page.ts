/**
 * The page behind a license's QR code (`/q?id=<identifier>`): the license's current status and its
 * minimal public fields, for anyone holding the paper. A natural person's name is masked; codes are
 * shown only in part. Server-rendered HTML with no script, so it works on any phone.
 */
import type { Request, Response, Router } from 'express';
import type { ServerContext } from '../context.js';
import type { LicensesTable } from '../db/schema.js';
import { licenseView } from '../services/reads.js';

const STATE_TEXT = {
  valid: ['有效', 'valid'],
  expired: ['已过期', 'expired'],
  suspended: ['已暂扣（暂停使用）', 'suspended'],
  revoked: ['已注销或吊销', 'revoked'],
  superseded: ['已被新版本取代', 'superseded'],
} as const;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** 赵德华 → 赵*华; 张三 → 张*. */
export function maskPersonName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/** 91330106MA2CK7Q13N → 913301**********3N. */
export function maskCode(code: string): string {
  return code.length <= 8 ? code : `${code.slice(0, 6)}${'*'.repeat(code.length - 8)}${code.slice(-2)}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:"Noto Serif SC","Songti SC",serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{color:#666}
.state{font-size:1.2rem;font-weight:bold;padding:.6rem 1rem;border-radius:.4rem;display:inline-block}
.valid{background:#e6f4ea;color:#1e6b34}.bad{background:#fde8e8;color:#9b1c1c}small{color:#666}</style></head>
<body>${body}</body></html>`;
}

function licensePage(ctx: ServerContext, row: LicensesTable): string {
  const view = licenseView(ctx, row);
  const [stateZh, stateClass] = STATE_TEXT[view.state];
  const type = ctx.registry.find(row.type_code);
  const credential = JSON.parse(row.credential) as { credentialSubject: { certificateIssuingAuthorityName: string; certificateHolderTypeCode: string; certificateExpiringDate: string; certificateEffectiveDate: string } };
  const subject = credential.credentialSubject;
  const holder = subject.certificateHolderTypeCode === '111' ? maskPersonName(row.holder_name) : row.holder_name;
  const rows: [string, string][] = [
    ['证照名称', type?.name ?? row.type_code],
    ['证照标识', row.identifier],
    ['持证主体', holder],
    ['持证主体代码', maskCode(row.holder_code)],
    ['发证机关', subject.certificateIssuingAuthorityName],
    ['有效期', `${subject.certificateEffectiveDate} 至 ${subject.certificateExpiringDate}`],
    ...(row.superseded_by ? [['新版本', row.superseded_by] as [string, string]] : []),
  ];
  return page(`${type?.name ?? '电子证照'} 状态查询`, `
<h1>电子证照状态查询</h1>
<p class="state ${stateClass === 'valid' ? 'valid' : 'bad'}">${escapeHtml(stateZh)}</p>
<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<p><small>查询时间 ${escapeHtml(ctx.now().toISOString())}。此页只显示公开信息；核验证照请使用完整的电子证照文件（PDF 或 JSON）。</small></p>`);
}

export function publicPageRoutes(router: Router, ctx: ServerContext): void {
  router.get('/q', async (req: Request, res: Response) => {
    const id = typeof req.query.id === 'string' && req.query.id.length <= 128 ? req.query.id : '';
    const row = id ? await ctx.db.selectFrom('licenses').selectAll().where('identifier', '=', id).executeTakeFirst() : undefined;
    res.set('Cache-Control', `public, max-age=${Math.min(60, ctx.config.statusMaxAgeSeconds)}`);
    if (!row) {
      res.status(404).type('html').send(page('未找到电子证照', '<h1>未找到该电子证照</h1><p>请核对二维码或证照标识。</p>'));
      return;
    }
    res.type('html').send(licensePage(ctx, row));
  });
}
