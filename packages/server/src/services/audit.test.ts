import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrations.js';
import { appendAudit, createAuditAppender, verifyAuditChain, type AuditEntry } from './audit.js';

const POSTGRES = 'postgres://postgres@127.0.0.1:5432';

/** A migrated, empty database of each kind, dropped afterwards. */
async function openFresh(kind: 'sqlite' | 'postgres'): Promise<{ url: string; handle: DatabaseHandle; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'elicense-audit-'));
    const url = `sqlite:${join(dir, 'audit.sqlite')}`;
    const handle = openDatabase(url);
    await migrateToLatest(handle.db as never, handle.dialect);
    return { url, handle, drop: async () => { await handle.close(); await rm(dir, { recursive: true, force: true }); } };
  }
  const name = `elicense_audit_${randomBytes(6).toString('hex')}`;
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

const read = (n: number): AuditEntry => ({ actor: 'approval-system', action: 'license.read', license: `L${n}`, holderCode: 'H', details: { n } });

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`audit appender (${kind})`, () => {
    let fresh: Awaited<ReturnType<typeof openFresh>>;
    before(async () => {
      fresh = await openFresh(kind);
    });
    after(() => fresh.drop());

    it('commits concurrent reads in arrival order, interleaved with changes in their own transactions, as one intact chain', async () => {
      const { db, dialect } = fresh.handle;
      const appender = createAuditAppender(fresh.handle);
      const start = (await verifyAuditChain(db)).entries;
      const reads = Array.from({ length: 300 }, (_, n) => appender.append(read(n)));
      const changes = Array.from({ length: 20 }, (_, n) =>
        db.transaction().execute((trx) => appendAudit(trx, dialect, [{ actor: 'market-office', action: 'license.revoked', license: `C${n}`, details: {} }])));
      await Promise.all([...reads, ...changes]);
      await appender.close();

      const chain = await verifyAuditChain(db);
      assert.equal(chain.valid, true, chain.problem);
      assert.equal(chain.entries - start, 320);
      const logged = await db.selectFrom('audit_log').select('license').where('action', '=', 'license.read').orderBy('seq').execute();
      assert.deepEqual(logged.map((row) => row.license), Array.from({ length: 300 }, (_, n) => `L${n}`));
    });

    it('resolves only when the entry is committed: another connection already sees it', async () => {
      const appender = createAuditAppender(fresh.handle);
      await appender.append({ ...read(0), license: 'visible-after-append' });
      // A connection of its own, not the appender's pool: sees committed rows only.
      const other = openDatabase(fresh.url, { poolSize: 1 });
      try {
        const row = await other.db.selectFrom('audit_log').select('seq').where('license', '=', 'visible-after-append').executeTakeFirst();
        assert.ok(row, 'the entry is not visible to another connection after append resolved');
      } finally {
        await other.close();
        await appender.close();
      }
    });

    it('rejects every read of a batch whose transaction failed, writes none of it, and goes on with the next', async () => {
      const { db } = fresh.handle;
      const appender = createAuditAppender(fresh.handle);
      const head = (await verifyAuditChain(db)).entries;
      // The first append starts a transaction at once; the next ones queue behind it and form one batch.
      const first = appender.append(read(1));
      const batch = [appender.append(read(2)), appender.append({ ...read(3), details: { unserialisable: 1n } }), appender.append(read(4))];
      await first;
      const outcomes = await Promise.allSettled(batch);
      assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected', 'rejected']);
      await appender.append(read(5));
      await appender.close();
      const chain = await verifyAuditChain(db);
      assert.equal(chain.valid, true, chain.problem);
      assert.equal(chain.entries - head, 2);
    });

    it('commits what is queued on close, then refuses new entries', async () => {
      const { db } = fresh.handle;
      const appender = createAuditAppender(fresh.handle);
      const head = (await verifyAuditChain(db)).entries;
      const pending = Array.from({ length: 50 }, (_, n) => appender.append(read(n)));
      await appender.close();
      await Promise.all(pending);
      assert.equal((await verifyAuditChain(db)).entries - head, 50);
      await assert.rejects(appender.append(read(99)), /closed/);
    });
  });
}
