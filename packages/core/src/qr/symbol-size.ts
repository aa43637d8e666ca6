/** How big the printed QR symbol for a text is: version, modules per side, and module size on the page. */
import QRCode from 'qrcode';
import { QR_SIZE_MM } from '../pdf/render/page-layout.js';

/** Below this, office printers and phone cameras stop reading symbols reliably. */
export const MIN_QR_MODULE_MM = 0.3;

export interface QrSymbolSize {
  readonly version: number;
  readonly modules: number;
  /** Side of one module when the symbol fills `sizeMm`. */
  readonly moduleMm: number;
}

/** Encoded as the PDF renderer encodes it (error correction M, the library's optimal segmentation). */
export function qrSymbolSize(text: string, sizeMm: number = QR_SIZE_MM): QrSymbolSize {
  const symbol = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { version: symbol.version, modules: symbol.modules.size, moduleMm: sizeMm / symbol.modules.size };
}
