/**
 * The audit log: every issuance, change and read appends one entry whose hash covers the previous
 * entry's hash, so removing, reordering or editing an entry breaks every hash after it. A change's entry
 * is appended in the same transaction as the change it records; reads change nothing, so their entries
 * go through an appender that commits many at once (see createAuditAppender).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import type { DatabaseHandle, Dialect } from '../db/connect.js';
import type { AuditLogTable, Database } from '../db/schema.js';

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly license?: string;
  readonly holderCode?: string;
  readonly purposeCode?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The hash of one entry: SHA-256 over the previous hash and the entry's fields, as canonical JSON. */
export function auditEntryHash(row: Omit<AuditLogTable, 'hash'>): string {
  const canonical = JSON.stringify([row.seq, row.at, row.actor, row.action, row.license, row.holder_code, row.purpose_code, row.details]);
  return createHash('sha256').update(row.prev_hash).update('\n').update(canonical).digest('hex');
}

/** A fixed key for PostgreSQL's transaction-scoped advisory lock that serialises appends. */
const AUDIT_LOCK_KEY = 0x45_4c_41_55;

/** Rows per INSERT: 10 parameters a row stays under SQLite's and PostgreSQL's limits on parameters. */
const INSERT_ROWS = 500;

export async function appendAudit(trx: Transaction<Database>, dialect: Dialect, entries: readonly AuditEntry[], at = new Date()): Promise<void> {
  await appendTimedAudit(trx, dialect, entries.map((entry) => ({ entry, at })));
}

/** Appends entries, each with its own time, in order, chained from the current head. */
async function appendTimedAudit(trx: Transaction<Database>, dialect: Dialect, entries: readonly { entry: AuditEntry; at: Date }[]): Promise<void> {
  if (entries.length === 0) return;
  // SQLite runs one writer at a time; PostgreSQL needs the lock so two appends never chain from one head.
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const head = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  const rows = chainedRows(head, entries);
  for (let i = 0; i < rows.length; i += INSERT_ROWS) await trx.insertInto('audit_log').values(rows.slice(i, i + INSERT_ROWS)).execute();
}

/** The rows for `entries`, numbered and hashed on from `head`. */
function chainedRows(head: { seq: number; hash: string }, entries: readonly { entry: AuditEntry; at: Date }[]): AuditLogTable[] {
  let { seq, hash } = head;
  const rows: AuditLogTable[] = [];
  for (const { entry, at } of entries) {
    const row = {
      seq: seq + 1,
      at: at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      license: entry.license ?? null,
      holder_code: entry.holderCode ?? null,
      purpose_code: entry.purposeCode ?? null,
      details: JSON.stringify(entry.details ?? {}),
      prev_hash: hash,
    };
    hash = auditEntryHash(row);
    seq = row.seq;
    rows.push({ ...row, hash });
  }
  return rows;
}

/**
 * appendTimedAudit in its own transaction on PostgreSQL, in three round trips instead of five and with
 * the insert a named prepared statement (one JSON parameter, whatever the batch size): a group commit of
 * reads runs many times a second. The head is read in the lock's round trip but by a later statement,
 * which in READ COMMITTED takes its snapshot after the lock is held, so it sees the last committed append.
 */
async function appendBatchToPostgres(pool: pg.Pool, entries: readonly { entry: AuditEntry; at: Date }[]): Promise<void> {
  const client = await pool.connect();
  let unusable: Error | undefined;
  try {
    // A query of several statements returns one result each: begin, the lock, the head.
    const results = (await client.query(`begin; select pg_advisory_xact_lock(${AUDIT_LOCK_KEY}); select seq, hash from audit_log order by seq desc limit 1`)) as unknown as pg.QueryResult[];
    const head = results[2]?.rows[0] as { seq: number; hash: string } | undefined;
    if (!head) throw new Error('the audit log has no genesis entry');
    await client.query({ name: 'audit-append', text: APPEND_ROWS, values: [JSON.stringify(chainedRows(head, entries))] });
    await client.query('commit');
  } catch (error) {
    // A connection that cannot even roll back is closed rather than given back to the pool.
    await client.query('rollback').catch((rollbackError: Error) => {
      unusable = rollbackError;
    });
    throw error;
  } finally {
    client.release(unusable);
  }
}

const APPEND_ROWS = `insert into audit_log (seq, at, actor, action, license, holder_code, purpose_code, details, prev_hash, hash)
select seq, at, actor, action, license, holder_code, purpose_code, details, prev_hash, hash
from json_populate_recordset(null::audit_log, $1::json)`;

export interface AuditAppender {
  /** Resolves once the entry is committed: durable and chained. Rejects if its transaction failed. */
  append(entry: AuditEntry, at?: Date): Promise<void>;
  /** Commits what is queued, then refuses further entries. */
  close(): Promise<void>;
}

interface Waiting {
  readonly entry: AuditEntry;
  readonly at: Date;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for entries that need no transaction of their own (reads): appending one entry per
 * transaction takes the chain's lock and waits for the disk once per request, so every request in the
 * server queues behind one. Here the entries that arrive while a transaction commits wait together
 * and go into the next one, chained in arrival order; each caller learns its entry is durable when that
 * transaction commits. Under light load a transaction holds one entry and nothing waits for company.
 * On PostgreSQL the advisory lock still orders these transactions against every other append, from
 * this server or another.
 */
export function createAuditAppender(database: Pick<DatabaseHandle, 'db' | 'dialect' | 'pool'>, options: { maxEntries?: number } = {}): AuditAppender {
  const maxEntries = options.maxEntries ?? 2000;
  const { db, dialect, pool } = database;
  const appendBatch = pool
    ? (batch: readonly Waiting[]) => appendBatchToPostgres(pool, batch)
    : (batch: readonly Waiting[]) => db.transaction().execute((trx) => appendTimedAudit(trx, dialect, batch));
  // better-sqlite3 runs a transaction to its commit before any other request is even read, so every
  // entry would commit (and sync the disk) alone: on SQLite the drain waits one turn of the event loop,
  // for the requests that arrived together to queue theirs. On PostgreSQL the round trips give that time.
  const startDrain = pool ? () => drain() : () => new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
  let queue: Waiting[] = [];
  let flushing: Promise<void> | undefined;
  let closed = false;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxEntries);
      queue = queue.slice(batch.length);
      try {
        await appendBatch(batch);
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    // Cleared in the same step that saw the queue empty, so no entry can arrive in between and wait
    // for a drain that has already finished.
    flushing = undefined;
  }

  return {
    append(entry, at = new Date()) {
      if (closed) return Promise.reject(new Error('the audit log is closed: the server is stopping'));
      return new Promise<void>((resolve, reject) => {
        queue.push({ entry, at, resolve, reject });
        flushing ??= startDrain();
      });
    },
    async close() {
      closed = true;
      while (flushing) await flushing;
    },
  };
}

export interface ChainVerification {
  readonly valid: boolean;
  readonly entries: number;
  readonly head: string;
  /** The first entry that does not chain, when the chain is broken. */
  readonly brokenAt?: number;
  readonly problem?: string;
}

/** Recomputes every hash from the genesis entry, a page at a time. */
export async function verifyAuditChain(db: Kysely<Database>, pageSize = 5000): Promise<ChainVerification> {
  let previous = { seq: -1, hash: '0'.repeat(64) };
  let entries = 0;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', previous.seq).orderBy('seq').limit(pageSize).execute();
    for (const row of page) {
      if (row.seq === 0) {
        previous = { seq: 0, hash: row.hash };
        continue;
      }
      if (row.seq !== previous.seq + 1) return { valid: false, entries, head: previous.hash, brokenAt: row.seq, problem: `entry ${previous.seq + 1} is missing` };
      if (row.prev_hash !== previous.hash) return { valid: false, entries, head: previous.hash, brokenAt: row.seq, problem: `entry ${row.seq} does not chain from entry ${previous.seq}` };
      if (auditEntryHash(row) !== row.hash) return { valid: false, entries, head: previous.hash, brokenAt: row.seq, problem: `entry ${row.seq} was altered` };
      previous = { seq: row.seq, hash: row.hash };
      entries++;
    }
    if (page.length < pageSize) return { valid: true, entries, head: previous.hash };
  }
}
