/** How big the printed QR symbol for a text is: version, modules per side, and module size on the page. */
import QRCode from 'qrcode';
import { QR_SIZE_MM } from '../pdf/render/page-layout.js';
import { recentValues } from '../recent-values.js';

/** Below this, office printers and phone cameras stop reading symbols reliably. */
export const MIN_QR_MODULE_MM = 0.3;

export interface QrSymbolSize {
  readonly version: number;
  readonly modules: number;
  /** Side of one module when the symbol fills `sizeMm`. */
  readonly moduleMm: number;
}

export type QrSymbol = ReturnType<typeof QRCode.create>;

/**
 * Building a symbol (segmentation, then all eight masks scored) costs milliseconds, and issuing builds
 * the same one twice: to check that it prints large enough, then to draw it. So the last few are kept.
 */
const recentSymbols = recentValues<string, QrSymbol>(8);

/** The QR symbol for `text` as eLicense prints it: error correction M, the library's optimal segmentation. */
export function qrSymbol(text: string): QrSymbol {
  return recentSymbols(text, () => QRCode.create(text, { errorCorrectionLevel: 'M' }));
}

/** Encoded as the PDF renderer encodes it (see `qrSymbol`). */
export function qrSymbolSize(text: string, sizeMm: number = QR_SIZE_MM): QrSymbolSize {
  const symbol = qrSymbol(text);
  return { version: symbol.version, modules: symbol.modules.size, moduleMm: sizeMm / symbol.modules.size };
}
