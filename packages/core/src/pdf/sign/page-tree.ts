/** Finds a page's reference by index, walking the page tree with guards against cycles and depth. */
import { PDFName, PDFRef } from 'pdf-lib';
import { ElicenseError } from '../../errors.js';
import { invalidPdf } from '../write/invalid-pdf.js';
import type { PdfUpdateDraft } from '../write/update-draft.js';

const MAX_DEPTH = 64;

export function pageRefAt(draft: PdfUpdateDraft, index: number): PDFRef {
  if (!Number.isInteger(index) || index < 0) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'page index must be a non-negative integer', { field: 'page' });
  }
  const catalog = draft.resolveDict(draft.catalogRef);
  const root = catalog?.get(PDFName.of('Pages'));
  if (!(root instanceof PDFRef)) throw invalidPdf('catalog has no page tree');

  const visited = new Set<number>();
  let remaining = index;
  // Depth-first in document order; /Count is not trusted, since a lying one would pick another page.
  const visit = (ref: PDFRef, depth: number): PDFRef | undefined => {
    if (depth > MAX_DEPTH || visited.has(ref.objectNumber)) throw invalidPdf('page tree is cyclic or too deep');
    visited.add(ref.objectNumber);
    const node = draft.resolveDict(ref);
    if (node === undefined) throw invalidPdf('page tree node is not a dictionary');
    const kids = draft.resolveArray(node.get(PDFName.of('Kids')));
    if (node.get(PDFName.of('Type')) === PDFName.of('Page') || kids === undefined) {
      if (remaining === 0) return ref;
      remaining--;
      return undefined;
    }
    for (const kid of kids.asArray()) {
      if (!(kid instanceof PDFRef)) throw invalidPdf('page tree kid is not an indirect reference');
      const found = visit(kid, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const found = visit(root, 0);
  if (found === undefined) throw new ElicenseError('ERR_INVALID_INPUT', `the document has no page ${index}`, { field: 'page' });
  return found;
}
