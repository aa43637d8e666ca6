/**
 * Modification analysis for one signature: every revision after the one it signed, classified object
 * by object under the DocMDP permission that binds the document. A disallowed change fails the check
 * with TOTAL_FAILED / FORMAT_FAILURE, as EU DSS does for "undefined object modifications" and DocMDP
 * violations (its format-checking block, BBB_FC): the signed bytes are intact, but the document shown
 * is not the one signed.
 */
import { failed, passed } from '../../verify/checks.js';
import type { Check } from '../../verify/report.js';
import type { PdfDocument } from '../parse/index.js';
import type { DocMdpPermission } from './docmdp.js';
import { classifyRevision, type ObjectChange, type RevisionChanges } from './revision-changes.js';

export const MODIFICATIONS_CHECK = 'pdf.modifications';

/** Classifies each revision once per permission level (and certified or not), since several signatures share later revisions. */
export class ModificationAnalyzer {
  private readonly cache = new Map<string, RevisionChanges>();

  constructor(readonly doc: PdfDocument) {}

  after(signedRevision: number, permission: DocMdpPermission, certified = false): RevisionChanges[] {
    const out: RevisionChanges[] = [];
    for (let r = signedRevision + 1; r <= this.doc.lastRevision; r++) {
      const key = `${r}:${permission}:${certified}`;
      let changes = this.cache.get(key);
      if (!changes) {
        changes = classifyRevision(this.doc, r, permission, certified);
        this.cache.set(key, changes);
      }
      out.push(changes);
    }
    return out;
  }
}

export function describeChange(change: ObjectChange): string {
  const object = change.num === undefined ? 'trailer' : `object ${change.num} ${change.gen ?? 0} (${change.type})`;
  return `revision ${change.revision}: ${object} ${change.change === 'trailer' ? '' : `${change.change}: `}${change.reason}`;
}

export function modificationsCheck(revisions: readonly RevisionChanges[], permission: DocMdpPermission, certified: boolean): Check {
  const violations = revisions.flatMap((r) => r.changes.filter((c) => !c.allowed));
  const details = {
    permission,
    certified,
    laterRevisions: revisions.length,
    violations: violations.map(describeChange),
    allowedChanges: revisions.flatMap((r) => r.changes.filter((c) => c.allowed).map(describeChange)),
  };
  const rule = certified ? `DocMDP P=${permission}` : 'no certification (approval-signature rules: signing, DSS, timestamps)';
  if (violations.length > 0) {
    const shown = violations.slice(0, 5).map(describeChange).join('; ');
    const more = violations.length > 5 ? `; and ${violations.length - 5} more` : '';
    return failed(MODIFICATIONS_CHECK, 'FORMAT_FAILURE', `changes after signing that ${rule} does not allow: ${shown}${more}`, { details });
  }
  if (revisions.length === 0) return passed(MODIFICATIONS_CHECK, 'no changes after signing', { details });
  return passed(MODIFICATIONS_CHECK, `${revisions.length} later revision(s), all changes allowed under ${rule}`, { details });
}
