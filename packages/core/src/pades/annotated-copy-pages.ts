/**
 * The pages of a signed PDF drawn into a new document, looking as a viewer shows them: each page's
 * content becomes a form XObject, and each visible annotation's normal appearance is drawn where the
 * annotation sits (ISO 32000-1 §12.5.5). A license's seal is the appearance of its signature widget, so
 * without the second part the copy would show the license without its seal.
 *
 * Only what is drawn is copied: not the annotations themselves, the form fields or the signature
 * dictionaries (whose reserved /Contents alone is tens of kilobytes). One copier serves the whole
 * document, so a font or image the page and an appearance share is copied once.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFObjectCopier, PDFRawStream, PDFStream, decodePDFRawStream, type PDFDocument, type PDFPage } from 'pdf-lib';
import { concatBytes } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { num } from '../pdf/render/outline-path.js';

type Box = readonly [number, number, number, number];

/** Annotation flags (ISO 32000-1 §12.5.3) that keep an annotation off the screen. */
const HIDDEN = 1 << 1;
const NO_VIEW = 1 << 5;
const PAGE_FORM = 'Original';

/** Adds to `target` one page per page of `source`, the same size, showing it; returns the new pages. */
export function drawSourcePages(source: PDFDocument, target: PDFDocument): PDFPage[] {
  const copier = PDFObjectCopier.for(source.context, target.context);
  return source.getPages().map((sourcePage, index) => {
    const mediaBox = boxOf(sourcePage.node.MediaBox(), `page ${index + 1} /MediaBox`);
    const page = target.addPage([mediaBox[2] - mediaBox[0], mediaBox[3] - mediaBox[1]]);
    // Same coordinates as the source page, so annotation rectangles need no translation.
    page.setMediaBox(mediaBox[0], mediaBox[1], mediaBox[2] - mediaBox[0], mediaBox[3] - mediaBox[1]);
    const cropBox = sourcePage.node.CropBox();
    if (cropBox) {
      const [x1, y1, x2, y2] = boxOf(cropBox, `page ${index + 1} /CropBox`);
      page.setCropBox(x1, y1, x2 - x1, y2 - y1);
    }
    page.setRotation(sourcePage.getRotation());

    const operators: string[] = [];
    const form = target.context.register(copier.copy(pageForm(source, sourcePage, mediaBox)));
    page.node.setXObject(PDFName.of(PAGE_FORM), form);
    operators.push(`q /${PAGE_FORM} Do Q`);
    for (const [n, appearance] of visibleAppearances(source, sourcePage).entries()) {
      const name = `Annot${n}`;
      page.node.setXObject(PDFName.of(name), target.context.register(copier.copy(appearance.stream)));
      operators.push(`q ${appearance.matrix.map(num).join(' ')} cm /${name} Do Q`);
    }
    page.node.addContentStream(target.context.register(target.context.stream(operators.join('\n'))));
    return page;
  });
}

/** The page's content as a form XObject in the source document (copied across with its resources). */
function pageForm(source: PDFDocument, page: PDFPage, mediaBox: Box): PDFStream {
  // Read as stored: pdf-lib's normalizedEntries() would wrap the contents in extra q/Q streams.
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((entry) => source.context.lookup(entry)) : contents ? [contents] : [];
  const formEntries = { Type: 'XObject', Subtype: 'Form', FormType: 1, BBox: [...mediaBox], Resources: page.node.Resources() ?? {} };
  const only = streams[0];
  if (streams.length === 1 && only instanceof PDFRawStream) {
    // One content stream, the usual case: its bytes are used as they are, still compressed.
    const dict = only.dict.clone(source.context);
    for (const [key, value] of Object.entries(formEntries)) dict.set(PDFName.of(key), source.context.obj(value as Parameters<typeof source.context.obj>[0]));
    return PDFRawStream.of(dict, only.contents);
  }
  // Several streams form one content stream (§7.8.2): decoded and joined, as pdf-lib's page embedder does.
  const parts = streams.flatMap((stream) => {
    if (!(stream instanceof PDFRawStream)) throw invalid('a page content stream is not a stream');
    return [decodePDFRawStream(stream).decode(), new Uint8Array([0x0a])];
  });
  return source.context.flateStream(concatBytes(...parts), formEntries);
}

interface PlacedAppearance {
  readonly stream: PDFStream;
  /** Maps the appearance (after its own /Matrix) onto the annotation's rectangle. */
  readonly matrix: readonly [number, number, number, number, number, number];
}

/** The normal appearances of the page's annotations a viewer would show, placed per §12.5.5. */
function visibleAppearances(source: PDFDocument, page: PDFPage): PlacedAppearance[] {
  const placed: PlacedAppearance[] = [];
  for (const entry of page.node.Annots()?.asArray() ?? []) {
    const annotation = source.context.lookup(entry);
    if (!(annotation instanceof PDFDict)) continue;
    const flags = numberIn(annotation, 'F') ?? 0;
    if ((flags & (HIDDEN | NO_VIEW)) !== 0) continue;
    const stream = normalAppearance(source, annotation);
    const rect = optionalBox(source.context.lookup(annotation.get(PDFName.of('Rect'))));
    if (!stream || !rect) continue;
    const bbox = optionalBox(source.context.lookup(stream.dict.get(PDFName.of('BBox'))));
    if (!bbox) continue;
    const own = matrixOf(source.context.lookup(stream.dict.get(PDFName.of('Matrix'))));
    const [x1, y1, x2, y2] = transformedBounds(bbox, own);
    const [rx1, ry1, rx2, ry2] = normalized(rect);
    // An invisible signature (a zero-size widget) or a degenerate appearance draws nothing.
    if (x2 - x1 <= 0 || y2 - y1 <= 0 || rx2 - rx1 <= 0 || ry2 - ry1 <= 0) continue;
    const sx = (rx2 - rx1) / (x2 - x1);
    const sy = (ry2 - ry1) / (y2 - y1);
    placed.push({ stream, matrix: [sx, 0, 0, sy, rx1 - x1 * sx, ry1 - y1 * sy] });
  }
  return placed;
}

/** /AP /N: a stream, or for annotations with states the one /AS names. */
function normalAppearance(source: PDFDocument, annotation: PDFDict): PDFStream | undefined {
  const ap = source.context.lookup(annotation.get(PDFName.of('AP')));
  if (!(ap instanceof PDFDict)) return undefined;
  const normal = source.context.lookup(ap.get(PDFName.of('N')));
  if (normal instanceof PDFStream) return normal;
  if (!(normal instanceof PDFDict)) return undefined;
  const state = annotation.get(PDFName.of('AS'));
  const chosen = state instanceof PDFName ? source.context.lookup(normal.get(state)) : undefined;
  return chosen instanceof PDFStream ? chosen : undefined;
}

function transformedBounds(box: Box, [a, b, c, d, e, f]: readonly number[]): Box {
  const corners = [
    [box[0], box[1]],
    [box[0], box[3]],
    [box[2], box[1]],
    [box[2], box[3]],
  ].map(([x, y]) => [a! * x! + c! * y! + e!, b! * x! + d! * y! + f!] as const);
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function matrixOf(value: unknown): readonly number[] {
  const numbers = value instanceof PDFArray ? value.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN)) : [];
  return numbers.length === 6 && numbers.every(Number.isFinite) ? numbers : [1, 0, 0, 1, 0, 0];
}

function optionalBox(value: unknown): Box | undefined {
  if (!(value instanceof PDFArray) || value.size() !== 4) return undefined;
  const numbers = value.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
  return numbers.every(Number.isFinite) ? [numbers[0]!, numbers[1]!, numbers[2]!, numbers[3]!] : undefined;
}

function boxOf(value: unknown, what: string): Box {
  const box = optionalBox(value);
  if (!box) throw invalid(`${what} is not a rectangle`);
  const [x1, y1, x2, y2] = normalized(box);
  if (x2 - x1 <= 0 || y2 - y1 <= 0) throw invalid(`${what} is empty`);
  return [x1, y1, x2, y2];
}

function normalized([x1, y1, x2, y2]: Box): Box {
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
}

function numberIn(dict: PDFDict, key: string): number | undefined {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}

function invalid(message: string): ElicenseError {
  return new ElicenseError('ERR_PDF_INVALID', `the license PDF cannot be copied: ${message}`, { field: 'licensePdf' });
}
