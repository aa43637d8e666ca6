/**
 * Vector paths shared by the PDF and SVG forms of a drawing: glyph outlines placed by an affine map,
 * polygons and circles, serialised as content-stream operators or SVG path data.
 */
import type { GlyphCommand } from './cjk-font.js';

export type PathSegment =
  | { readonly op: 'M' | 'L'; readonly x: number; readonly y: number }
  | { readonly op: 'C'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly x: number; readonly y: number }
  | { readonly op: 'Z' };

/** x' = a·x + c·y + e, y' = b·x + d·y + f (the PDF `cm` order). */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export function affine(scaleX: number, scaleY: number, rotation: number, translateX: number, translateY: number): Affine {
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  return [scaleX * cos, scaleX * sin, -scaleY * sin, scaleY * cos, translateX, translateY];
}

/** A glyph outline in font units mapped through `m`; quadratic (TrueType) curves become cubic ones. */
export function glyphPath(commands: readonly GlyphCommand[], m: Affine): PathSegment[] {
  const map = (x: number, y: number) => ({ x: m[0] * x + m[2] * y + m[4], y: m[1] * x + m[3] * y + m[5] });
  const segments: PathSegment[] = [];
  let currentX = 0;
  let currentY = 0;
  for (const { command, args } of commands) {
    const a = args;
    if (command === 'moveTo' || command === 'lineTo') {
      [currentX, currentY] = [a[0]!, a[1]!];
      segments.push({ op: command === 'moveTo' ? 'M' : 'L', ...map(currentX, currentY) });
    } else if (command === 'quadraticCurveTo') {
      const [qx, qy, x, y] = [a[0]!, a[1]!, a[2]!, a[3]!];
      const c1 = map(currentX + (2 / 3) * (qx - currentX), currentY + (2 / 3) * (qy - currentY));
      const c2 = map(x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y));
      [currentX, currentY] = [x, y];
      segments.push({ op: 'C', x1: c1.x, y1: c1.y, x2: c2.x, y2: c2.y, ...map(x, y) });
    } else if (command === 'bezierCurveTo') {
      const c1 = map(a[0]!, a[1]!);
      const c2 = map(a[2]!, a[3]!);
      [currentX, currentY] = [a[4]!, a[5]!];
      segments.push({ op: 'C', x1: c1.x, y1: c1.y, x2: c2.x, y2: c2.y, ...map(currentX, currentY) });
    } else {
      segments.push({ op: 'Z' });
    }
  }
  return segments;
}

export function polygonPath(points: readonly (readonly [number, number])[]): PathSegment[] {
  return [...points.map(([x, y], i): PathSegment => ({ op: i === 0 ? 'M' : 'L', x, y })), { op: 'Z' }];
}

/** A circle as four cubic Béziers (error under 0.03 % of the radius). */
export function circlePath(centerX: number, centerY: number, radius: number): PathSegment[] {
  const k = 0.5522847498 * radius;
  const [cx, cy, r] = [centerX, centerY, radius];
  return [
    { op: 'M', x: cx + r, y: cy },
    { op: 'C', x1: cx + r, y1: cy + k, x2: cx + k, y2: cy + r, x: cx, y: cy + r },
    { op: 'C', x1: cx - k, y1: cy + r, x2: cx - r, y2: cy + k, x: cx - r, y: cy },
    { op: 'C', x1: cx - r, y1: cy - k, x2: cx - k, y2: cy - r, x: cx, y: cy - r },
    { op: 'C', x1: cx + k, y1: cy - r, x2: cx + r, y2: cy - k, x: cx + r, y: cy },
    { op: 'Z' },
  ];
}

/** A number as content streams and SVG want it: at most two decimals, no exponent, no trailing zeros. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export function pdfPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s) => {
      if (s.op === 'Z') return 'h';
      if (s.op === 'C') return `${num(s.x1)} ${num(s.y1)} ${num(s.x2)} ${num(s.y2)} ${num(s.x)} ${num(s.y)} c`;
      return `${num(s.x)} ${num(s.y)} ${s.op === 'M' ? 'm' : 'l'}`;
    })
    .join('\n');
}

export function svgPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s) => {
      if (s.op === 'Z') return 'Z';
      if (s.op === 'C') return `C${num(s.x1)} ${num(s.y1)} ${num(s.x2)} ${num(s.y2)} ${num(s.x)} ${num(s.y)}`;
      return `${s.op}${num(s.x)} ${num(s.y)}`;
    })
    .join('');
}
