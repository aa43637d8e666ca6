/**
 * A red official seal drawn as vectors. Round (公章, most 专用章): the organisation's name along the upper
 * arc, each character upright towards the rim and evenly spaced, a five-pointed star in the centre, optional
 * horizontal text under the star (e.g. 电子证照专用章) and optional text along the lower arc (e.g. the
 * seal's code); proportions follow the 42 mm 公章 of 国务院关于国家行政机关和企业事业单位社会团体印章管理的规定
 * (宋体 characters, a 14 mm star). Oval (发票专用章, some 财务专用章): the name along the upper arc of the
 * ellipse, the taxpayer code across the middle, the purpose line under it. Square (名章): the name alone,
 * filling a grid. Characters are glyph outlines, so the drawing needs no font resource and
 * looks the same in every viewer; the printed authority name under the seal is the text a reader extracts.
 */
import { ElicenseError } from '../../errors.js';
import { loadCjkFont } from './cjk-font.js';
import { recentValues } from '../../recent-values.js';
import { escapeXml } from './xml-text.js';
import { affine, circlePath, glyphPath, num, pdfPath, polygonPath, svgPath, type PathSegment } from './outline-path.js';

/** 公章 and most 专用章 are round; some 专用章 (发票专用章, some 财务专用章) are oval; personal 名章 are square. */
export type OfficialSealShape = 'round' | 'oval' | 'square';

export interface OfficialSealOptions {
  readonly organizationName: string;
  /** The font whose outlines draw the characters (a 宋体-style serif, as seals use); same rules as for rendering. */
  readonly font: Uint8Array;
  /** Default round. */
  readonly shape?: OfficialSealShape;
  /**
   * Round: horizontal text under the star, e.g. 电子证照专用章. Oval: the bottom line, e.g. 发票专用章.
   * Square seals carry the name only.
   */
  readonly centerText?: string;
  /**
   * Round: text along the lower arc, read left to right, e.g. the seal's 13-digit code. Oval: the line across
   * the middle, e.g. the 15- to 20-character 纳税人识别号 of a 发票专用章.
   */
  readonly bottomText?: string;
  /** Round seals: default 42 (the 公章 size); 20 to 80. */
  readonly diameterMm?: number;
  /** Oval and square seals: default 40 (oval, as the 发票专用章) or 20 (square); 10 to 80. */
  readonly widthMm?: number;
  /** Oval and square seals: default 30 (oval) or the width (square); 10 to 80, at most the width for an oval. */
  readonly heightMm?: number;
  /** `#RRGGBB`; default seal red #E60012. */
  readonly color?: string;
  /** One rim (default) or a rim with a fine inner ring. */
  readonly rings?: 1 | 2;
}

export interface OfficialSealDrawing {
  /** The seal's width in points (a round seal's diameter). */
  readonly size: number;
  readonly width: number;
  readonly height: number;
  /** The Form XObject's /BBox. */
  readonly bbox: readonly [number, number, number, number];
  /**
   * Content-stream operators painting the seal inside [0 0 width height]. They use no resources (no font,
   * no image, no graphics state), so they can be placed as they are into a widget appearance stream.
   */
  readonly operators: string;
}

export const DEFAULT_SEAL_COLOR = '#E60012';
export const DEFAULT_SEAL_DIAMETER_MM = 42;
/** 发票专用章: 40 × 30 mm (国家税务总局 发票专用章式样). */
export const DEFAULT_OVAL_SEAL_MM = { widthMm: 40, heightMm: 30 } as const;
export const DEFAULT_SQUARE_SEAL_MM = 20;
const PT_PER_MM = 72 / 25.4;
const DEG = Math.PI / 180;
/** Square seals hold at most a 3 × 3 grid of characters. */
const MAX_SQUARE_CHARACTERS = 9;

/**
 * One office seals thousands of licenses with the same seal, and drawing it (glyph outlines along arcs)
 * costs milliseconds, so drawings and SVGs are kept per font and options.
 */
function keptPerFont<V>(): (options: OfficialSealOptions, make: () => V) => V {
  const byFont = new WeakMap<Uint8Array, (key: string, make: () => V) => V>();
  return (options, make) => {
    const { font, ...look } = options ?? {};
    if (!(font instanceof Uint8Array)) return make();
    let kept = byFont.get(font);
    if (!kept) byFont.set(font, (kept = recentValues<string, V>(32)));
    return kept(JSON.stringify(look), make);
  };
}

const keptDrawings = keptPerFont<OfficialSealDrawing>();
const keptSvgs = keptPerFont<string>();

export function drawOfficialSeal(options: OfficialSealOptions): OfficialSealDrawing {
  return keptDrawings(options, () => drawOfficialSealAfresh(options));
}

function drawOfficialSealAfresh(options: OfficialSealOptions): OfficialSealDrawing {
  const seal = sealShapes(options);
  const [r, g, b] = seal.color.map((c) => num(c / 255));
  const operators = [
    'q',
    `${r} ${g} ${b} rg ${r} ${g} ${b} RG`,
    ...seal.rims.map((rim) => `${num(rim.lineWidth)} w\n${pdfPath(rimPath(rim))}\nS`),
    `${num(seal.inkSpread)} w 1 j`,
    ...seal.fills.map((path) => `${pdfPath(path)}\nB`),
    'Q',
  ].join('\n');
  return { size: seal.width, width: seal.width, height: seal.height, bbox: [0, 0, seal.width, seal.height], operators };
}

/** The same seal as a standalone SVG document, at its size in millimetres. */
export function officialSealSvg(options: OfficialSealOptions): string {
  return keptSvgs(options, () => officialSealSvgAfresh(options));
}

function officialSealSvgAfresh(options: OfficialSealOptions): string {
  const seal = sealShapes(options);
  const color = `#${seal.color.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  const [width, height] = [num(seal.width), num(seal.height)];
  const stroke = (rim: Rim) => `fill="none" stroke="${color}" stroke-width="${num(rim.lineWidth)}"`;
  const rims = seal.rims.map((rim) => {
    if (rim.kind === 'rect') return `<rect x="${num(rim.x)}" y="${num(rim.y)}" width="${num(rim.width)}" height="${num(rim.height)}" ${stroke(rim)}/>`;
    const centre = `cx="${num(rim.cx)}" cy="${num(rim.cy)}"`;
    return rim.rx === rim.ry ? `<circle ${centre} r="${num(rim.rx)}" ${stroke(rim)}/>` : `<ellipse ${centre} rx="${num(rim.rx)}" ry="${num(rim.ry)}" ${stroke(rim)}/>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(seal.width / PT_PER_MM)}mm" height="${num(seal.height / PT_PER_MM)}mm" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(options.organizationName)}</title>`,
    // The geometry is computed in PDF's y-up space; one flip serves the whole drawing.
    `<g transform="matrix(1 0 0 -1 0 ${height})">`,
    ...rims,
    `<path fill="${color}" stroke="${color}" stroke-width="${num(seal.inkSpread)}" stroke-linejoin="round" d="${seal.fills.map(svgPath).join('')}"/>`,
    '</g>',
    '</svg>',
  ].join('\n');
}

/** The seal's size in millimetres as drawn, for a picture's display size. */
export function officialSealSizeMm(options: Pick<OfficialSealOptions, 'shape' | 'diameterMm' | 'widthMm' | 'heightMm'>): { widthMm: number; heightMm: number } {
  const shape = options.shape ?? 'round';
  if (shape === 'round') {
    const diameter = checkedMm(options.diameterMm ?? DEFAULT_SEAL_DIAMETER_MM, 'diameterMm', 20);
    return { widthMm: diameter, heightMm: diameter };
  }
  if (shape === 'oval') {
    const widthMm = checkedMm(options.widthMm ?? DEFAULT_OVAL_SEAL_MM.widthMm, 'widthMm', 10);
    const heightMm = checkedMm(options.heightMm ?? Math.min(widthMm, (widthMm * DEFAULT_OVAL_SEAL_MM.heightMm) / DEFAULT_OVAL_SEAL_MM.widthMm), 'heightMm', 10);
    if (heightMm > widthMm) throw new ElicenseError('ERR_INVALID_INPUT', 'an oval seal is wider than it is high', { field: 'heightMm' });
    return { widthMm, heightMm };
  }
  if (shape === 'square') {
    const widthMm = checkedMm(options.widthMm ?? DEFAULT_SQUARE_SEAL_MM, 'widthMm', 10);
    return { widthMm, heightMm: checkedMm(options.heightMm ?? widthMm, 'heightMm', 10) };
  }
  throw new ElicenseError('ERR_INVALID_INPUT', 'the seal shape is round, oval or square', { field: 'shape' });
}

function checkedMm(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= 80)) {
    throw new ElicenseError('ERR_INVALID_INPUT', `the seal's ${field} is ${min} to 80 mm`, { field });
  }
  return value;
}

type Rim =
  | { readonly kind: 'ellipse'; readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number; readonly lineWidth: number }
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly lineWidth: number };

function rimPath(rim: Rim): PathSegment[] {
  if (rim.kind === 'rect') {
    const { x, y, width, height } = rim;
    return polygonPath([[x, y], [x + width, y], [x + width, y + height], [x, y + height]]);
  }
  return ellipsePath(rim.cx, rim.cy, rim.rx, rim.ry);
}

/** An axis-aligned ellipse: the unit circle's Béziers, stretched. */
function ellipsePath(cx: number, cy: number, rx: number, ry: number): PathSegment[] {
  const x = (value: number) => cx + rx * value;
  const y = (value: number) => cy + ry * value;
  return circlePath(0, 0, 1).map((s): PathSegment => {
    if (s.op === 'Z') return s;
    if (s.op === 'C') return { op: 'C', x1: x(s.x1), y1: y(s.y1), x2: x(s.x2), y2: y(s.y2), x: x(s.x), y: y(s.y) };
    return { op: s.op, x: x(s.x), y: y(s.y) };
  });
}

interface SealShapes {
  readonly width: number;
  readonly height: number;
  readonly color: readonly [number, number, number];
  readonly rims: readonly Rim[];
  readonly fills: readonly PathSegment[][];
  /** Outline stroke on the characters and star: seal characters are cut bolder than book type. */
  readonly inkSpread: number;
}

/** Places a character's outline: `width` × `height` points, turned by `rotation`, centred on (x, y). */
type PlaceCharacter = (character: string, width: number, height: number, rotation: number, x: number, y: number) => void;

interface SealText {
  readonly name: string[];
  readonly centerText: string[];
  readonly bottomText: string[];
}

function sealShapes(options: OfficialSealOptions): SealShapes {
  const shape = options.shape ?? 'round';
  const { widthMm, heightMm } = officialSealSizeMm(options);
  const square = shape === 'square';
  const text: SealText = {
    name: checkedText(options.organizationName, 'organizationName', square ? MAX_SQUARE_CHARACTERS : 40),
    centerText: options.centerText === undefined ? [] : checkedText(options.centerText, 'centerText', 20),
    bottomText: options.bottomText === undefined ? [] : checkedText(options.bottomText, 'bottomText', 40),
  };
  if (square && (text.centerText.length > 0 || text.bottomText.length > 0)) {
    const field = text.centerText.length > 0 ? 'centerText' : 'bottomText';
    throw new ElicenseError('ERR_INVALID_INPUT', 'a square seal carries its name only', { field });
  }
  const color = parseColor(options.color ?? DEFAULT_SEAL_COLOR);
  const font = loadCjkFont(options.font);

  const fills: PathSegment[][] = [];
  const place: PlaceCharacter = (character, width, height, rotation, x, y) => {
    const { commands, advanceWidth } = font.outline(character);
    const em = font.unitsPerEm;
    // Centre the character's em box (0..advance, -0.12..0.88 em) on (x, y).
    const m = affine(width / advanceWidth, height / em, rotation, 0, 0);
    const dx = -advanceWidth / 2;
    const dy = -0.38 * em;
    fills.push(glyphPath(commands, [m[0], m[1], m[2], m[3], x + m[0] * dx + m[2] * dy, y + m[1] * dx + m[3] * dy]));
  };
  const width = widthMm * PT_PER_MM;
  const height = heightMm * PT_PER_MM;
  const layout = shape === 'round' ? roundSeal : shape === 'oval' ? ovalSeal : squareSeal;
  const { rims, inkSpread } = layout(width, height, options.rings === 2, text, place, fills);
  return { width, height, color, rims, fills, inkSpread };
}

type SealLayout = (
  width: number,
  height: number,
  innerRing: boolean,
  text: SealText,
  place: PlaceCharacter,
  fills: PathSegment[][],
) => { rims: Rim[]; inkSpread: number };

/** The 公章: name along the upper arc, star, purpose line under it, code along the lower arc. */
const roundSeal: SealLayout = (size, _height, innerRing, { name, centerText, bottomText }, place, fills) => {
  // Every length scales with the diameter from the 42 mm standard seal.
  const unit = size / 42;
  const center = size / 2;
  const rimWidth = 1.2 * unit;
  // A hair inside the bounding box, so anti-aliasing never clips the rim.
  const outerEdge = center - 0.1 * unit;
  const rims: Rim[] = [{ kind: 'ellipse', cx: center, cy: center, rx: outerEdge - rimWidth / 2, ry: outerEdge - rimWidth / 2, lineWidth: rimWidth }];
  let innerEdge = outerEdge - rimWidth;
  if (innerRing) {
    const radius = innerEdge - 0.9 * unit;
    rims.push({ kind: 'ellipse', cx: center, cy: center, rx: radius, ry: radius, lineWidth: 0.35 * unit });
    innerEdge -= 1.25 * unit;
  }
  const textTop = innerEdge - 1.1 * unit;

  // The name along the upper arc: longer names spread over more of the circle and narrow their characters.
  const count = name.length;
  const span = Math.min(250, 50 + 17 * count) * DEG;
  const step = span / count;
  let height = 6.8 * unit;
  let width = Math.min(0.8 * height, 0.88 * (textTop - height / 2) * step);
  if (width < 0.45 * height) height = width / 0.45;
  width = Math.min(0.8 * height, 0.88 * (textTop - height / 2) * step);
  const nameRadius = textTop - height / 2;
  name.forEach((character, i) => {
    const angle = Math.PI / 2 + span / 2 - (i + 0.5) * step;
    place(character, width, height, angle - Math.PI / 2, center + nameRadius * Math.cos(angle), center + nameRadius * Math.sin(angle));
  });

  // The 14 mm star of a 公章; a little smaller when a purpose line (专用章) has to fit under it.
  const starRadius = (centerText.length > 0 ? 6.3 : 7) * unit;
  fills.push(star(center, center, starRadius));

  if (centerText.length > 0) {
    const textHeight = 4.6 * unit;
    const y = center - starRadius - 1.2 * unit - textHeight / 2;
    const room = 2 * Math.sqrt(Math.max(0, (textTop - 2 * unit) ** 2 - (center - y) ** 2));
    placeLine(place, centerText, center, y, textHeight, Math.min(0.75 * textHeight, room / centerText.length));
  }

  if (bottomText.length > 0) {
    const textHeight = 3.2 * unit;
    const radius = textTop - textHeight / 2;
    // Narrow and tight, so the arc's ends stay clear of the purpose line above them.
    const bottomSpan = Math.min(80, 5.5 * bottomText.length) * DEG;
    const bottomStep = bottomSpan / bottomText.length;
    const charWidth = Math.min(0.7 * textHeight, 0.85 * radius * bottomStep);
    bottomText.forEach((character, i) => {
      const angle = -Math.PI / 2 - bottomSpan / 2 + (i + 0.5) * bottomStep;
      place(character, charWidth, textHeight, angle + Math.PI / 2, center + radius * Math.cos(angle), center + radius * Math.sin(angle));
    });
  }
  return { rims, inkSpread: 0.22 * unit };
};

/**
 * The oval 专用章, after the 40 × 30 mm 发票专用章: name along the upper arc, the taxpayer code across the
 * middle, the purpose line (发票专用章) under it; without a code, a star in the middle instead.
 */
const ovalSeal: SealLayout = (width, height, innerRing, { name, centerText, bottomText }, place, fills) => {
  const unit = Math.min(width / 40, height / 30);
  const [cx, cy] = [width / 2, height / 2];
  const rimWidth = 1 * unit;
  const [a, b] = [cx - 0.1 * unit - rimWidth / 2, cy - 0.1 * unit - rimWidth / 2];
  const rims: Rim[] = [{ kind: 'ellipse', cx, cy, rx: a, ry: b, lineWidth: rimWidth }];
  let inset = rimWidth / 2;
  if (innerRing) {
    rims.push({ kind: 'ellipse', cx, cy, rx: a - rimWidth / 2 - 0.7 * unit, ry: b - rimWidth / 2 - 0.7 * unit, lineWidth: 0.3 * unit });
    inset += 0.85 * unit;
  }

  // The name: centred on the top of an ellipse inside the rim, evenly spaced by arc length.
  let nameHeight = 4.2 * unit;
  const gap = 0.7 * unit;
  const pathAxes = (h: number): [number, number] => [a - inset - gap - h / 2, b - inset - gap - h / 2];
  // The name keeps to the upper arc, clear of the code line across the middle.
  const maxHalfSpan = 100 * DEG;
  const room = (h: number) => (2 * ellipseArcLength(...pathAxes(h), maxHalfSpan)) / name.length;
  let advance = Math.min(0.85 * nameHeight, room(nameHeight));
  // Long names shrink their characters rather than crowd them.
  if (advance < 0.6 * nameHeight) {
    nameHeight = Math.max(2.4 * unit, advance / 0.6);
    advance = Math.min(0.85 * nameHeight, room(nameHeight));
  }
  const [pa, pb] = pathAxes(nameHeight);
  const charWidth = Math.min(0.82 * nameHeight, 0.9 * advance);
  const total = advance * name.length;
  name.forEach((character, i) => {
    // Arc length measured clockwise from the top: negative on the left.
    const t = ellipseAngleAtArc(pa, pb, -total / 2 + (i + 0.5) * advance);
    const normal = Math.atan2(pa * Math.sin(t), pb * Math.cos(t));
    place(character, charWidth, nameHeight, normal - Math.PI / 2, cx + pa * Math.cos(t), cy + pb * Math.sin(t));
  });

  const innerWidth = (y: number) => 2 * (a - inset - 1.2 * unit) * Math.sqrt(Math.max(0, 1 - ((y - cy) / (b - inset - 1.2 * unit)) ** 2));
  const purposeHeight = 4 * unit;
  const purposeY = cy - 5.6 * unit;
  if (bottomText.length > 0) {
    // Narrow digits, as the 发票专用章 prints them, so the line stays clear of the name's ends.
    const codeHeight = 2.7 * unit;
    const codeY = cy + 0.2 * unit;
    placeLine(place, bottomText, cx, codeY, codeHeight, Math.min(0.48 * codeHeight, (0.62 * width) / bottomText.length));
  } else {
    fills.push(star(cx, cy + (centerText.length > 0 ? 1 : 0) * unit, 4.2 * unit));
  }
  if (centerText.length > 0) {
    const room = innerWidth(purposeY - purposeHeight / 2);
    placeLine(place, centerText, cx, purposeY, purposeHeight, Math.min(0.8 * purposeHeight, room / centerText.length));
  }
  return { rims, inkSpread: 0.2 * unit };
};

/** Length of the arc of the ellipse (a cos t, b sin t) from the top, t = π/2, to t = π/2 + `halfSpan`. */
function ellipseArcLength(a: number, b: number, halfSpan: number): number {
  const steps = 256;
  let length = 0;
  for (let i = 0; i < steps; i++) {
    const t = Math.PI / 2 + ((i + 0.5) * halfSpan) / steps;
    length += Math.hypot(a * Math.sin(t), b * Math.cos(t)) * (halfSpan / steps);
  }
  return length;
}

/** The angle t on the ellipse at arc length `s` clockwise from the top (negative: anticlockwise). */
function ellipseAngleAtArc(a: number, b: number, s: number): number {
  const direction = s < 0 ? 1 : -1;
  let remaining = Math.abs(s);
  let t = Math.PI / 2;
  const dt = DEG / 16;
  while (remaining > 0) {
    const speed = Math.hypot(a * Math.sin(t), b * Math.cos(t));
    if (speed * dt >= remaining) return t + direction * (remaining / speed);
    remaining -= speed * dt;
    t += direction * dt;
  }
  return t;
}

/**
 * The square 名章: the characters fill a grid, read in columns from the right, top to bottom; with an
 * uneven count the first columns take fewer characters, drawn taller (王 | 小明; 李 | 四).
 */
const squareSeal: SealLayout = (width, height, innerRing, { name }, place) => {
  const unit = Math.min(width, height) / 20;
  const rimWidth = 1.1 * unit;
  const edge = 0.1 * unit + rimWidth / 2;
  const rims: Rim[] = [{ kind: 'rect', x: edge, y: edge, width: width - 2 * edge, height: height - 2 * edge, lineWidth: rimWidth }];
  let inset = edge + rimWidth / 2;
  if (innerRing) {
    const ring = inset + 0.6 * unit;
    rims.push({ kind: 'rect', x: ring, y: ring, width: width - 2 * ring, height: height - 2 * ring, lineWidth: 0.3 * unit });
    inset = ring + 0.15 * unit;
  }
  const padding = 0.7 * unit;
  const [left, bottom] = [inset + padding, inset + padding];
  const [innerW, innerH] = [width - 2 * left, height - 2 * bottom];
  const columns = Math.ceil(Math.sqrt(name.length));
  const perColumn = Array.from({ length: columns }, (_, c) => Math.floor((name.length + c) / columns));
  const cellW = innerW / columns;
  let next = 0;
  perColumn.forEach((count, c) => {
    const cellH = innerH / count;
    for (let r = 0; r < count; r++) {
      const x = left + innerW - (c + 0.5) * cellW;
      const y = bottom + innerH - (r + 0.5) * cellH;
      place(name[next++]!, 0.9 * cellW, 0.9 * cellH, 0, x, y);
    }
  });
  return { rims, inkSpread: 0.3 * unit };
};

/** A horizontal line of characters centred on (x, y). */
function placeLine(place: PlaceCharacter, characters: readonly string[], x: number, y: number, height: number, charWidth: number): void {
  characters.forEach((character, i) => place(character, charWidth, height, 0, x + (i + 0.5 - characters.length / 2) * charWidth, y));
}

/** A regular five-pointed star, one point up. */
function star(cx: number, cy: number, outerRadius: number): PathSegment[] {
  const innerRadius = outerRadius * 0.381966;
  const points: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const radius = i % 2 === 0 ? outerRadius : innerRadius;
    const angle = Math.PI / 2 + (i * Math.PI) / 5;
    points.push([cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)]);
  }
  return polygonPath(points);
}

function checkedText(value: unknown, field: string, maxCharacters: number): string[] {
  const characters = typeof value === 'string' ? [...value.replace(/\s+/g, '')] : [];
  if (characters.length === 0 || characters.length > maxCharacters) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${field} is 1 to ${maxCharacters} characters`, { field });
  }
  return characters;
}

function parseColor(color: string): [number, number, number] {
  const match = typeof color === 'string' ? /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(color) : null;
  if (match === null) throw new ElicenseError('ERR_INVALID_INPUT', 'the seal colour is #RRGGBB', { field: 'color' });
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

