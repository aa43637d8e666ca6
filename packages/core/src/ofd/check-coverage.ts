/**
 * The `ofd.coverage` check: which files of the package a signature leaves unprotected. Signature
 * bookkeeping is exempt (each Signatures.xml, which grows with every signature, and each signature's
 * Signature.xml, signed value and seal file, which that signature protects itself; a forged entry that
 * names other files fails on its own); anything else left out (OFD.xml,
 * whose DocRoot picks the document shown, a page, a font, an image) could be swapped without breaking
 * the signature, so the signature does not vouch for the document as displayed: INDETERMINATE.
 */
import { indeterminate, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import type { OfdPackage, OfdSignatureFiles } from './read-ofd-package.js';

const ID = 'ofd.coverage';

/** Files no signature is expected to cover. */
export function signatureBookkeeping(pkg: OfdPackage): (name: string) => boolean {
  const listings = new Set(pkg.documents.flatMap((d) => (d.signaturesFile === undefined ? [] : [d.signaturesFile])));
  const own = new Set(
    pkg.signatures.flatMap((s) => [s.signatureFile, s.files?.signedValueFile, s.files?.sealFile].filter((f): f is string => f !== undefined)),
  );
  return (name) => listings.has(name) || own.has(name);
}

export function checkCoverage(pkg: OfdPackage, files: OfdSignatureFiles, exempt: (name: string) => boolean): { check: Check; uncovered: string[] } {
  const covered = new Set(files.references.flatMap((r) => (r.path === undefined ? [] : [r.path])));
  const uncovered = pkg.archive.names.filter((name) => !covered.has(name) && !exempt(name));
  if (uncovered.length === 0) return { check: passed(ID, `the signature covers every file of the package (${covered.size})`), uncovered };
  return {
    check: indeterminate(ID, 'SIG_CONSTRAINTS_FAILURE', `${uncovered.length} file(s) of the package are not covered by this signature and could be replaced: ${uncovered.join(', ')}`, {
      details: { uncovered },
    }),
    uncovered,
  };
}
