/**
 * The font licenses are printed in, parsed once per font file. Parsing a CJK font (15 MB, 65,000 glyphs)
 * costs tens of milliseconds; bulk rendering passes the same bytes every time and pays it once.
 */
import fontkit, { type Font } from '@pdf-lib/fontkit';
import { ElicenseError } from '../../errors.js';

/** A glyph outline in font units, as fontkit gives it. */
export interface GlyphCommand {
  readonly command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
  readonly args: readonly number[];
}

export interface CjkFont {
  /** The parsed font, for pdf-lib's subsetting embedder. */
  readonly parsed: Font;
  readonly postscriptName: string;
  readonly unitsPerEm: number;
  /** Advance width of `text` at a size of 1 (PDF text space units per point of font size). */
  widthOf(text: string): number;
  /** The characters of `text` the font has no glyph for. */
  missingCharacters(text: string): string[];
  /** Outline and advance of one character, in font units. */
  outline(character: string): { readonly commands: readonly GlyphCommand[]; readonly advanceWidth: number };
}

const parsedFonts = new WeakMap<Uint8Array, CjkFont>();

/** Parses `bytes` (TrueType-outline TTF/OTF, WOFF or WOFF2), or returns the font parsed from the same array before. */
export function loadCjkFont(bytes: Uint8Array): CjkFont {
  const cached = parsedFonts.get(bytes);
  if (cached !== undefined) return cached;
  let parsed: Font;
  try {
    parsed = fontkit.create(bytes);
  } catch (cause) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'the font is not a TrueType, OpenType or WOFF font', { cause, field: 'font' });
  }
  const tables = (parsed as unknown as { directory?: { tables?: Record<string, unknown> } }).directory?.tables ?? {};
  // Subsetting CFF-outline CJK fonts produces text that renders wrong; glyf outlines subset cleanly.
  if (!('glyf' in tables)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'the font needs TrueType (glyf) outlines; CFF-outline fonts do not subset correctly', {
      field: 'font',
    });
  }
  padSubsetGlyphs(parsed);
  const font = wrap(parsed);
  parsedFonts.set(bytes, font);
  return font;
}

interface TrueTypeSubsetInternals {
  _addGlyph?: (glyphId: number) => number;
  glyf: Uint8Array[];
  offset: number;
}

/**
 * fontkit's TrueType subsetter copies each glyph's bytes as they are and then writes a short-format loca
 * (offsets / 2) when the subset is small. Fonts that store glyphs at odd lengths (Noto Serif SC: half of
 * them) come out with misaligned offsets and most characters blank. Padding every copied glyph to four
 * bytes, as the TrueType spec recommends, keeps every offset exact.
 */
function padSubsetGlyphs(font: Font): void {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    const internals = subset as unknown as TrueTypeSubsetInternals;
    const addGlyph = internals._addGlyph;
    if (typeof addGlyph !== 'function') return subset;
    internals._addGlyph = function (this: TrueTypeSubsetInternals, glyphId: number) {
      const index = addGlyph.call(this, glyphId);
      const data = this.glyf[index]!;
      const padding = (4 - (data.length % 4)) % 4;
      if (padding > 0) {
        // The same (bundled Buffer) class as fontkit's own chunks: its stream writer accepts no other.
        const padded = (data.constructor as unknown as { alloc(size: number): Uint8Array }).alloc(data.length + padding);
        padded.set(data);
        this.glyf[index] = padded;
        this.offset += padding;
      }
      return index;
    };
    return subset;
  };
}

function wrap(parsed: Font): CjkFont {
  const unitsPerEm = parsed.unitsPerEm;
  const widths = new Map<number, number>();
  const advance = (codePoint: number): number => {
    let width = widths.get(codePoint);
    if (width === undefined) {
      width = parsed.glyphForCodePoint(codePoint).advanceWidth / unitsPerEm;
      widths.set(codePoint, width);
    }
    return width;
  };
  return {
    parsed,
    // Some fonts have no PostScript name; the subset's /BaseFont still needs one.
    postscriptName: (parsed.postscriptName ?? 'CJKFont').replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, ''),
    unitsPerEm,
    widthOf(text) {
      let width = 0;
      for (const character of text) width += advance(character.codePointAt(0)!);
      return width;
    },
    missingCharacters(text) {
      return [...new Set(text)].filter((character) => !parsed.hasGlyphForCodePoint(character.codePointAt(0)!));
    },
    outline(character) {
      const glyph = parsed.glyphForCodePoint(character.codePointAt(0)!);
      const commands = (glyph.path as unknown as { commands: GlyphCommand[] }).commands;
      return { commands, advanceWidth: glyph.advanceWidth };
    },
  };
}
