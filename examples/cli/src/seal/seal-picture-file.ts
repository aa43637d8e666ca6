/**
 * A seal picture from a file: SVG (its size read from width/height in mm) or PNG (its pixel size at the
 * density it records, 300 dpi when it records none), or a size the user states.
 */
import type { SealPictureInput } from '@elicense/core';
import { UsageError } from '../errors.js';
import { DEFAULT_DPI } from './rasterize-svg.js';
import { isPng, pngGeometry } from './png-density.js';

export interface SizeMm {
  readonly widthMm: number;
  readonly heightMm: number;
}

/** `42` (round or square) or `40x30` (width × height), whole or decimal millimetres. */
export function parseSizeMm(value: string, option: string): SizeMm {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:[x×*]\s*(\d+(?:\.\d+)?))?\s*(?:mm)?\s*$/i.exec(value);
  const widthMm = match ? Number(match[1]) : Number.NaN;
  const heightMm = match?.[2] === undefined ? widthMm : Number(match[2]);
  if (!(widthMm >= 5 && widthMm <= 200 && heightMm >= 5 && heightMm <= 200)) {
    throw new UsageError(`${option} must be a size in mm such as 42 or 40x30 (5 to 200 mm), got "${value}"`);
  }
  return { widthMm, heightMm };
}

function svgSizeMm(svg: string): SizeMm | undefined {
  const root = /<svg\b[^>]*>/i.exec(svg.slice(0, 4096))?.[0];
  const length = (name: string) => {
    const match = root && new RegExp(`\\s${name}\\s*=\\s*["']\\s*(\\d+(?:\\.\\d+)?)\\s*(mm|cm)\\s*["']`).exec(root);
    return match ? Number(match[1]) * (match[2] === 'cm' ? 10 : 1) : undefined;
  };
  const [widthMm, heightMm] = [length('width'), length('height')];
  return widthMm !== undefined && heightMm !== undefined ? { widthMm, heightMm } : undefined;
}

/** SES_PictrueInfo carries whole millimetres. */
function wholeMm(size: SizeMm, path: string): Pick<SealPictureInput, 'widthMm' | 'heightMm'> {
  const [widthMm, heightMm] = [Math.round(size.widthMm), Math.round(size.heightMm)];
  if (!(widthMm >= 5 && widthMm <= 200 && heightMm >= 5 && heightMm <= 200)) {
    throw new UsageError(`picture ${path} is ${widthMm} × ${heightMm} mm; a seal is 5 to 200 mm each way (state it with --picture-size-mm)`);
  }
  return { widthMm, heightMm };
}

export function sealPictureFromFile(bytes: Uint8Array, path: string, stated?: SizeMm): SealPictureInput {
  if (isPng(bytes)) {
    let size: SizeMm | undefined = stated;
    if (size === undefined) {
      let geometry;
      try {
        geometry = pngGeometry(bytes);
      } catch (error) {
        throw new UsageError(`picture ${path}: ${(error as Error).message}`);
      }
      const dpi = geometry.dpi ?? DEFAULT_DPI;
      size = { widthMm: (geometry.width / dpi) * 25.4, heightMm: (geometry.height / dpi) * 25.4 };
    }
    return { type: 'png', data: bytes, ...wholeMm(size, path) };
  }
  const text = new TextDecoder().decode(bytes.subarray(0, 4096));
  if (/<svg\b/i.test(text)) {
    const size = stated ?? svgSizeMm(text);
    if (size === undefined) throw new UsageError(`picture ${path}: the SVG gives no width and height in mm; state the size with --picture-size-mm`);
    return { type: 'svg', data: bytes, ...wholeMm(size, path) };
  }
  throw new UsageError(`picture ${path} is neither PNG nor SVG`);
}
