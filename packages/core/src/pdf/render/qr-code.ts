/** The QR code as vector modules, with its 4-module quiet zone painted white so a frame or pattern cannot touch it. */
import { utf8 } from '../../bytes.js';
import { ElicenseError } from '../../errors.js';
import { qrSymbol } from '../../qr/symbol-size.js';
import { num } from './outline-path.js';

/** About 600 bytes is what the QR design needs; twice that still scans at 30 mm in good print. */
export const MAX_QR_BYTES = 1200;
const QUIET_ZONE_MODULES = 4;

/** Operators painting the QR code for `text` with its modules filling the square at (x, y) of side `size`. */
export function qrCodeOperators(text: string, x: number, y: number, size: number): string {
  if (typeof text !== 'string' || text === '') {
    throw new ElicenseError('ERR_INVALID_INPUT', 'the QR code text is a non-empty string', { field: 'qr.text' });
  }
  const bytes = utf8(text).length;
  if (bytes > MAX_QR_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `the QR code text is ${bytes} bytes; at most ${MAX_QR_BYTES} print legibly`, { field: 'qr.text' });
  }
  // Level M survives a fold or a stain across 15 % of the symbol; byte mode keeps UTF-8 text intact.
  const { modules } = qrSymbol(text);
  const count = modules.size;
  const moduleSize = size / count;
  const quiet = QUIET_ZONE_MODULES * moduleSize;
  const ops = ['q', '1 1 1 rg', `${num(x - quiet)} ${num(y - quiet)} ${num(size + 2 * quiet)} ${num(size + 2 * quiet)} re f`, '0 0 0 rg'];
  for (let row = 0; row < count; row++) {
    // One rectangle per horizontal run of dark modules keeps the stream small and leaves no seams.
    let runStart = -1;
    for (let column = 0; column <= count; column++) {
      const dark = column < count && modules.get(row, column) === 1;
      if (dark && runStart < 0) runStart = column;
      if (!dark && runStart >= 0) {
        const top = y + size - row * moduleSize;
        ops.push(`${num(x + runStart * moduleSize)} ${num(top - moduleSize)} ${num((column - runStart) * moduleSize)} ${num(moduleSize)} re`);
        runStart = -1;
      }
    }
  }
  ops.push('f', 'Q');
  return ops.join('\n');
}
