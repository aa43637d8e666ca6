/**
 * Schema migrations, in code so the server carries them; Kysely's migrator records which ran and takes a
 * lock, so two servers starting together migrate once. Column types are the portable subset of SQLite and
 * PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Dialect } from './connect.js';

const initial = (dialect: Dialect): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('settings')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('offices')
      .addColumn('code', 'varchar(18)', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('office_license_types')
      .addColumn('office_code', 'varchar(18)', (c) => c.notNull().references('offices.code'))
      .addColumn('type_code', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('office_license_types_pk', ['office_code', 'type_code'])
      .execute();
    await db.schema.createTable('signing_keys')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('owner_code', 'varchar(18)', (c) => c.notNull())
      .addColumn('role', 'varchar(32)', (c) => c.notNull())
      .addColumn('alg', 'varchar(16)', (c) => c.notNull())
      .addColumn('chain_pem', 'text', (c) => c.notNull())
      .addColumn('key_envelope', 'text')
      .addColumn('hsm_key', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('signing_keys_owner').on('signing_keys').columns(['owner_code', 'role', 'active']).execute();
    await db.schema.createTable('seals')
      .addColumn('es_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('office_code', 'varchar(18)', (c) => c.notNull().references('offices.code'))
      .addColumn('der', 'text', (c) => c.notNull())
      .addColumn('registration', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('clients')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('office_code', 'varchar(18)')
      .addColumn('holder_code', 'varchar(32)')
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('licenses')
      .addColumn('identifier', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('lineage', 'varchar(128)', (c) => c.notNull())
      .addColumn('type_code', 'varchar(32)', (c) => c.notNull())
      .addColumn('office_code', 'varchar(18)', (c) => c.notNull())
      .addColumn('serial', 'varchar(32)', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('holder_code', 'varchar(32)', (c) => c.notNull())
      .addColumn('holder_name', 'text', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('status_index', 'integer', (c) => c.notNull())
      .addColumn('supersedes', 'varchar(128)')
      .addColumn('superseded_by', 'varchar(128)')
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text')
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('credential', 'text', (c) => c.notNull())
      .addColumn('signed_json', 'text', (c) => c.notNull())
      .addColumn('pdf_blob', 'varchar(64)', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('licenses_version_unique', ['lineage', 'version'])
      .addUniqueConstraint('licenses_status_index_unique', ['type_code', 'status_index'])
      .execute();
    await db.schema.createIndex('licenses_holder').on('licenses').columns(['holder_code', 'type_code']).execute();
    await db.schema.createTable('counters')
      .addColumn('name', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('next_value', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createTable('license_events')
      .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('identifier', 'varchar(128)', (c) => c.notNull())
      .addColumn('action', 'varchar(16)', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('actor', 'varchar(64)', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('license_events_identifier').on('license_events').column('identifier').execute();
    await db.schema.createTable('status_lists')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('signed', 'text', (c) => c.notNull())
      .addColumn('stale', 'integer', (c) => c.notNull())
      .addColumn('signed_at', 'text', (c) => c.notNull())
      .addColumn('etag', 'varchar(64)', (c) => c.notNull())
      .execute();
    await db.schema.createTable('consents')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('holder_code', 'varchar(32)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('lineage', 'varchar(128)')
      .addColumn('type_code', 'varchar(32)')
      .addColumn('purpose_code', 'varchar(64)', (c) => c.notNull())
      .addColumn('purpose_name', 'text', (c) => c.notNull())
      .addColumn('fields', 'text')
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('consents_lookup').on('consents').columns(['client_id', 'holder_code']).execute();
    await db.schema.createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'varchar(64)', (c) => c.notNull())
      .addColumn('action', 'varchar(32)', (c) => c.notNull())
      .addColumn('license', 'varchar(128)')
      .addColumn('holder_code', 'varchar(32)')
      .addColumn('purpose_code', 'varchar(64)')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_holder').on('audit_log').columns(['holder_code', 'seq']).execute();
    await db.schema.createTable('idempotency_keys')
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('key', 'varchar(255)', (c) => c.notNull())
      .addColumn('request_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['client_id', 'key'])
      .execute();
    await db.schema.createTable('jobs')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('client_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('office_code', 'varchar(18)', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('job_items')
      .addColumn('job_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('item_no', 'integer', (c) => c.notNull())
      .addColumn('input', 'text', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('identifier', 'varchar(128)')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('job_items_pk', ['job_id', 'item_no'])
      .execute();
    await db.schema.createIndex('job_items_pending').on('job_items').columns(['job_id', 'state', 'item_no']).execute();
    // The genesis row, so every append has a predecessor to lock and chain from.
    await sql`insert into audit_log (seq, at, actor, action, details, prev_hash, hash) values (0, ${new Date(0).toISOString()}, 'system', 'genesis', '{}', ${'0'.repeat(64)}, ${'0'.repeat(64)})`.execute(db);
  },
});

/**
 * Batch items are claimed for a while by the worker issuing them, so several servers on one database
 * share a job's items instead of each issuing all of them.
 */
const jobItemLeases: Migration = {
  async up(db) {
    await db.schema.alterTable('job_items').addColumn('lease_owner', 'varchar(64)').execute();
    await db.schema.alterTable('job_items').addColumn('lease_until', 'text').execute();
  },
};

/** The columns that hold whole signed documents, kilobytes each: TOAST compresses them on every insert. */
const LARGE_COLUMNS = [['licenses', 'credential'], ['licenses', 'signed_json'], ['status_lists', 'signed'], ['idempotency_keys', 'body'], ['job_items', 'input']] as const;

/**
 * PostgreSQL compresses a large value as it stores it, with pglz unless told otherwise; lz4 does the
 * same several times faster, which on a batch issuance is a tenth of the database's work. Only where the
 * server was built with lz4 (PostgreSQL 14 and later usually are); SQLite does not compress.
 */
const lz4Compression = (dialect: Dialect): Migration => ({
  async up(db) {
    if (dialect !== 'postgres') return;
    const { rows } = await sql<{ lz4: boolean | null }>`select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db);
    if (rows[0]?.lz4 !== true) return;
    for (const [table, column] of LARGE_COLUMNS) await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression lz4`.execute(db);
  },
});

const migrations = (dialect: Dialect): Record<string, Migration> => ({
  '0001-initial': initial(dialect),
  '0002-job-item-leases': jobItemLeases,
  '0003-lz4-compression': lz4Compression(dialect),
});

export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r: { status: string }) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
