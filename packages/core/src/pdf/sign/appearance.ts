/**
 * The visible part of a signature: a Form XObject the caller draws (the renderer's seal), written as
 * new objects of the update. Streams nested in its resources become objects of their own.
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import { ElicenseError } from '../../errors.js';
import type { PdfUpdateDraft } from '../write/update-draft.js';

export interface SignatureAppearance {
  /** Size of the drawing in its own units; viewers scale it to the widget's rectangle. */
  readonly width: number;
  readonly height: number;
  /** The content stream: PDF operators, as bytes or as a Latin-1 string. */
  readonly operators: Uint8Array | string;
  /**
   * The /Resources of the drawing (fonts, images, ...). Streams may sit inside it directly; they are
   * written as objects of their own. References are refused: they would point into another document.
   */
  readonly resources?: PDFDict;
}

const MAX_DEPTH = 32;
/** Points: 200 inches, ISO 32000's limit on page size. */
const MAX_EXTENT = 14_400;

export function writeAppearance(draft: PdfUpdateDraft, appearance: SignatureAppearance): PDFRef {
  const { width, height } = appearance;
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isFinite(value) || value <= 0 || value > MAX_EXTENT) {
      throw new ElicenseError('ERR_INVALID_INPUT', `appearance ${name} must be a positive number of points`, { field: `appearance.${name}` });
    }
  }
  const dict = PDFDict.withContext(draft.context);
  dict.set(PDFName.of('Type'), PDFName.of('XObject'));
  dict.set(PDFName.of('Subtype'), PDFName.of('Form'));
  dict.set(PDFName.of('BBox'), draft.context.obj([0, 0, width, height]));
  const resources = appearance.resources === undefined ? PDFDict.withContext(draft.context) : hoistStreams(draft, appearance.resources, 0);
  dict.set(PDFName.of('Resources'), resources);
  const ref = draft.allocate();
  draft.put(ref, PDFRawStream.of(dict, operatorBytes(appearance.operators)));
  return ref;
}

function operatorBytes(operators: Uint8Array | string): Uint8Array {
  if (operators instanceof Uint8Array) return operators;
  const out = new Uint8Array(operators.length);
  for (let i = 0; i < operators.length; i++) {
    const code = operators.charCodeAt(i);
    if (code > 0xff) {
      throw new ElicenseError('ERR_INVALID_INPUT', 'appearance operators given as text must be Latin-1', { field: 'appearance.operators' });
    }
    out[i] = code;
  }
  return out;
}

/** A copy of `object` in which every stream is replaced by a reference to a new object holding it. */
function hoistStreams(draft: PdfUpdateDraft, object: PDFObject, depth: number): PDFObject {
  if (depth > MAX_DEPTH) throw new ElicenseError('ERR_INVALID_INPUT', 'appearance resources nest too deep', { field: 'appearance.resources' });
  if (object instanceof PDFRef) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'appearance resources must not hold references', { field: 'appearance.resources' });
  }
  if (object instanceof PDFStream) {
    const dict = hoistStreams(draft, object.dict, depth + 1) as PDFDict;
    const ref = draft.allocate();
    draft.put(ref, PDFRawStream.of(dict, object.getContents()));
    return ref;
  }
  if (object instanceof PDFDict) {
    const copy = PDFDict.withContext(draft.context);
    for (const [key, value] of object.entries()) copy.set(key, hoistStreams(draft, value, depth + 1));
    return copy;
  }
  if (object instanceof PDFArray) {
    const copy = PDFArray.withContext(draft.context);
    for (const value of object.asArray()) copy.push(hoistStreams(draft, value, depth + 1));
    return copy;
  }
  return object;
}

