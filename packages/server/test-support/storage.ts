/**
 * What tests of the server, the SDK and the examples need around a real server: a database of their own
 * on the local PostgreSQL, and a free port (so a server's public URL can be its real address).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';

/** The PostgreSQL every developer machine and CI runs: trust auth, database `test`. */
export const POSTGRES_HOST = '127.0.0.1:5432';
const POSTGRES_ADMIN_URL = `postgres://postgres@${POSTGRES_HOST}/test`;

/** Runs `work` on a connection to the `test` database; fails loudly, never skips, when PostgreSQL is not there. */
export async function withPostgresAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `these tests need PostgreSQL at ${POSTGRES_HOST} (user postgres, trust auth, database test), ` +
      `and it could not be reached: ${(error as Error).message}. Start it, e.g. pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Makes a database of its own on the local PostgreSQL. */
export async function createPostgresDatabase(prefix = 'elicense_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withPostgresAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: `postgres://postgres@${POSTGRES_HOST}/${name}`,
    drop: () => withPostgresAdmin(async (client) => {
      // A closed pool's connections may still be saying goodbye; let them, rather than cut them off.
      for (let tries = 0; tries < 40; tries++) {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
