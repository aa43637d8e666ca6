/**
 * The stamp an annotated copy (加注件) carries on every page: a diagonal watermark with the purpose and
 * the expiry across the page, and a boxed notice above the bottom margin with every fact (purpose name
 * and code, the approval system it was released to, expiry, copy id, time of release). Both print in
 * red with the Multiply blend, as ink on paper: the license's own text stays readable through them.
 * The watermark is also translucent, since it crosses the field table, and is marked with an empty
 * /ActualText (ISO 32000-1 §14.9.4): turned across the field table, its characters would otherwise
 * interleave with the license's in every text extraction. The notice is plain text, so the facts can be
 * searched and copied. (Drawn as glyph outlines instead, the watermark added a third to the file.)
 */
import type { CjkFont } from '../pdf/render/cjk-font.js';
import { num } from '../pdf/render/outline-path.js';
import { wrapText } from '../pdf/render/wrap-text.js';
import type { CopyAnnotation } from './annotated-copy.js';

/** What the stamp prints: the release's facts. */
export type StampFacts = CopyAnnotation;

export interface StampResources {
  /** The font the outlines and widths come from. */
  readonly font: CjkFont;
  /** Encodes text for the embedded font under `fontKey` (a hex string operand). */
  readonly encode: (text: string) => string;
  readonly fontKey: string;
  /** ExtGState names: translucent Multiply for the watermark, opaque Multiply for the notice. */
  readonly watermarkState: string;
  readonly noticeState: string;
}

/** Opacity of the watermark: legible, and the field values under it stay readable. */
export const WATERMARK_OPACITY = 0.28;
const RED = [0.8, 0.08, 0.08] as const;
const NOTICE_SIZE = 10;
const NOTICE_TITLE_SIZE = 13;
const NOTICE_LEADING = 1.5;
const NOTICE_PADDING = 8;
const MAX_WATERMARK_SIZE = 40;
const MIN_WATERMARK_SIZE = 12;

/** `2026-06-30T15:59Z` as printed: `2026年06月30日 23:59`, China time (UTC+8, no daylight saving). */
export function chinaDateTime(date: Date): string {
  const china = new Date(date.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${china.getUTCFullYear()}年${pad(china.getUTCMonth() + 1)}月${pad(china.getUTCDate())}日 ${pad(china.getUTCHours())}:${pad(china.getUTCMinutes())}`;
}

export function watermarkLines(facts: StampFacts): [string, string] {
  return [`仅供办理${facts.purposeName}使用`, `有效期至${chinaDateTime(facts.expires)}`];
}

export function noticeTitle(): string {
  return '电子证照加注件';
}

/** The notice's paragraphs, before wrapping. */
export function noticeParagraphs(facts: StampFacts, originalName: string): string[] {
  return [
    `仅供办理“${facts.purposeName}”使用，有效期至${chinaDateTime(facts.expires)}，他用无效。`,
    `事项编码：${facts.purposeCode}`,
    `用证系统：${facts.recipientName}`,
    `加注件编号：${facts.copyId}\u3000加注时间：${chinaDateTime(facts.issuedAt)}`,
    `原件（含颁证机构签章）为本文件附件 ${originalName}`,
  ];
}

/** Every text the stamp draws, for subsetting the font and checking it has every glyph. */
export function stampTexts(facts: StampFacts, originalName: string): string[] {
  return [...watermarkLines(facts), noticeTitle(), ...noticeParagraphs(facts, originalName)];
}

/** Content-stream operators drawing the stamp on a page with the given media box. */
export function stampOperators(mediaBox: readonly [number, number, number, number], facts: StampFacts, originalName: string, res: StampResources): string {
  const [x0, y0, x1, y1] = mediaBox;
  return [watermark(x0, y0, x1 - x0, y1 - y0, facts, res), notice(x0, y0, x1 - x0, y1 - y0, facts, originalName, res)].join('\n');
}

function watermark(x0: number, y0: number, width: number, height: number, facts: StampFacts, res: StampResources): string {
  const { font } = res;
  const [main, sub] = watermarkLines(facts);
  const angle = Math.atan2(height, width);
  const size = Math.max(MIN_WATERMARK_SIZE, Math.min(MAX_WATERMARK_SIZE, (Math.hypot(width, height) * 0.7) / font.widthOf(main)));
  const subSize = size * 0.6;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = x0 + width / 2;
  const cy = y0 + height / 2;
  // Each line centred on the diagonal, the purpose above it and the expiry below; `offset` is across it.
  const line = (text: string, textSize: number, offset: number) => {
    const along = -(font.widthOf(text) * textSize) / 2;
    const x = cx + along * cos - offset * sin;
    const y = cy + along * sin + offset * cos;
    return `/${res.fontKey} ${num(textSize)} Tf ${[cos, sin, -sin, cos].map((v) => v.toFixed(4)).join(' ')} ${num(x)} ${num(y)} Tm ${res.encode(text)} Tj`;
  };
  return `/Span <</ActualText ()>> BDC q /${res.watermarkState} gs BT ${rgb('rg')} ${line(main, size, size * 0.15)} ${line(sub, subSize, -subSize * 1.3)} ET Q EMC`;
}

function notice(x0: number, y0: number, width: number, height: number, facts: StampFacts, originalName: string, res: StampResources): string {
  const margin = Math.max(24, width * 0.1);
  const boxWidth = width - 2 * margin;
  const lines = noticeParagraphs(facts, originalName).flatMap((p) => wrapText(p, boxWidth - 2 * NOTICE_PADDING, (t) => res.font.widthOf(t) * NOTICE_SIZE));
  const boxHeight = NOTICE_PADDING * 2 + NOTICE_TITLE_SIZE * 1.4 + lines.length * NOTICE_SIZE * NOTICE_LEADING;
  // Above the bottom margin, where a license keeps its identifier line.
  const bottom = y0 + Math.max(60, height * 0.08);
  const left = x0 + margin;
  const top = bottom + boxHeight;
  const text: string[] = [];
  const title = noticeTitle();
  const titleWidth = res.font.widthOf(title) * NOTICE_TITLE_SIZE;
  let baseline = top - NOTICE_PADDING - NOTICE_TITLE_SIZE;
  // The title in the 2 Tr stroke-and-fill the license uses for its bold.
  text.push(`2 Tr ${num(NOTICE_TITLE_SIZE * 0.028)} w /${res.fontKey} ${num(NOTICE_TITLE_SIZE)} Tf 1 0 0 1 ${num(left + (boxWidth - titleWidth) / 2)} ${num(baseline)} Tm ${res.encode(title)} Tj 0 Tr`);
  baseline -= NOTICE_TITLE_SIZE * 0.4 + NOTICE_SIZE * NOTICE_LEADING;
  for (const line of lines) {
    text.push(`/${res.fontKey} ${NOTICE_SIZE} Tf 1 0 0 1 ${num(left + NOTICE_PADDING)} ${num(baseline)} Tm ${res.encode(line)} Tj`);
    baseline -= NOTICE_SIZE * NOTICE_LEADING;
  }
  const frame = `${rgb('RG')} 1.2 w ${num(left)} ${num(bottom)} ${num(boxWidth)} ${num(boxHeight)} re S 0.5 w ${num(left + 2.5)} ${num(bottom + 2.5)} ${num(boxWidth - 5)} ${num(boxHeight - 5)} re S`;
  return `q /${res.noticeState} gs ${frame} BT ${rgb('rg')} ${rgb('RG')} ${text.join(' ')} ET Q`;
}

function rgb(operator: 'rg' | 'RG'): string {
  return `${RED.join(' ')} ${operator}`;
}
