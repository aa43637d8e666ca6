/**
 * SVG to PNG with resvg (Rust, through napi-rs prebuilt binaries): the seal at its size in millimetres
 * and the given density, on a transparent background, with that density recorded in the file.
 */
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { UsageError } from '../errors.js';
import { withPngDensity } from './png-density.js';

export const DEFAULT_DPI = 300;
/** An 80 mm seal at 1200 dpi is under 4000 pixels a side; a picture asking for more is refused before rendering. */
const MAX_PIXELS_PER_SIDE = 8000;

// Loaded at run time from node_modules: the package picks its native binary next to itself, so it cannot be bundled.
let resvg: typeof ResvgClass | undefined;
function Resvg(): typeof ResvgClass {
  const packageName = '@resvg/resvg-js';
  resvg ??= (createRequire(import.meta.url)(packageName) as { Resvg: typeof ResvgClass }).Resvg;
  return resvg;
}

export function svgToPng(svg: string | Uint8Array, dpi = DEFAULT_DPI): Uint8Array {
  if (!(dpi >= 72 && dpi <= 1200)) throw new UsageError(`--dpi must be 72 to 1200, got ${dpi}`);
  let renderer: ResvgClass;
  try {
    // No system fonts: our seals are outlines, and a picture's text must not depend on this machine's fonts.
    renderer = new (Resvg())(typeof svg === 'string' ? svg : Buffer.from(svg.buffer, svg.byteOffset, svg.byteLength), { dpi, font: { loadSystemFonts: false } });
  } catch (error) {
    throw new UsageError(`the SVG cannot be read: ${(error as Error).message}`);
  }
  if (!(renderer.width >= 1 && renderer.height >= 1 && renderer.width <= MAX_PIXELS_PER_SIDE && renderer.height <= MAX_PIXELS_PER_SIDE)) {
    throw new UsageError(`the SVG would be ${Math.round(renderer.width)} × ${Math.round(renderer.height)} pixels at ${dpi} dpi; at most ${MAX_PIXELS_PER_SIDE} a side`);
  }
  return withPngDensity(new Uint8Array(renderer.render().asPng()), dpi);
}
