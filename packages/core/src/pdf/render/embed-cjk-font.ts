/**
 * The CJK font as pdf-lib embeds it: subset to the glyphs used, with a subset tag derived from the
 * text so the same text gives the same bytes, and parsed once per font file (see cjk-font.ts).
 */
import type { PDFDocument, PDFFont } from 'pdf-lib';
import { loadCjkFont } from './cjk-font.js';

/** Embeds `font` subset to what `texts` need; the returned font encodes those texts (`encodeText`). */
export async function embedCjkFont(doc: PDFDocument, font: Uint8Array, texts: readonly string[]): Promise<PDFFont> {
  // pdf-lib asks its fontkit to parse the font for every document; hand it the parse made once.
  doc.registerFontkit({ create: (bytes: Uint8Array) => loadCjkFont(bytes).parsed } as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  return doc.embedFont(font, { subset: true, customName: `${subsetTag(texts)}+${loadCjkFont(font).postscriptName}` });
}

/** The six-letter subset prefix (ISO 32000 §9.6.4), derived from the text so identical input gives identical bytes. */
function subsetTag(texts: readonly string[]): string {
  let hash = 0x811c9dc5;
  for (const character of [...new Set(texts.join(''))].sort()) {
    hash = Math.imul(hash ^ character.codePointAt(0)!, 0x01000193) >>> 0;
  }
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (hash % 26));
    hash = Math.floor(hash / 26);
  }
  return tag;
}
