import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../db/connect.js';
import { openFreshDatabase, type FreshDatabase } from '../../test-support/fresh-database.js';
import { appendAudit, createAuditAppender, verifyAuditChain, type AuditEntry } from './audit.js';

const read = (n: number): AuditEntry => ({ actor: 'approval-system', action: 'license.read', license: `L${n}`, holderCode: 'H', details: { n } });

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`audit appender (${kind})`, () => {
    let fresh: FreshDatabase;
    before(async () => {
      fresh = await openFreshDatabase(kind, 'audit');
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

    // better-sqlite3 runs a whole transaction before the next I/O callback: without waiting a turn,
    // every request's read would commit (and sync the disk) alone.
    if (kind === 'sqlite') it('commits the reads of requests that arrive together in one transaction', async () => {
      let transactions = 0;
      const { db } = fresh.handle;
      const counted = new Proxy(db, {
        get: (target, property) => (property === 'transaction' ? () => (transactions++, target.transaction()) : Reflect.get(target, property)),
      });
      const appender = createAuditAppender({ ...fresh.handle, db: counted });
      const start = (await verifyAuditChain(db)).entries;
      // Each append in a callback of its own, as requests read from sockets in one turn of the loop are.
      const appended = await new Promise<Promise<void>[]>((resolve) => {
        const pending: Promise<void>[] = [];
        for (let n = 0; n < 20; n++) setImmediate(() => pending.push(appender.append(read(n))));
        setImmediate(() => resolve(pending));
      });
      await Promise.all(appended);
      await appender.close();
      assert.equal(transactions, 1);
      const chain = await verifyAuditChain(db);
      assert.equal(chain.valid, true, chain.problem);
      assert.equal(chain.entries - start, 20);
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
      // On PostgreSQL the first append starts a transaction at once and the next ones queue behind it as
      // one batch. On SQLite the appender waits a turn of the event loop to gather what arrives together,
      // so the first one is committed before the batch is appended.
      const first = appender.append(read(1));
      if (kind === 'sqlite') await first;
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
