/** How big the printed QR symbol for a text is: version, modules per side, and module size on the page. */
import QRCode from 'qrcode';
import { utf8 } from '../bytes.js';
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

/**
 * Runs of the QR alphanumeric set (ISO/IEC 18004 §7.4.4: digits, capitals, space and $%*+-./:) long
 * enough to pay for their own segment: at 5.5 bits a character instead of 8 they save 2.5 bits each,
 * and the two segment headers the switch adds cost about 35 bits (one header, 15 bits, for a run that
 * ends the text). Inside them, runs of digits long enough for numeric mode (3.3 bits a digit) to repay
 * its header and the alphanumeric one after it.
 */
const ALPHANUMERIC_RUN = /[0-9A-Z $%*+./:-]{16,}|[0-9A-Z $%*+./:-]{7,}$/g;
const NUMERIC_RUN = /[0-9]{15,}/g;

type Segment = QRCode.QRCodeSegment;

/** `text` cut at the matches of `runs` (a global pattern): each match through `matched`, each stretch between through `between`. */
function cutAt(text: string, runs: RegExp, matched: (run: string) => Segment[], between: (stretch: string) => Segment): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const run of text.matchAll(runs)) {
    if (run.index > at) segments.push(between(text.slice(at, run.index)));
    segments.push(...matched(run[0]));
    at = run.index + run[0].length;
  }
  if (at < text.length) segments.push(between(text.slice(at)));
  return segments;
}

/**
 * The text in segments: long alphanumeric runs (a license identifier) in alphanumeric and numeric mode,
 * the rest as bytes. The library finds the optimal segmentation itself if asked, but its shortest-path
 * search costs as much as the rest of building a license's symbol, and on license texts this gives the
 * same version (license-qr.test.ts compares the two).
 */
function segmentsOf(text: string): Segment[] {
  const alphanumeric = (run: string) =>
    cutAt(run, NUMERIC_RUN, (digits) => [{ data: digits, mode: 'numeric' }], (stretch) => ({ data: stretch, mode: 'alphanumeric' }));
  return cutAt(text, ALPHANUMERIC_RUN, alphanumeric, (stretch) => ({ data: utf8(stretch), mode: 'byte' }));
}

/** The QR symbol for `text` as eLicense prints it: error correction M, segmented as `segmentsOf` says. */
export function qrSymbol(text: string): QrSymbol {
  // An empty text is refused by the library, as it always was, rather than drawn as an empty symbol.
  return recentSymbols(text, () => QRCode.create(text === '' ? text : segmentsOf(text), { errorCorrectionLevel: 'M' }));
}

/** Encoded as the PDF renderer encodes it (see `qrSymbol`). */
export function qrSymbolSize(text: string, sizeMm: number = QR_SIZE_MM): QrSymbolSize {
  const symbol = qrSymbol(text);
  return { version: symbol.version, modules: symbol.modules.size, moduleMm: sizeMm / symbol.modules.size };
}
