/**
 * The pixel size of a PNG or JPEG read from its header alone, so an image too large to decode is refused
 * before any pixel memory is allocated (a small file can declare a huge image).
 */

export interface ImageSize {
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function pngSize(bytes: Uint8Array): ImageSize {
  // The first chunk must be IHDR: width and height follow its length and type.
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw new Error('the PNG has no IHDR header');
  return { format: 'png', width: u32(bytes, 16), height: u32(bytes, 20) };
}

/** Start-of-frame markers (baseline, extended, progressive, lossless; not DHT, JPG or DAC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(bytes: Uint8Array): ImageSize {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error('the JPEG segment structure is broken');
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (isStartOfFrame(marker)) return { format: 'jpeg', height: u16(bytes, at + 5), width: u16(bytes, at + 7) };
    at += 2 + u16(bytes, at + 2);
  }
  throw new Error('the JPEG has no frame header');
}

export function imageSize(bytes: Uint8Array): ImageSize {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngSize(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegSize(bytes);
  throw new Error('not a PNG or JPEG image');
}
