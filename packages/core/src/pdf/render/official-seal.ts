/**
 * A round red official seal (公章) drawn as vectors: the organisation's name along the upper arc, each
 * character upright towards the rim and evenly spaced, a five-pointed star in the centre, optional
 * horizontal text under the star (e.g. 电子证照专用章) and optional text along the lower arc (e.g. the
 * seal's code). Proportions follow the 42 mm 公章 of 国务院关于国家行政机关和企业事业单位社会团体印章管理的规定
 * (宋体 characters, a 14 mm star). Characters are glyph outlines, so the drawing needs no font resource and
 * looks the same in every viewer; the printed authority name under the seal is the text a reader extracts.
 */
import { ElicenseError } from '../../errors.js';
import { loadCjkFont } from './cjk-font.js';
import { escapeXml } from './xml-text.js';
import { affine, circlePath, glyphPath, num, pdfPath, polygonPath, svgPath, type PathSegment } from './outline-path.js';

export interface OfficialSealOptions {
  readonly organizationName: string;
  /** The font whose outlines draw the characters (a 宋体-style serif, as seals use); same rules as for rendering. */
  readonly font: Uint8Array;
  /** Horizontal text under the star, e.g. 电子证照专用章. */
  readonly centerText?: string;
  /** Text along the lower arc, read left to right, e.g. the seal's 13-digit code. */
  readonly bottomText?: string;
  /** Default 42 (the 公章 size); 20 to 80. */
  readonly diameterMm?: number;
  /** `#RRGGBB`; default seal red #E60012. */
  readonly color?: string;
  /** One rim (default) or a rim with a fine inner ring. */
  readonly rings?: 1 | 2;
}

export interface OfficialSealDrawing {
  /** The seal's diameter in points: the Form XObject's width and height. */
  readonly size: number;
  /** The Form XObject's /BBox. */
  readonly bbox: readonly [number, number, number, number];
  /**
   * Content-stream operators painting the seal inside [0 0 size size]. They use no resources (no font, no
   * image, no graphics state), so they can be placed as they are into a widget appearance stream.
   */
  readonly operators: string;
}

export const DEFAULT_SEAL_COLOR = '#E60012';
export const DEFAULT_SEAL_DIAMETER_MM = 42;
const PT_PER_MM = 72 / 25.4;
const DEG = Math.PI / 180;

export function drawOfficialSeal(options: OfficialSealOptions): OfficialSealDrawing {
  const seal = sealShapes(options);
  const [r, g, b] = seal.color.map((c) => num(c / 255));
  const operators = [
    'q',
    `${r} ${g} ${b} rg ${r} ${g} ${b} RG`,
    ...seal.rings.map((ring) => `${num(ring.lineWidth)} w\n${pdfPath(circlePath(seal.size / 2, seal.size / 2, ring.radius))}\nS`),
    `${num(seal.inkSpread)} w 1 j`,
    ...seal.fills.map((path) => `${pdfPath(path)}\nB`),
    'Q',
  ].join('\n');
  return { size: seal.size, bbox: [0, 0, seal.size, seal.size], operators };
}

/** The same seal as a standalone SVG document, `diameterMm` wide. */
export function officialSealSvg(options: OfficialSealOptions): string {
  const seal = sealShapes(options);
  const color = `#${seal.color.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  const size = num(seal.size);
  const diameter = num(seal.size / PT_PER_MM);
  const rings = seal.rings.map(
    (ring) => `<circle cx="${num(seal.size / 2)}" cy="${num(seal.size / 2)}" r="${num(ring.radius)}" fill="none" stroke="${color}" stroke-width="${num(ring.lineWidth)}"/>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${diameter}mm" height="${diameter}mm" viewBox="0 0 ${size} ${size}">`,
    `<title>${escapeXml(options.organizationName)}</title>`,
    // The geometry is computed in PDF's y-up space; one flip serves the whole drawing.
    `<g transform="matrix(1 0 0 -1 0 ${size})">`,
    ...rings,
    `<path fill="${color}" stroke="${color}" stroke-width="${num(seal.inkSpread)}" stroke-linejoin="round" d="${seal.fills.map(svgPath).join('')}"/>`,
    '</g>',
    '</svg>',
  ].join('\n');
}

interface SealShapes {
  readonly size: number;
  readonly color: readonly [number, number, number];
  readonly rings: readonly { readonly radius: number; readonly lineWidth: number }[];
  readonly fills: readonly PathSegment[][];
  /** Outline stroke on the characters and star: seal characters are cut bolder than book type. */
  readonly inkSpread: number;
}

function sealShapes(options: OfficialSealOptions): SealShapes {
  const name = checkedText(options.organizationName, 'organizationName', 40);
  const centerText = options.centerText === undefined ? [] : checkedText(options.centerText, 'centerText', 20);
  const bottomText = options.bottomText === undefined ? [] : checkedText(options.bottomText, 'bottomText', 40);
  const diameterMm = options.diameterMm ?? DEFAULT_SEAL_DIAMETER_MM;
  if (typeof diameterMm !== 'number' || !(diameterMm >= 20 && diameterMm <= 80)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'the seal diameter is 20 to 80 mm', { field: 'diameterMm' });
  }
  const color = parseColor(options.color ?? DEFAULT_SEAL_COLOR);
  const font = loadCjkFont(options.font);

  // Every length scales with the diameter from the 42 mm standard seal.
  const size = diameterMm * PT_PER_MM;
  const unit = size / 42;
  const center = size / 2;
  const rimWidth = 1.2 * unit;
  // A hair inside the bounding box, so anti-aliasing never clips the rim.
  const outerEdge = center - 0.1 * unit;
  const rings = [{ radius: outerEdge - rimWidth / 2, lineWidth: rimWidth }];
  let innerEdge = outerEdge - rimWidth;
  if (options.rings === 2) {
    rings.push({ radius: innerEdge - 0.9 * unit, lineWidth: 0.35 * unit });
    innerEdge -= 1.25 * unit;
  }
  const textTop = innerEdge - 1.1 * unit;

  const fills: PathSegment[][] = [];
  const place = (character: string, width: number, height: number, rotation: number, x: number, y: number) => {
    const { commands, advanceWidth } = font.outline(character);
    const em = font.unitsPerEm;
    // Centre the character's em box (0..advance, -0.12..0.88 em) on (x, y).
    const m = affine(width / advanceWidth, height / em, rotation, 0, 0);
    const dx = -advanceWidth / 2;
    const dy = -0.38 * em;
    fills.push(glyphPath(commands, [m[0], m[1], m[2], m[3], x + m[0] * dx + m[2] * dy, y + m[1] * dx + m[3] * dy]));
  };

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
    const charWidth = Math.min(0.75 * textHeight, room / centerText.length);
    centerText.forEach((character, i) => {
      place(character, charWidth, textHeight, 0, center + (i + 0.5 - centerText.length / 2) * charWidth, y);
    });
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
  return { size, color, rings, fills, inkSpread: 0.22 * unit };
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

