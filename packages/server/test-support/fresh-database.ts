/** For tests: a migrated, empty database of either kind, removed by drop(). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrations.js';
import { createPostgresDatabase } from './storage.js';

export interface FreshDatabase {
  readonly url: string;
  readonly handle: DatabaseHandle;
  drop(): Promise<void>;
}

async function sqliteFile(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `elicense-${label}-`));
  return { url: `sqlite:${join(dir, `${label}.sqlite`)}`, drop: () => rm(dir, { recursive: true, force: true }) };
}

export async function openFreshDatabase(kind: 'sqlite' | 'postgres', label: string): Promise<FreshDatabase> {
  const place = kind === 'sqlite' ? await sqliteFile(label) : await createPostgresDatabase(`elicense_${label}`);
  const handle = openDatabase(place.url);
  await migrateToLatest(handle.db as never, handle.dialect);
  return {
    url: place.url,
    handle,
    async drop() {
      await handle.close();
      await place.drop();
    },
  };
}
