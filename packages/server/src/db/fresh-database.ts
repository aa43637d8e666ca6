/** For tests: a migrated, empty database of either kind, removed by drop(). PostgreSQL at 127.0.0.1:5432. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from './connect.js';
import { migrateToLatest } from './migrations.js';

const POSTGRES = 'postgres://postgres@127.0.0.1:5432';

export interface FreshDatabase {
  readonly url: string;
  readonly handle: DatabaseHandle;
  drop(): Promise<void>;
}

export async function openFreshDatabase(kind: 'sqlite' | 'postgres', label: string): Promise<FreshDatabase> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), `elicense-${label}-`));
    const url = `sqlite:${join(dir, `${label}.sqlite`)}`;
    const handle = openDatabase(url);
    await migrateToLatest(handle.db as never, handle.dialect);
    return { url, handle, drop: async () => { await handle.close(); await rm(dir, { recursive: true, force: true }); } };
  }
  const name = `elicense_${label}_${randomBytes(6).toString('hex')}`;
  const admin = openDatabase(`${POSTGRES}/test`, { poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const url = `${POSTGRES}/${name}`;
  const handle = openDatabase(url);
  await migrateToLatest(handle.db as never, handle.dialect);
  return {
    url,
    handle,
    async drop() {
      await handle.close();
      // pg's Pool.end resolves before its sockets have closed: wait for them, so FORCE has none to kill.
      for (let i = 0; i < 100; i++) {
        const { rows } = await sql<{ n: number }>`select count(*) as n from pg_stat_activity where datname = ${name}`.execute(admin.db);
        if (Number(rows[0]!.n) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await sql`drop database ${sql.id(name)} with (force)`.execute(admin.db);
      await admin.close();
    },
  };
}
