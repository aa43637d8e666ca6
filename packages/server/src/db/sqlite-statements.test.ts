import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './sqlite-statements.js';

describe('SQLite statement cache', () => {
  it('prepares a statement once per SQL text and drops the least recently used past its bound', () => {
    const sqlite = new SQLite(':memory:');
    let prepared = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => (prepared++, prepare(text))) as typeof sqlite.prepare;
    const cached = withStatementCache(sqlite, 2);
    const a = cached.prepare('select 1');
    assert.equal(cached.prepare('select 1'), a);
    cached.prepare('select 2');
    cached.prepare('select 1');
    cached.prepare('select 3');
    assert.equal(prepared, 3);
    // 'select 2' was the least recently used: prepared again; 'select 1' is still kept.
    cached.prepare('select 2');
    assert.equal(prepared, 4);
    assert.equal(cached.prepare('select 3'), cached.prepare('select 3'));
    cached.close();
  });

  it('answers through Kysely with current data and a changed schema, as a fresh statement would', async () => {
    const db = new Kysely<{ t: { id: number; name: string; note?: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }) });
    await sql`create table t (id integer primary key, name text)`.execute(db);
    const select = () => db.selectFrom('t').selectAll().where('id', '>', 0).orderBy('id').execute();
    await db.insertInto('t').values({ id: 1, name: 'a' }).execute();
    assert.deepEqual(await select(), [{ id: 1, name: 'a' }]);
    await db.insertInto('t').values({ id: 2, name: 'b' }).execute();
    await sql`alter table t add column note text`.execute(db);
    assert.deepEqual(await select(), [{ id: 1, name: 'a', note: null }, { id: 2, name: 'b', note: null }]);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 3, name: 'c' }).execute();
      assert.equal((await trx.selectFrom('t').selectAll().where('id', '>', 0).orderBy('id').execute()).length, 3);
      throw new Error('roll back');
    }).catch(() => undefined);
    assert.equal((await select()).length, 2);
    await db.destroy();
  });
});
