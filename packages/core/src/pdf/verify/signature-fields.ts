/**
 * Form fields of one revision: the AcroForm field tree walked from /Fields (with /FT inherited,
 * ISO 32000-1 §12.7.3.1), each terminal field with its widgets and, when signed, its signature
 * dictionary. Signature widgets that hang on a page but not in that tree are found too, so that a
 * signature a viewer might still show is never missed. Loops and depth are bounded, since /Kids and
 * /Parent can point anywhere.
 */
import { PdfDict, PdfRef, isName, nameOf, numberOf, textOf, type ObjectWithRef, type PdfObject, type RevisionView } from '../parse/index.js';
import { looksLikeSignature } from './signature-dictionary.js';

export interface FormField {
  /** Fully qualified name, partial names joined with '.'. */
  readonly name: string;
  /** Field type (/FT, inherited): 'Sig', 'Tx', 'Btn', 'Ch', or undefined when none is given. */
  readonly type: string | undefined;
  readonly field: ObjectWithRef;
  /** Widget annotations: the field itself when merged, otherwise its /Kids. */
  readonly widgets: readonly ObjectWithRef[];
}

export interface SignatureField extends FormField {
  /** The signature dictionary (/V), when the field is signed. */
  readonly value?: ObjectWithRef;
  /** Set when the field was reached from a page's /Annots only, not from the AcroForm /Fields tree. */
  readonly outsideAcroForm?: true;
  /** Set when the field's value is a signature dictionary but its /FT is not /Sig. */
  readonly notTypedSig?: true;
}

/** Appearance dictionary entries: normal, rollover, down. */
export const APPEARANCE_KEYS = ['N', 'R', 'D'] as const;

const MAX_FIELD_DEPTH = 32;
const MAX_FIELDS = 10_000;

/** Every terminal field of the AcroForm, in /Fields order. */
export function findFormFields(view: RevisionView): FormField[] {
  const form = view.acroForm;
  const roots = view.array(form?.get('Fields')) ?? [];
  const out: FormField[] = [];
  const visited = new Set<number>();
  const stack: { value: PdfRef | PdfDict; parentName: string; inheritedFt: string | undefined; depth: number }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) {
    const root = roots[i];
    if (root instanceof PdfRef || root instanceof PdfDict) stack.push({ value: root, parentName: '', inheritedFt: undefined, depth: 0 });
  }
  while (stack.length > 0 && visited.size < MAX_FIELDS) {
    const { value, parentName, inheritedFt, depth } = stack.pop()!;
    view.doc.budget.spend(1);
    const node = view.withRef(value);
    if (!node) continue;
    if (node.ref) {
      if (visited.has(node.ref.num)) {
        view.doc.ctx.findings.add('error', `form field tree loops back to ${node.ref.toString()}`);
        continue;
      }
      visited.add(node.ref.num);
    }
    const partial = textOf(node.dict.get('T'));
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const ft = nameOf(node.dict.get('FT')) ?? inheritedFt;
    const kids = (view.array(node.dict.get('Kids')) ?? []).flatMap((kid) => (kid instanceof PdfRef || kid instanceof PdfDict ? [kid] : []));
    // Kids with /T are child fields; kids without are this field's widgets.
    const childFields = kids.filter((kid) => view.dict(kid)?.has('T'));
    if (childFields.length > 0 && depth < MAX_FIELD_DEPTH) {
      for (let i = childFields.length - 1; i >= 0; i--) stack.push({ value: childFields[i]!, parentName: name, inheritedFt: ft, depth: depth + 1 });
      continue;
    }
    const widgets = isName(node.dict.get('Subtype'), 'Widget')
      ? [node]
      : kids.flatMap((kid) => {
          const widget = view.withRef(kid);
          return widget ? [widget] : [];
        });
    out.push({ name, type: ft, field: node, widgets });
  }
  return out;
}

/**
 * A widget is visible when its /Rect has an area (pyHanko's test too). Flags are not trusted, since a
 * later update can clear them; a /Rect that is not four direct numbers counts as visible.
 */
function hasArea(widget: PdfDict): boolean {
  const rect = widget.get('Rect');
  if (rect === undefined) return false;
  const numbers = Array.isArray(rect) ? rect.map((v: PdfObject) => numberOf(v)) : [];
  if (numbers.length !== 4 || numbers.some((n) => n === undefined)) return true;
  const [x1, y1, x2, y2] = numbers as [number, number, number, number];
  return Math.abs(x2 - x1) * Math.abs(y2 - y1) > 0;
}

export function isVisibleField(field: FormField): boolean {
  return hasArea(field.field.dict) || field.widgets.some((w) => hasArea(w.dict));
}

export function findSignatureFields(view: RevisionView): SignatureField[] {
  return findFormFields(view).flatMap((field) => (field.type === 'Sig' ? [withSignatureValue(view, field)] : []));
}

/** Fields not typed /Sig whose /V is nonetheless a signature dictionary: a viewer may still show them as signed. */
export function findMistypedSignatureFields(view: RevisionView): SignatureField[] {
  return findFormFields(view).flatMap((field) => {
    if (field.type === 'Sig') return [];
    const found = withSignatureValue(view, field);
    return found.value && looksLikeSignature(found.value.dict) ? [{ ...found, notTypedSig: true as const }] : [];
  });
}

function withSignatureValue(view: RevisionView, field: FormField): SignatureField {
  const signature = view.withRef(field.field.dict.get('V'));
  return signature ? { ...field, value: signature } : field;
}

/**
 * Signed signature fields that a page's /Annots reaches but the AcroForm does not: a widget that is
 * its own field, or a widget whose /Parent chain leads to the field. `known` holds the object numbers
 * of the fields and widgets already found through the AcroForm.
 */
export function findSignatureFieldsOutsideAcroForm(view: RevisionView, known: ReadonlySet<number>): SignatureField[] {
  const out: SignatureField[] = [];
  const seenFields = new Set<number>();
  for (const page of view.pages) {
    for (const widget of view.annotations(page.dict)) {
      view.doc.budget.spend(1);
      if (!isName(widget.dict.get('Subtype'), 'Widget') || (widget.ref && known.has(widget.ref.num))) continue;
      const field = terminalFieldOf(view, widget, known);
      if (!field || (field.node.ref && (known.has(field.node.ref.num) || seenFields.has(field.node.ref.num)))) continue;
      if (field.node.ref) seenFields.add(field.node.ref.num);
      if (field.type !== 'Sig') continue;
      const found = withSignatureValue(view, { name: field.name, type: field.type, field: field.node, widgets: [widget] });
      if (found.value) out.push({ ...found, outsideAcroForm: true });
    }
  }
  return out;
}

/** The field a widget belongs to (the widget itself when it has /T or no /Parent), with its name and inherited /FT. */
function terminalFieldOf(view: RevisionView, widget: ObjectWithRef, known: ReadonlySet<number>) {
  let node: ObjectWithRef = widget;
  if (!widget.dict.has('T')) {
    const parent = view.withRef(widget.dict.get('Parent'));
    if (parent) node = parent;
  }
  if (node.ref && known.has(node.ref.num)) return undefined;
  const names: string[] = [];
  let type: string | undefined;
  let current: ObjectWithRef | undefined = node;
  const visited = new Set<number>();
  for (let depth = 0; current && depth < MAX_FIELD_DEPTH; depth++) {
    if (current.ref) {
      if (visited.has(current.ref.num)) break;
      visited.add(current.ref.num);
    }
    const partial = textOf(current.dict.get('T'));
    if (partial !== undefined) names.unshift(partial);
    type ??= nameOf(current.dict.get('FT'));
    current = view.withRef(current.dict.get('Parent'));
  }
  return { node, name: names.join('.'), type };
}
