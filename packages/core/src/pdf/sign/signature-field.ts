/**
 * Puts a signature value into a form field: a new signature field whose widget sits on a page, or an
 * existing empty one. Every container that changes (catalog, /AcroForm, /Fields, the page or its
 * /Annots) is rewritten in the update with all its existing entries.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { ElicenseError } from '../../errors.js';
import { pdfTextString } from '../write/pdf-text.js';
import type { PdfUpdateDraft } from '../write/update-draft.js';
import { writeAppearance, type SignatureAppearance } from './appearance.js';
import { acroFormOf, listFormFields } from './form-fields.js';
import { pageRefAt } from './page-tree.js';

export type Rectangle = readonly [x1: number, y1: number, x2: number, y2: number];

export interface VisibleSignature {
  /** Zero-based page index. */
  readonly page: number;
  /** Lower-left and upper-right corners in the page's default user space (points). */
  readonly rect: Rectangle;
  readonly appearance: SignatureAppearance;
}

export interface SignatureFieldOptions {
  /**
   * An existing empty signature field (by its full name) to sign, or the name of the new field;
   * by default a new field `Signature<n>` with the first free n.
   */
  readonly fieldName?: string;
  /**
   * Where and how the signature shows. Without it the signature is invisible. An existing field keeps
   * its own widget position; only the appearance is used. After a certification, validators such as
   * pyHanko treat a new visible field as a change beyond signing: lay out empty fields before certifying.
   */
  readonly visible?: VisibleSignature;
}

/** Print + Locked (ISO 32000-2 Table 167): shown when printed, and not movable by a viewer. */
const WIDGET_FLAGS = 132;
/** SignaturesExist + AppendOnly (Table 225): viewers must keep later changes incremental. */
const SIG_FLAGS = 3;
const MAX_NAME_LENGTH = 255;

/** Attaches `signatureRef` as the value of a signature field; returns the field's full name. */
export function attachSignatureField(draft: PdfUpdateDraft, signatureRef: PDFRef, options: SignatureFieldOptions): string {
  const fields = listFormFields(draft);
  const existing = options.fieldName === undefined ? undefined : fields.find((f) => f.fullName === options.fieldName);
  if (existing !== undefined) {
    if (existing.type !== 'Sig') {
      throw new ElicenseError('ERR_INVALID_INPUT', `field ${existing.fullName} is not a signature field`, { field: 'fieldName' });
    }
    if (existing.signed) throw new ElicenseError('ERR_INVALID_INPUT', `field ${existing.fullName} is already signed`, { field: 'fieldName' });
    const field = draft.editDict(existing.ref);
    field.set(PDFName.of('V'), signatureRef);
    if (options.visible !== undefined) setAppearance(draft, field, existing.ref, options.visible.appearance);
    raiseSigFlags(draft);
    return existing.fullName;
  }

  const names = new Set(fields.map((f) => f.fullName));
  const name = options.fieldName ?? firstFreeName(names);
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || name.includes('.')) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'a field name is 1 to 255 characters without a period', { field: 'fieldName' });
  }
  const pageRef = pageRefAt(draft, options.visible?.page ?? 0);
  const field = PDFDict.withContext(draft.context);
  field.set(PDFName.of('FT'), PDFName.of('Sig'));
  field.set(PDFName.of('T'), pdfTextString(name));
  field.set(PDFName.of('V'), signatureRef);
  field.set(PDFName.of('Type'), PDFName.of('Annot'));
  field.set(PDFName.of('Subtype'), PDFName.of('Widget'));
  field.set(PDFName.of('F'), PDFNumber.of(WIDGET_FLAGS));
  field.set(PDFName.of('P'), pageRef);
  field.set(PDFName.of('Rect'), draft.context.obj(options.visible === undefined ? [0, 0, 0, 0] : rectangle(options.visible.rect)));
  if (options.visible !== undefined) {
    field.set(PDFName.of('AP'), draft.context.obj({ N: writeAppearance(draft, options.visible.appearance) }));
  }
  const fieldRef = draft.allocate();
  draft.put(fieldRef, field);

  appendToArrayEntry(draft, acroFormRef(draft), 'Fields', fieldRef);
  raiseSigFlags(draft);
  appendToArrayEntry(draft, pageRef, 'Annots', fieldRef);
  return name;
}

function firstFreeName(names: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!names.has(`Signature${n}`)) return `Signature${n}`;
}

function rectangle(rect: Rectangle): number[] {
  if (rect.length !== 4 || !rect.every(Number.isFinite)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'a rectangle is four finite numbers', { field: 'visible.rect' });
  }
  const [x1, y1, x2, y2] = rect;
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
}

/** The appearance goes on the field's widget: the field itself when merged, else its first kid. */
function setAppearance(draft: PdfUpdateDraft, field: PDFDict, fieldRef: PDFRef, appearance: SignatureAppearance): void {
  let widget = field;
  if (field.get(PDFName.of('Subtype')) !== PDFName.of('Widget')) {
    const kid = draft.resolveArray(field.get(PDFName.of('Kids')))?.get(0);
    if (!(kid instanceof PDFRef) || kid.objectNumber === fieldRef.objectNumber) {
      throw new ElicenseError('ERR_INVALID_INPUT', 'the signature field has no widget to show the appearance on', { field: 'visible' });
    }
    widget = draft.editDict(kid);
  }
  widget.set(PDFName.of('AP'), draft.context.obj({ N: writeAppearance(draft, appearance) }));
}

/** The /AcroForm as an indirect object: created when absent, moved out of the catalog when direct. */
function acroFormRef(draft: PdfUpdateDraft): PDFRef {
  const entry = draft.resolveDict(draft.catalogRef)?.get(PDFName.of('AcroForm'));
  if (entry instanceof PDFRef && draft.resolveDict(entry) !== undefined) return entry;
  const form = PDFDict.withContext(draft.context);
  const direct = acroFormOf(draft);
  if (direct !== undefined) for (const [key, value] of direct.entries()) form.set(key, value);
  const ref = draft.allocate();
  draft.put(ref, form);
  draft.editDict(draft.catalogRef).set(PDFName.of('AcroForm'), ref);
  return ref;
}

function raiseSigFlags(draft: PdfUpdateDraft): void {
  const current = draft.resolve(acroFormOf(draft)?.get(PDFName.of('SigFlags')));
  const flags = current instanceof PDFNumber ? current.asNumber() : 0;
  if ((flags & SIG_FLAGS) === SIG_FLAGS) return;
  draft.editDict(acroFormRef(draft)).set(PDFName.of('SigFlags'), PDFNumber.of(flags | SIG_FLAGS));
}

/**
 * Appends `item` to the array under `key` of the dictionary object `ownerRef`: the array object is
 * rewritten when the entry refers to one, else the owner is, with a copy of the array plus the item.
 */
export function appendToArrayEntry(draft: PdfUpdateDraft, ownerRef: PDFRef, key: string, item: PDFRef): void {
  const entry = draft.resolveDict(ownerRef)?.get(PDFName.of(key));
  if (entry instanceof PDFRef && draft.resolveArray(entry) !== undefined) {
    draft.editArray(entry).push(item);
    return;
  }
  const copy = PDFArray.withContext(draft.context);
  for (const value of draft.resolveArray(entry)?.asArray() ?? []) copy.push(value);
  copy.push(item);
  draft.editDict(ownerRef).set(PDFName.of(key), copy);
}
