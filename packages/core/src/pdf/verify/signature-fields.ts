/**
 * Signature fields of one revision: the AcroForm field tree walked from /Fields (with /FT inherited,
 * ISO 32000-1 §12.7.3.1), each with its widgets and, when signed, its signature dictionary. Loops and
 * depth are bounded, since /Kids can point anywhere.
 */
import { PdfDict, PdfRef, isName, nameOf, textOf, type ObjectWithRef, type RevisionView } from '../parse/index.js';

export interface SignatureField {
  /** Fully qualified name, partial names joined with '.'. */
  readonly name: string;
  readonly field: ObjectWithRef;
  /** The signature dictionary (/V), when the field is signed. */
  readonly value?: ObjectWithRef;
  /** Widget annotations: the field itself when merged, otherwise its /Kids. */
  readonly widgets: readonly ObjectWithRef[];
}

const MAX_FIELD_DEPTH = 32;
const MAX_FIELDS = 10_000;

export function findSignatureFields(view: RevisionView): SignatureField[] {
  const form = view.acroForm;
  const roots = view.array(form?.get('Fields')) ?? [];
  const out: SignatureField[] = [];
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
    if (ft !== 'Sig') continue;
    const widgets = isName(node.dict.get('Subtype'), 'Widget')
      ? [node]
      : kids.flatMap((kid) => {
          const widget = view.withRef(kid);
          return widget ? [widget] : [];
        });
    const signature = view.withRef(node.dict.get('V'));
    out.push(signature ? { name, field: node, value: signature, widgets } : { name, field: node, widgets });
  }
  return out;
}
