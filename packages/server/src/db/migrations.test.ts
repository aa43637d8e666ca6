import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openFreshDatabase, type FreshDatabase } from '../../test-support/fresh-database.js';

describe('migrations (postgres)', () => {
  let fresh: FreshDatabase;
  before(async () => { fresh = await openFreshDatabase('postgres', 'migrations'); });
  after(() => fresh.drop());

  it('store signed documents compressed with lz4, where the server has it', async () => {
    const { db } = fresh.handle;
    const { rows: [support] } = await sql<{ lz4: boolean }>`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db);
    const { rows } = await sql<{ table: string; column: string; method: string }>`
      select c.relname as table, a.attname as column, a.attcompression as method
      from pg_attribute a join pg_class c on c.oid = a.attrelid
      where (c.relname, a.attname) in (('licenses', 'credential'), ('licenses', 'signed_json'), ('status_lists', 'signed'), ('idempotency_keys', 'body'), ('job_items', 'input'))
      order by 1, 2`.execute(db);
    assert.equal(rows.length, 5);
    for (const row of rows) assert.equal(row.method, support!.lz4 ? 'l' : '', `${row.table}.${row.column}`);
    if (!support!.lz4) return;
    // A value large enough to be compressed is compressed with lz4.
    await db.insertInto('offices').values({ code: '11220000013544541J', name: '测试局', created_at: '2026-01-01T00:00:00Z' }).execute();
    const big = JSON.stringify({ signatures: Array.from({ length: 200 }, (_, i) => ({ protected: `eyJhbGciOiJFUzI1NiJ9${i}`, signature: 'x'.repeat(40) })) });
    await db.insertInto('licenses').values({
      identifier: 'L1', lineage: 'L', type_code: 'T', office_code: '11220000013544541J', serial: '1', version: 1, holder_code: 'H', holder_name: 'h', state: 'valid',
      status_index: 1, supersedes: null, superseded_by: null, valid_from: '2026-01-01T00:00:00Z', valid_until: null, issued_at: '2026-01-01T00:00:00Z',
      credential: big, signed_json: big, pdf_blob: 'b', updated_at: '2026-01-01T00:00:00Z',
    }).execute();
    const { rows: [stored] } = await sql<{ method: string }>`select pg_column_compression(signed_json) as method from licenses where identifier = 'L1'`.execute(db);
    assert.equal(stored!.method, 'lz4');
  });
});
