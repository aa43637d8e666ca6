/**
 * Objects that belong to the Document Security Store (ETSI EN 319 142-1 §5.4.2): the DSS dictionary,
 * its /Certs, /CRLs and /OCSPs arrays and their streams, and the /VRI dictionary with its entries.
 * Only these positions count: anything else the DSS happens to reference is not a DSS object, so a
 * DSS that points at a page cannot make changes to that page look like DSS maintenance.
 */
import { PdfRef, type PdfObject, type RevisionView } from '../parse/index.js';

const STREAM_ARRAYS = ['Certs', 'CRLs', 'OCSPs'];
const VRI_ARRAYS = ['Cert', 'CRL', 'OCSP'];

export function dssObjectNumbers(view: RevisionView): Set<number> {
  const out = new Set<number>();
  const note = (value: PdfObject | undefined) => {
    if (value instanceof PdfRef) out.add(value.num);
  };
  const noteArray = (value: PdfObject | undefined) => {
    note(value);
    for (const item of view.array(value) ?? []) note(item);
  };
  const dssValue = view.catalog?.get('DSS');
  const dss = view.dict(dssValue);
  if (!dss) return out;
  note(dssValue);
  for (const key of STREAM_ARRAYS) noteArray(dss.get(key));
  const vriValue = dss.get('VRI');
  const vri = view.dict(vriValue);
  if (!vri) return out;
  note(vriValue);
  for (const entryValue of vri.entries.values()) {
    view.doc.budget.spend(1);
    note(entryValue);
    const entry = view.dict(entryValue);
    if (!entry) continue;
    for (const key of VRI_ARRAYS) noteArray(entry.get(key));
    note(entry.get('TS'));
  }
  return out;
}
