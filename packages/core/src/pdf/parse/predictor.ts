/**
 * Undoing the PNG and TIFF predictors of /DecodeParms (ISO 32000-1 §7.4.4.4), which writers use on
 * cross-reference streams (PNG Up with /Columns = the entry width is the common case).
 */
import { PdfError, malformed } from './errors.js';
import type { PdfDict } from './objects.js';

export function undoPredictor(data: Uint8Array, parms: PdfDict | undefined, offset: number): Uint8Array {
  const predictor = numberParam(parms, 'Predictor', 1);
  if (predictor === 1) return data;
  const colors = numberParam(parms, 'Colors', 1);
  const bits = numberParam(parms, 'BitsPerComponent', 8);
  const columns = numberParam(parms, 'Columns', 1);
  if (![1, 2, 4, 8, 16].includes(bits) || colors < 1 || colors > 32 || columns < 1 || columns > 1 << 20) {
    throw malformed('invalid predictor parameters', offset);
  }
  const rowBytes = Math.ceil((colors * bits * columns) / 8);
  const pixelBytes = Math.max(1, Math.ceil((colors * bits) / 8));
  if (predictor === 2) {
    if (bits !== 8) throw new PdfError('PDF_UNSUPPORTED', `TIFF predictor with ${bits} bits per component`, offset);
    const out = data.slice();
    for (let row = 0; row + rowBytes <= out.length; row += rowBytes) {
      for (let i = pixelBytes; i < rowBytes; i++) out[row + i] = (out[row + i]! + out[row + i - pixelBytes]!) & 0xff;
    }
    return out;
  }
  if (predictor < 10 || predictor > 15) throw malformed(`unknown predictor ${predictor}`, offset);
  return undoPng(data, rowBytes, pixelBytes, offset);
}

function undoPng(data: Uint8Array, rowBytes: number, pixelBytes: number, offset: number): Uint8Array {
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)]!;
    const src = r * (rowBytes + 1) + 1;
    const dst = r * rowBytes;
    const prev = dst - rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[src + i]!;
      const left = i >= pixelBytes ? out[dst + i - pixelBytes]! : 0;
      const up = r > 0 ? out[prev + i]! : 0;
      const upLeft = r > 0 && i >= pixelBytes ? out[prev + i - pixelBytes]! : 0;
      let value: number;
      switch (type) {
        case 0: value = raw; break;
        case 1: value = raw + left; break;
        case 2: value = raw + up; break;
        case 3: value = raw + ((left + up) >> 1); break;
        case 4: value = raw + paeth(left, up, upLeft); break;
        default: throw malformed(`invalid PNG predictor row type ${type}`, offset);
      }
      out[dst + i] = value & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function numberParam(parms: PdfDict | undefined, key: string, fallback: number): number {
  const value = parms?.get(key);
  return typeof value === 'number' ? value : fallback;
}
