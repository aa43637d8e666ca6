/**
 * The public test corpora (real sealed OFD files, PDF attack and malformed-PDF sets) live in
 * ../shared/corpora beside the repository, in development and in CI alike. Tests need them: a missing
 * folder is an error, never a reason to skip.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPORA = fileURLToPath(new URL('../../../../shared/corpora/', import.meta.url));

if (!existsSync(CORPORA)) throw new Error(`the test corpora are missing: expected them at ${CORPORA} (../shared/corpora beside the repository)`);

export function corpusPath(relative: string): string {
  return `${CORPORA}${relative}`;
}
