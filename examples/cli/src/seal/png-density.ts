/**
 * A PNG's print density (its pHYs chunk): written into the seal images we make, so a seal printed or
 * placed from the file comes out at its size in millimetres; read back to learn an uploaded picture's size.
 */
import { crc32 } from 'node:zlib';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const METRES_PER_INCH = 0.0254;
/** A seal picture has a few chunks before its image data; a file that never reaches them is not read further. */
const MAX_CHUNKS_BEFORE_DATA = 64;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function u32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typeAndData = out.subarray(4, 8 + data.length);
  typeAndData.set(new TextEncoder().encode(type), 0);
  typeAndData.set(data, 4);
  view.setUint32(8 + data.length, crc32(typeAndData));
  return out;
}

/** The PNG with a pHYs chunk for `dpi` right after IHDR (where the PNG specification wants it, before IDAT). */
export function withPngDensity(png: Uint8Array, dpi: number): Uint8Array {
  if (!isPng(png) || png.length < 33) throw new Error('not a PNG');
  const ihdrEnd = 8 + 12 + u32(png, 8);
  const pixelsPerMetre = Math.round(dpi / METRES_PER_INCH);
  const data = new Uint8Array(9);
  new DataView(data.buffer).setUint32(0, pixelsPerMetre);
  new DataView(data.buffer).setUint32(4, pixelsPerMetre);
  data[8] = 1; // unit: metre
  const phys = chunk('pHYs', data);
  const out = new Uint8Array(png.length + phys.length);
  out.set(png.subarray(0, ihdrEnd), 0);
  out.set(phys, ihdrEnd);
  out.set(png.subarray(ihdrEnd), ihdrEnd + phys.length);
  return out;
}

export interface PngGeometry {
  readonly width: number;
  readonly height: number;
  /** Dots per inch from pHYs; undefined when the file does not say. */
  readonly dpi?: number;
}

/** Pixel size and density from the header chunks alone. */
export function pngGeometry(png: Uint8Array): PngGeometry {
  if (!isPng(png) || png.length < 33 || String.fromCharCode(...png.subarray(12, 16)) !== 'IHDR') throw new Error('not a PNG with an IHDR header');
  const geometry = { width: u32(png, 16), height: u32(png, 20) };
  let at = 8;
  for (let i = 0; i < MAX_CHUNKS_BEFORE_DATA && at + 12 <= png.length; i++) {
    const length = u32(png, at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'pHYs' && length === 9 && at + 17 <= png.length && png[at + 16] === 1) {
      const x = u32(png, at + 8);
      if (x > 0 && x === u32(png, at + 12)) return { ...geometry, dpi: x * METRES_PER_INCH };
    }
    at += 12 + length;
  }
  return geometry;
}
