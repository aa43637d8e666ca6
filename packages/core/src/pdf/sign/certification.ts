/**
 * Certification (author) signatures: DocMDP (ISO 32000-2 12.8.2.2). The signature dictionary carries
 * a /Reference with the permissions, and the catalog's /Perms /DocMDP points at that dictionary.
 *
 * A license is certified with P=1, "no changes". That still leaves room for long-term validation:
 * ISO 32000-2 12.8.2.2 and ETSI EN 319 142-1 (PAdES, formerly TS 102 778-4) exempt the document security
 * store (/DSS, with /VRI) and document timestamps (/Type /DocTimeStamp) from DocMDP, so B-LT and B-LTA
 * updates keep the certification intact. Approval signatures and form changes are refused after P=1.
 */
import { PDFDict, PDFName, PDFNumber, PDFRef, type PDFArray } from 'pdf-lib';
import { ElicenseError } from '../../errors.js';
import type { PdfUpdateDraft } from '../write/update-draft.js';

export type DocMdpPermission = 1 | 2 | 3;

export function docMdpReference(draft: PdfUpdateDraft, permission: DocMdpPermission): PDFArray {
  if (permission !== 1 && permission !== 2 && permission !== 3) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'docMdp is 1, 2 or 3', { field: 'docMdp' });
  }
  const params = PDFDict.withContext(draft.context);
  params.set(PDFName.of('Type'), PDFName.of('TransformParams'));
  params.set(PDFName.of('P'), PDFNumber.of(permission));
  params.set(PDFName.of('V'), PDFName.of('1.2'));
  const reference = PDFDict.withContext(draft.context);
  reference.set(PDFName.of('Type'), PDFName.of('SigRef'));
  reference.set(PDFName.of('TransformMethod'), PDFName.of('DocMDP'));
  reference.set(PDFName.of('TransformParams'), params);
  return draft.context.obj([reference]);
}

/** Points the catalog's /Perms /DocMDP at the certification signature, keeping other permissions (/UR3). */
export function setDocMdpPermissions(draft: PdfUpdateDraft, signatureRef: PDFRef): void {
  const catalog = draft.editDict(draft.catalogRef);
  const entry = catalog.get(PDFName.of('Perms'));
  const existing = draft.resolveDict(entry);
  if (entry instanceof PDFRef && existing !== undefined) {
    draft.editDict(entry).set(PDFName.of('DocMDP'), signatureRef);
    return;
  }
  const perms = PDFDict.withContext(draft.context);
  for (const [key, value] of existing?.entries() ?? []) perms.set(key, value);
  perms.set(PDFName.of('DocMDP'), signatureRef);
  catalog.set(PDFName.of('Perms'), perms);
}
