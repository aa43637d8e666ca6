/**
 * One query layer over two databases: SQLite (embedded, the default) and PostgreSQL (production),
 * chosen by the URL.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from './schema.js';
import { withStatementCache } from './sqlite-statements.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /**
   * PostgreSQL only: the pool under `db`, for the few hot queries that run as named prepared statements
   * (Kysely sends unnamed ones, which PostgreSQL plans afresh every time).
   */
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

export function openDatabase(url: string, options: { poolSize?: number; log?: Pick<Logger, 'warn'> } = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    // WAL: readers don't wait for the writer; FULL sync: a committed transaction survives power loss.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  // BIGINT (count(*), sums) as numbers: every count here is far below 2^53.
  pg.types.setTypeParser(20, (value) => Number(value));
  // Few connections: a request holds one for a query of well under a millisecond, so a handful keep up
  // with many clients, and every further backend competes with this process for the same cores.
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4 });
  // A connection the database ends (a restart, a failover, an administrator) reports it as an 'error'
  // event, which unheard would end the whole process. The pool hears it only while the connection is
  // idle, and drops it; one in use, say by a transaction between two statements, needs a listener of
  // its own: its next statement fails, the transaction rolls back, and the pool drops it when it is
  // given back. Logged there, once for either case.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.log?.warn({ err: error }, 'the database closed a connection'));
  });
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', pool, close: () => db.destroy() };
}
