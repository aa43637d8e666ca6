/**
 * The `ofd.references` check: every Reference's CheckValue is the digest (CheckMethod) of the file it
 * names, byte for byte as stored in the package. A missing file, a missing or undecodable CheckValue
 * and a digest that differs all fail: nothing the signer protected may be absent or changed.
 */
import { equalBytes } from '../bytes.js';
import { computeDigest, digestAlgorithmFromOid, type DigestAlgorithm } from '../cms/digest-algorithms.js';
import { failed, indeterminate, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import type { OfdSignatureFiles } from './read-ofd-package.js';
import { tryRead, type ZipArchive } from './zip.js';

const ID = 'ofd.references';

/** SHA-1 is too weak to protect content; it is recognised only to be refused. */
const ACCEPTED: readonly DigestAlgorithm[] = ['SM3', 'SHA-256', 'SHA-384', 'SHA-512'];

/** CheckMethod is an OID in most files and a name ("SM3") in those ofdrw writes. */
export function checkMethodAlgorithm(method: string): DigestAlgorithm | undefined {
  const byOid = digestAlgorithmFromOid(method);
  if (byOid) return byOid;
  const normalised = method.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return ['SM3', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA-1'].find((name) => name.replace('-', '') === normalised) as DigestAlgorithm | undefined;
}

export async function checkReferences(archive: ZipArchive, files: OfdSignatureFiles): Promise<Check> {
  const algorithm = checkMethodAlgorithm(files.checkMethod);
  if (!algorithm || !ACCEPTED.includes(algorithm)) {
    return indeterminate(ID, 'CRYPTO_CONSTRAINTS_FAILURE', `CheckMethod ${files.checkMethod} is not a supported digest: the references cannot be checked`);
  }
  if (files.references.length === 0) return failed(ID, 'FORMAT_FAILURE', 'the signature references no file');
  const missing: string[] = [];
  const unreadable: string[] = [];
  const changed: string[] = [];
  const seen = new Set<string>();
  const duplicated: string[] = [];
  for (const reference of files.references) {
    const { path, checkValue } = reference;
    if (path === undefined || checkValue === undefined) {
      unreadable.push(reference.fileRef || '(no FileRef)');
      continue;
    }
    if (seen.has(path)) duplicated.push(path);
    seen.add(path);
    if (!archive.has(path)) {
      missing.push(path);
      continue;
    }
    const part = tryRead(archive, path);
    if ('problem' in part) {
      unreadable.push(`${path} (${part.problem})`);
      continue;
    }
    if (!equalBytes(await computeDigest(algorithm, part.data), checkValue)) changed.push(path);
  }
  const details = { checkMethod: files.checkMethod, files: files.references.map((r) => r.path ?? r.fileRef) };
  if (changed.length > 0) return failed(ID, 'HASH_FAILURE', `the ${algorithm} digest of ${changed.join(', ')} differs from its CheckValue: changed after signing`, { details });
  if (missing.length > 0) return failed(ID, 'FORMAT_FAILURE', `signed file(s) missing from the package: ${missing.join(', ')}`, { details });
  if (unreadable.length > 0) return failed(ID, 'FORMAT_FAILURE', `unusable reference(s): ${unreadable.join(', ')}`, { details });
  if (duplicated.length > 0) return failed(ID, 'FORMAT_FAILURE', `file(s) referenced twice: ${duplicated.join(', ')}`, { details });
  return passed(ID, `the ${algorithm} digests of all ${files.references.length} signed files match their CheckValues`, { details });
}
