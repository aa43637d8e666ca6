/**
 * A batch job survives `kill -9`: the server runs as a child process, is killed while a job is half
 * issued, and started again on the same data folder and database. Afterwards every item is issued (or
 * failed for its own reason), every license is whole (row, signed PDF file, audit entry), no number was
 * handed out twice, and the audit chain still verifies. On SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { openDatabase } from '../src/db/connect.js';
import type { DemoCredentials } from '../src/platform/demo-platform.js';
import { newHolder, requestFor, TYPES, type BatchItem as Item, type BatchJob as Job } from '../test-support/licenses.js';
import { createPostgresDatabase } from '../test-support/storage.js';
import { DATABASES, TEST_PUBLIC_URL, type TestDatabase } from '../test-support/test-server.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Two chunks' worth (chunks are 64), so the kill lands between the first commit and the last. */
const ITEMS = 100;
/** Items whose fields break the type's schema: they fail on their own, crash or not. */
const BROKEN = new Set([7, 90]);


interface ChildServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the process wrote, for a failure message. */
  output(): string;
}

/** `node --import tsx src/main.ts`, as `pnpm start` runs it; resolves with the URL it prints. */
async function startChild(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: SERVER_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const url = /listening on (http:\/\/[^\s,)]+)/.exec(output)?.[1];
    if (url) return { url, process: child, output: () => output };
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before listening:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start within 60 s:\n${output}`);
    }
    await sleep(50);
  }
}

async function stopChild(child: ChildServer, signal: NodeJS.Signals): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill(signal);
  await exited;
}

async function token(url: string, credentials: DemoCredentials, clientId: string): Promise<string> {
  const { secret } = credentials.clients.find((c) => c.id === clientId)!;
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { access_token: string }).access_token;
}

async function getJson<T>(url: string, bearer: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as T;
}

/** A database of its own: a SQLite file in the data folder, or a fresh PostgreSQL database made from `test`. */
async function databaseFor(kind: TestDatabase, dataDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') return { url: `sqlite:${join(dataDir, 'elicense.sqlite')}`, drop: async () => undefined };
  return createPostgresDatabase('elicense_crash');
}

describe('a batch job killed with SIGKILL finishes after a restart, with every license whole', () => {
  for (const kind of DATABASES) {
    it(kind, { timeout: 150_000 }, async (t) => {
      const dataDir = await mkdtemp(join(tmpdir(), `elicense-crash-${kind}-`));
      const database = await databaseFor(kind, dataDir);
      const env = {
        PORT: '0',
        HOST: '127.0.0.1',
        ELICENSE_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        ELICENSE_KEK: randomBytes(32).toString('base64'),
        ELICENSE_PUBLIC_URL: TEST_PUBLIC_URL,
        ELICENSE_RATE_LIMIT: '100000',
        // The killed worker's claim on its chunk runs out after this; the restarted one then takes it.
        ELICENSE_BATCH_LEASE: '3',
        LOG_LEVEL: 'warn',
      };
      let server: ChildServer | undefined;
      try {
        server = await startChild(env);
        const credentials = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
        const issuer = await token(server.url, credentials, 'market-office');
        const holder = newHolder('断电');
        const items = Array.from({ length: ITEMS }, (_, i) => {
          const request = requestFor(TYPES.business, holder);
          return BROKEN.has(i) ? { ...request, fields: {} } : request;
        });
        const submitted = await fetch(`${server.url}/v1/licenses:batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${issuer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ items }),
        });
        assert.equal(submitted.status, 202, await submitted.clone().text());
        const { id } = (await submitted.json()) as { id: string };

        // Kill as soon as one chunk has committed and others are still to come.
        let atKill: Job;
        for (;;) {
          atKill = await getJson<Job>(`${server.url}/v1/jobs/${id}`, issuer);
          if (atKill.issued > 0) break;
          await sleep(20);
        }
        await stopChild(server, 'SIGKILL');
        assert.ok(atKill.pending > 0, `the job finished before the kill: ${JSON.stringify(atKill)}`);

        server = await startChild(env);
        const restarted = server;
        const reissuer = await token(restarted.url, credentials, 'market-office');
        const deadline = Date.now() + 100_000;
        let job: Job;
        do {
          assert.ok(Date.now() < deadline, `the job did not finish after the restart:\n${restarted.output()}`);
          await sleep(100);
          job = await getJson<Job>(`${restarted.url}/v1/jobs/${id}`, reissuer);
        } while (job.state !== 'done');

        const { items: results } = await getJson<{ items: Item[] }>(`${restarted.url}/v1/jobs/${id}/items?limit=5000`, reissuer);
        assert.equal(results.length, ITEMS);
        for (const result of results) {
          if (BROKEN.has(result.item)) {
            assert.equal(result.state, 'failed', `item ${result.item}`);
            assert.match(result.error ?? '', /does not fit its type/);
          } else {
            assert.equal(result.state, 'issued', `item ${result.item}: ${JSON.stringify(result)}`);
          }
        }
        assert.deepEqual({ issued: job.issued, failed: job.failed, pending: job.pending }, { issued: ITEMS - BROKEN.size, failed: BROKEN.size, pending: 0 });
        const identifiers = results.flatMap((r) => (r.identifier ? [r.identifier] : []));
        assert.equal(new Set(identifiers).size, identifiers.length, 'an identifier was given to two items');

        const db = openDatabase(database.url);
        try {
          const licenses = await db.db.selectFrom('licenses').select(['identifier', 'serial', 'status_index', 'pdf_blob']).where('holder_code', '=', holder.code).execute();
          assert.equal(licenses.length, identifiers.length, 'licenses of the batch holder != issued items');
          assert.deepEqual(new Set(licenses.map((l) => l.identifier)), new Set(identifiers));
          const serials = await db.db.selectFrom('licenses').select('serial').where('type_code', '=', TYPES.business).where('office_code', '=', '11990100MB12345620').execute();
          assert.equal(new Set(serials.map((s) => s.serial)).size, serials.length, 'a serial was used twice');
          assert.equal(new Set(licenses.map((l) => l.status_index)).size, licenses.length, 'a status index was used twice');
          const numbers = licenses.map((l) => Number(l.serial));
          t.diagnostic(`killed at ${JSON.stringify(atKill)}; serials skipped after the restart: ${Math.max(...numbers) - Math.min(...numbers) + 1 - numbers.length}`);
          const audited = await db.db.selectFrom('audit_log').select('license').where('action', '=', 'license.issued').where('holder_code', '=', holder.code).execute();
          assert.deepEqual(audited.map((a) => a.license).sort(), [...identifiers].sort(), 'one audit entry per license');
          for (const license of licenses) {
            const bytes = await readFile(join(dataDir, 'blobs', license.pdf_blob.slice(0, 2), license.pdf_blob));
            assert.equal(createHash('sha256').update(bytes).digest('hex'), license.pdf_blob, `the PDF of ${license.identifier} is damaged`);
          }
          // The first license, the last, and the first of the chunk the kill interrupted: whole, signed PDFs.
          const interrupted = results.find((r) => r.item === atKill.issued + atKill.failed)?.identifier;
          for (const identifier of new Set([identifiers[0], interrupted, identifiers.at(-1)])) {
            const license = licenses.find((l) => l.identifier === identifier)!;
            const pdf = await readFile(join(dataDir, 'blobs', license.pdf_blob.slice(0, 2), license.pdf_blob));
            const res = await fetch(`${restarted.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf });
            const report = (await res.json()) as { valid: boolean; indication: string };
            assert.equal(report.valid, true, `${identifier}: ${JSON.stringify(report).slice(0, 2000)}`);
          }
        } finally {
          await db.close();
        }

        const chain = await getJson<{ valid: boolean; problem?: string }>(`${restarted.url}/v1/admin/audit/verify`, await token(restarted.url, credentials, 'admin'));
        assert.equal(chain.valid, true, chain.problem);
      } finally {
        if (server) await stopChild(server, 'SIGTERM');
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  }
});
