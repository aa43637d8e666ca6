/**
 * Where everything on a license page goes, in PDF points (origin bottom left): a double frame, the title
 * centred in large type, the field table, the QR code bottom left, and the issuing authority and date
 * bottom right with the seal over them, as on printed Chinese licenses.
 */
import type { LicensePageContent, TableRow } from './license-page-content.js';
import { wrapText, type MeasureText } from './wrap-text.js';

export const PT_PER_MM = 72 / 25.4;
const mm = (value: number) => value * PT_PER_MM;

export type Rgb = readonly [number, number, number];

export interface TextItem {
  readonly kind: 'text';
  readonly text: string;
  /** Left end of the baseline. */
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly bold?: boolean;
  /** Extra space after each character, in points. */
  readonly spacing?: number;
  readonly color: Rgb;
}

export interface RectItem {
  readonly kind: 'rect';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly fill?: Rgb;
  readonly stroke?: Rgb;
  readonly lineWidth?: number;
}

export interface LineItem {
  readonly kind: 'line';
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly lineWidth: number;
  readonly color: Rgb;
}

export type DrawItem = TextItem | RectItem | LineItem;

export interface PageLayout {
  readonly width: number;
  readonly height: number;
  /** The decorative frame, painted first; the same on every page of this size. */
  readonly frame: readonly RectItem[];
  /** Table and text, in painting order, over the frame. */
  readonly items: readonly DrawItem[];
  /** The square the QR code's modules fill (its quiet zone lies around it). */
  readonly qr: { readonly x: number; readonly y: number; readonly size: number };
  /** The seal's centre and diameter. */
  readonly seal: { readonly centerX: number; readonly centerY: number; readonly diameter: number };
}

export interface PageLayoutOptions {
  readonly widthMm: number;
  readonly heightMm: number;
  readonly sealDiameterMm: number;
  /** Width of text at a size of 1. */
  readonly measure: MeasureText;
}

export const FRAME_COLOR: Rgb = [0.62, 0.13, 0.11];
const INK: Rgb = [0, 0, 0];
const LABEL_INK: Rgb = [0.12, 0.12, 0.12];
const RULE: Rgb = [0.25, 0.25, 0.25];
const LABEL_FILL: Rgb = [0.965, 0.945, 0.91];

/** The QR code's module area: 30 mm prints reliably for up to about 600 bytes of content. */
export const QR_SIZE_MM = 30;
const LARGEST_TEXT = 12;
const SMALLEST_TEXT = 7;
const TRUNCATION_MARK = '……';
/** The ideographic em box of CJK fonts: 0.88 em above the baseline, 0.12 em below. */
const EM_ASCENT = 0.88;

export function layoutLicensePage(content: LicensePageContent, options: PageLayoutOptions): PageLayout {
  const width = mm(options.widthMm);
  const height = mm(options.heightMm);
  const { measure } = options;
  const items: DrawItem[] = [];
  const left = mm(20);
  const right = width - mm(20);
  const top = height - mm(20);
  const bottom = mm(17);

  const title = titleItem(content.title, left, right, top, measure);
  items.push(title);

  // The identifier line along the bottom edge.
  const identifier = `电子证照标识：${content.identifier}`;
  const identifierSize = Math.min(8, (right - left) / Math.max(1, measure(identifier)));
  items.push(text(identifier, (left + right - identifierSize * measure(identifier)) / 2, bottom, identifierSize, LABEL_INK));

  // The table takes the space down to the QR code and seal block; when it is short, the block moves up
  // under it rather than leaving a gap in the middle of the page.
  const sealDiameter = mm(options.sealDiameterMm);
  const authoritySize = 12;
  const dateOffset = mm(17);
  const authorityOffset = dateOffset + mm(9);
  // The seal centres between the two lines' em boxes.
  const sealOffset = (dateOffset + authorityOffset) / 2 + authoritySize * 0.38;
  // Room under the code for its quiet zone (4 modules: up to 5.7 mm for the smallest symbol) and the caption.
  const qrOffset = mm(14);
  const blockHeight = Math.max(qrOffset + mm(QR_SIZE_MM + 4), sealOffset + sealDiameter / 2 + mm(3));
  const tableTop = title.y - mm(12);
  const tableSpace = table(content.rows, left, right, tableTop, bottom + mm(4) + blockHeight, measure);
  const lift = Math.max(0, tableSpace.bottom - (bottom + mm(4) + blockHeight));
  const base = bottom + lift;

  const qrSize = mm(QR_SIZE_MM);
  const qr = { x: left + mm(4), y: base + qrOffset, size: qrSize };
  const caption = '扫码核验';
  items.push(text(caption, qr.x + (qrSize - 8 * measure(caption)) / 2, base + mm(5), 8, LABEL_INK));

  const authorityLine = `${content.authorityLabel}：${content.authorityName}`;
  const blockRight = right - mm(6);
  const roomForAuthority = blockRight - (qr.x + qrSize + mm(10));
  const authorityTextSize = Math.min(authoritySize, roomForAuthority / Math.max(1, measure(authorityLine)));
  const authorityWidth = authorityTextSize * measure(authorityLine);
  const dateWidth = authoritySize * measure(content.issuedDate);
  const dateY = base + dateOffset;
  const authorityY = base + authorityOffset;
  items.push(text(authorityLine, blockRight - authorityWidth, authorityY, authorityTextSize, INK));
  // The date sits centred under the authority's name, where the seal's lower half covers it.
  const nameWidth = authorityTextSize * measure(content.authorityName);
  const nameCenter = blockRight - nameWidth / 2;
  const dateX = Math.min(nameCenter - dateWidth / 2, blockRight - dateWidth);
  items.push(text(content.issuedDate, dateX, dateY, authoritySize, INK));
  const seal = {
    centerX: Math.min(nameCenter, right - sealDiameter / 2),
    centerY: base + sealOffset,
    diameter: sealDiameter,
  };
  items.push(...tableSpace.items);
  return { width, height, frame: frame(width, height), items, qr, seal };
}

function text(value: string, x: number, y: number, size: number, color: Rgb, extra: Partial<TextItem> = {}): TextItem {
  return { kind: 'text', text: value, x, y, size, color, ...extra };
}

/** Centred, letter-spaced wider the shorter the title is, as 营业执照 and 许可证 titles are set. */
function titleItem(title: string, left: number, right: number, top: number, measure: MeasureText): TextItem {
  const count = [...title].length;
  const spacingEm = count <= 4 ? 0.8 : count <= 8 ? 0.4 : 0.12;
  const naturalWidth = measure(title) + spacingEm * (count - 1);
  const size = Math.min(34, (0.86 * (right - left)) / Math.max(naturalWidth, 1));
  const width = size * naturalWidth;
  return text(title, (left + right - width) / 2, top - size * EM_ASCENT - mm(4), size, INK, { bold: true, spacing: spacingEm * size });
}

/** A heavy outer rule, a fine inner rule and a chain of small squares between them. */
function frame(width: number, height: number): RectItem[] {
  const outer = mm(8);
  const inner = mm(11);
  const items: RectItem[] = [
    { kind: 'rect', x: outer, y: outer, width: width - 2 * outer, height: height - 2 * outer, stroke: FRAME_COLOR, lineWidth: 2.4 },
    { kind: 'rect', x: inner, y: inner, width: width - 2 * inner, height: height - 2 * inner, stroke: FRAME_COLOR, lineWidth: 0.7 },
  ];
  const middle = (outer + inner) / 2;
  const step = mm(2.6);
  const half = mm(0.45);
  const squares = (x1: number, y1: number, x2: number, y2: number) => {
    const length = Math.hypot(x2 - x1, y2 - y1);
    const count = Math.floor(length / step);
    const gap = length / count;
    for (let i = 0; i <= count; i++) {
      const t = (i * gap) / length;
      const x = x1 + (x2 - x1) * t;
      const y = y1 + (y2 - y1) * t;
      items.push({ kind: 'rect', x: x - half, y: y - half, width: 2 * half, height: 2 * half, fill: FRAME_COLOR });
    }
  };
  squares(middle, middle, width - middle, middle);
  squares(middle, height - middle, width - middle, height - middle);
  squares(middle, middle + step, middle, height - middle - step);
  squares(width - middle, middle + step, width - middle, height - middle - step);
  return items;
}

interface CellLayout {
  readonly label: string[];
  value: string[];
  readonly labelWidth: number;
  readonly valueWidth: number;
}

/**
 * The field table, in the largest type size (12 pt down to 7 pt) at which it fits between `top` and
 * `bottom`. Rows grow to fill the space a short table leaves, up to a limit, as printed forms do. A
 * value too long even at 7 pt is cut with …… (the embedded signed data holds it whole).
 */
function table(rows: readonly TableRow[], left: number, right: number, top: number, bottom: number, measure: MeasureText): { items: DrawItem[]; bottom: number } {
  const tableWidth = right - left;
  const paddingX = mm(2.4);
  const paddingY = mm(2);
  // Each label column is as wide as its own longest label, so a long label on the left does not squeeze
  // the values of the right-hand column.
  const widest = (column: 0 | 1) => Math.max(0, ...rows.map((row) => (row[column] === undefined ? 0 : measure(row[column].label))));
  const widestLabels = [widest(0), widest(1)] as const;
  const available = top - bottom;
  let size = LARGEST_TEXT;
  let cells: CellLayout[][] = [];
  let heights: number[] = [];
  const lineHeight = () => size * 1.5;
  for (;;) {
    const labelWidths = widestLabels.map((w) => Math.min(Math.max(w * size + 2 * paddingX, mm(24)), mm(46)));
    cells = rows.map((row) => {
      const labelsWidth = row.length === 1 ? labelWidths[0]! : labelWidths[0]! + labelWidths[1]!;
      const valueWidth = (tableWidth - labelsWidth) / row.length;
      return row.map((cell, column) => {
        const labelWidth = labelWidths[column]!;
        return {
          label: wrapText(cell.label, labelWidth - 2 * paddingX, (s) => size * measure(s)),
          value: wrapText(cell.value, valueWidth - 2 * paddingX, (s) => size * measure(s)),
          labelWidth,
          valueWidth,
        };
      });
    });
    heights = cells.map((row) => rowHeight(row, lineHeight(), paddingY));
    if (sum(heights) <= available || size <= SMALLEST_TEXT) break;
    size -= 0.5;
  }
  if (sum(heights) > available) {
    heights = truncateToFit(cells, heights, available, lineHeight(), paddingY, (s) => size * measure(s));
  }
  const slack = available - sum(heights);
  if (slack > 0) heights = heights.map((h) => h + Math.min(slack / heights.length, mm(10)));

  // Fills first, rules over them, text last, so no fill hides part of a rule.
  const fills: DrawItem[] = [];
  const rules: DrawItem[] = [];
  const texts: DrawItem[] = [];
  let y = top;
  cells.forEach((row, index) => {
    const h = heights[index]!;
    let x = left;
    for (const cell of row) {
      fills.push({ kind: 'rect', x, y: y - h, width: cell.labelWidth, height: h, fill: LABEL_FILL });
      texts.push(...cellText(cell.label, x, y, cell.labelWidth, h, size, lineHeight(), 'center', paddingX));
      texts.push(...cellText(cell.value, x + cell.labelWidth, y, cell.valueWidth, h, size, lineHeight(), 'left', paddingX));
      if (x > left) rules.push({ kind: 'line', x1: x, y1: y, x2: x, y2: y - h, lineWidth: 0.6, color: RULE });
      rules.push({ kind: 'line', x1: x + cell.labelWidth, y1: y, x2: x + cell.labelWidth, y2: y - h, lineWidth: 0.6, color: RULE });
      x += cell.labelWidth + cell.valueWidth;
    }
    y -= h;
    if (index < cells.length - 1) rules.push({ kind: 'line', x1: left, y1: y, x2: right, y2: y, lineWidth: 0.6, color: RULE });
  });
  rules.push({ kind: 'rect', x: left, y, width: tableWidth, height: top - y, stroke: RULE, lineWidth: 1.2 });

  function cellText(lines: string[], x: number, rowTop: number, width: number, h: number, textSize: number, leading: number, align: 'left' | 'center', padding: number): TextItem[] {
    const blockTop = rowTop - (h - lines.length * leading) / 2;
    return lines.map((line, i) => {
      const baseline = blockTop - i * leading - (leading - textSize) / 2 - textSize * EM_ASCENT;
      const lineX = align === 'left' ? x + padding : x + (width - textSize * measure(line)) / 2;
      return text(line, lineX, baseline, textSize, align === 'left' ? INK : LABEL_INK, align === 'left' ? {} : { bold: true });
    });
  }
  return { items: [...fills, ...rules, ...texts], bottom: y };
}

function rowHeight(row: readonly CellLayout[], leading: number, paddingY: number): number {
  const lines = Math.max(...row.map((cell) => Math.max(cell.label.length, cell.value.length)));
  return Math.max(lines * leading + 2 * paddingY, mm(9));
}

/** Drops lines from the longest values until the table fits, marking each cut with ……. */
function truncateToFit(cells: CellLayout[][], heights: number[], available: number, leading: number, paddingY: number, measureAtSize: MeasureText): number[] {
  const next = [...heights];
  while (sum(next) > available) {
    const longest = cells.flat().reduce((a, b) => (b.value.length > a.value.length ? b : a));
    if (longest.value.length <= 1) break;
    const kept = longest.value.slice(0, -1);
    let last = kept.at(-1)!;
    while (last !== '' && measureAtSize(last + TRUNCATION_MARK) > longest.valueWidth - mm(4.8)) last = [...last].slice(0, -1).join('');
    kept[kept.length - 1] = last + TRUNCATION_MARK;
    longest.value = kept;
    cells.forEach((row, index) => (next[index] = rowHeight(row, leading, paddingY)));
  }
  return next;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
