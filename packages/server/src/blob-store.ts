/**
 * Signed PDFs live in a folder, named by the SHA-256 of their bytes; the database holds the name.
 * A blob is written (to a temporary name, flushed, renamed) before the transaction that refers to it
 * commits, so a committed row never points at a missing file; a crash in between leaves at most an
 * unreferenced file, which the same bytes written again reuse.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface BlobStore {
  put(bytes: Uint8Array): Promise<string>;
  get(id: string): Promise<Uint8Array>;
}

const BLOB_ID = /^[0-9a-f]{64}$/;

export function createFolderBlobStore(folder: string): BlobStore {
  const pathOf = (id: string) => {
    if (!BLOB_ID.test(id)) throw new Error('not a blob id');
    return join(folder, id.slice(0, 2), id);
  };
  return {
    async put(bytes) {
      const id = createHash('sha256').update(bytes).digest('hex');
      const path = pathOf(id);
      const exists = await stat(path).then((s) => s.size === bytes.length, () => false);
      if (exists) return id;
      await mkdir(join(folder, id.slice(0, 2)), { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const file = await open(temporary, 'w', 0o640);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
      return id;
    },
    async get(id) {
      return new Uint8Array(await readFile(pathOf(id)));
    },
  };
}
