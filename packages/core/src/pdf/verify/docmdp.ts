/**
 * Certification (DocMDP, ISO 32000-1 §12.8.2.2): the catalog's /Perms /DocMDP names the certification
 * signature, whose /Reference entry with /TransformMethod /DocMDP carries /TransformParams /P:
 * 1 = no changes, 2 = form filling and signing, 3 = also annotations. /P absent means 2; a value
 * outside 1..3 is read as 1, the strictest, rather than guessed.
 */
import { PdfRef, isName, type PdfDict, type RevisionView } from '../parse/index.js';

export type DocMdpPermission = 1 | 2 | 3;

export function docMdpPermissionOf(view: RevisionView, signature: PdfDict): DocMdpPermission | undefined {
  for (const item of view.array(signature.get('Reference')) ?? []) {
    const reference = view.dict(item);
    if (!reference || !isName(view.resolve(reference.get('TransformMethod')), 'DocMDP')) continue;
    const params = view.dict(reference.get('TransformParams'));
    const p = view.resolve(params?.get('P'));
    if (p === undefined) return 2;
    return p === 1 || p === 2 || p === 3 ? p : 1;
  }
  return undefined;
}

/** The signature dictionary the catalog's /Perms /DocMDP points at, if any. */
export function certificationSignatureRef(view: RevisionView): PdfRef | undefined {
  const perms = view.dict(view.catalog?.get('Perms'));
  const docMdp = perms?.get('DocMDP');
  return docMdp instanceof PdfRef ? docMdp : undefined;
}
