/**
 * The font licenses are printed in, for Node: Noto Serif SC Regular (思源宋体, SIL Open Font License 1.1),
 * installed from npm as @expo-google-fonts/noto-serif-sc. A serif (宋体) face, as Chinese licenses and
 * seals are set, with TrueType outlines, which subset correctly into PDFs.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export const LICENSE_FONT_FILE = '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf';

let font: Promise<Uint8Array> | undefined;

/** The font's bytes, read once: core caches the parsed font per array, so every caller gets the same one. */
export function loadLicenseFont(): Promise<Uint8Array> {
  font ??= readFile(createRequire(import.meta.url).resolve(LICENSE_FONT_FILE)).then((bytes) => new Uint8Array(bytes));
  return font;
}
