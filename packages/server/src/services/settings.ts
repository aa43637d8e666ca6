/** Small platform-wide values (the operator, the published trust list, CRLs), one row each. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export async function readSetting<T>(db: Kysely<Database>, name: string): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function writeSetting(db: Kysely<Database> | Transaction<Database>, name: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  await db.insertInto('settings').values({ name, value: text }).onConflict((c) => c.column('name').doUpdateSet({ value: text })).execute();
}
