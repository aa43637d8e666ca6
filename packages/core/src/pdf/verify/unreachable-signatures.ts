/**
 * Signature dictionaries that the document defines but no signature field of the final revision
 * reaches. A viewer shows none of them as a signature, so none may make the document look signed;
 * they are listed so that a report can say they are there (left-overs of a removed field, or
 * material for a shadow attack).
 */
import { PdfDict, type PdfDocument } from '../parse/index.js';
import { looksLikeSignature } from './signature-dictionary.js';

export interface UnreachableSignature {
  readonly num: number;
  readonly gen: number;
  /** The last revision that wrote the object. */
  readonly revision: number;
}

export function findUnreachableSignatures(doc: PdfDocument, reached: ReadonlySet<number>): UnreachableSignature[] {
  const out = new Map<number, UnreachableSignature>();
  for (const revision of doc.revisions) {
    for (const [num, entry] of revision.entries) {
      doc.budget.spend(1);
      if (entry.type === 'free' || reached.has(num)) {
        out.delete(num);
        continue;
      }
      const value = doc.getObject(num, entry.gen, revision.index);
      if (value instanceof PdfDict && looksLikeSignature(value)) out.set(num, { num, gen: entry.gen, revision: revision.index });
      else out.delete(num);
    }
  }
  return [...out.values()].sort((a, b) => a.num - b.num);
}
