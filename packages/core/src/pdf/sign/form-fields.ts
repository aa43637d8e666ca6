/**
 * The interactive form as signing needs it: every named field with its full name, whether it is a
 * signature field and whether it is signed, and the document's certification (DocMDP) level.
 */
import { PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFArray, type PDFObject } from 'pdf-lib';
import { invalidPdf } from '../write/invalid-pdf.js';
import type { PdfUpdateDraft } from '../write/update-draft.js';

export interface FormField {
  readonly ref: PDFRef;
  readonly dict: PDFDict;
  /** Partial names joined with `.` from the root field down (ISO 32000-2 12.7.4.2). */
  readonly fullName: string;
  /** /FT, inherited from ancestors when the field does not set it. */
  readonly type: string | undefined;
  /** A signature field with a value: a signature (or document timestamp) has been made in it. */
  readonly signed: boolean;
}

const MAX_DEPTH = 32;
const MAX_FIELDS = 100_000;

export function acroFormOf(draft: PdfUpdateDraft): PDFDict | undefined {
  return draft.resolveDict(draft.resolveDict(draft.catalogRef)?.get(PDFName.of('AcroForm')));
}

export function listFormFields(draft: PdfUpdateDraft): FormField[] {
  const fields: FormField[] = [];
  const roots = draft.resolveArray(acroFormOf(draft)?.get(PDFName.of('Fields')));
  if (roots === undefined) return fields;
  const visited = new Set<number>();
  const visit = (items: PDFArray, prefix: string, inheritedType: string | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) throw invalidPdf('form field tree is too deep');
    for (const item of items.asArray()) {
      if (!(item instanceof PDFRef)) continue;
      // Each field is visited once: this ends cycles and ignores a field listed twice.
      if (visited.has(item.objectNumber)) continue;
      visited.add(item.objectNumber);
      if (visited.size > MAX_FIELDS) throw invalidPdf('form has too many fields');
      const dict = draft.resolveDict(item);
      if (dict === undefined) continue;
      const partial = textOf(draft.resolve(dict.get(PDFName.of('T'))));
      // A kid without /T is a widget of its parent field, not a field of its own.
      if (partial === undefined) continue;
      const fullName = prefix === '' ? partial : `${prefix}.${partial}`;
      const ft = draft.resolve(dict.get(PDFName.of('FT')));
      const type = ft instanceof PDFName ? ft.decodeText() : inheritedType;
      const value = draft.resolve(dict.get(PDFName.of('V')));
      fields.push({ ref: item, dict, fullName, type, signed: type === 'Sig' && value instanceof PDFDict });
      const kids = draft.resolveArray(dict.get(PDFName.of('Kids')));
      if (kids !== undefined) visit(kids, fullName, type, depth + 1);
    }
  };
  visit(roots, '', undefined, 0);
  return fields;
}

/** The /P of the certification signature named by the catalog's /Perms /DocMDP, if the document has one. */
export function certificationLevel(draft: PdfUpdateDraft): number | undefined {
  const perms = draft.resolveDict(draft.resolveDict(draft.catalogRef)?.get(PDFName.of('Perms')));
  const signature = draft.resolveDict(perms?.get(PDFName.of('DocMDP')));
  if (signature === undefined) return undefined;
  const references = draft.resolveArray(signature.get(PDFName.of('Reference')));
  for (const item of references?.asArray() ?? []) {
    const reference = draft.resolveDict(item);
    if (draft.resolve(reference?.get(PDFName.of('TransformMethod'))) !== PDFName.of('DocMDP')) continue;
    const params = draft.resolveDict(reference?.get(PDFName.of('TransformParams')));
    const p = draft.resolve(params?.get(PDFName.of('P')));
    // ISO 32000-2 Table 257: /P defaults to 2.
    return p instanceof PDFNumber ? p.asNumber() : 2;
  }
  return 2;
}

function textOf(object: PDFObject | undefined): string | undefined {
  if (object instanceof PDFString || object instanceof PDFHexString) return object.decodeText();
  return undefined;
}
