/**
 * Prepared statements kept for SQLite. Kysely asks the driver to prepare every query it runs, and
 * better-sqlite3 compiles each one afresh: for the repository's read of a license with its consent that
 * took 40 µs, about as long as running it. The statements are kept by their SQL text (Kysely passes
 * values as parameters, so the texts are few), the least recently used dropped past a bound. A statement
 * is used by one query at a time: better-sqlite3 runs them synchronously, and nothing here streams rows
 * (an open iterator would hold its statement busy).
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function withStatementCache(sqlite: SQLite.Database, size = 256): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) {
        // Moved to the end: the map's order is the order of last use.
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
