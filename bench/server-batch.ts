/**
 * Batch issuance through the license repository server, on SQLite and on PostgreSQL:
 *
 * - batch: POST /v1/licenses:batch with N requests, timed from submission until the job is done. Each
 *   license is signed as JSON (ES256 + SM2), signed as a QR code, rendered as a PDF, sealed (PAdES with the
 *   office's electronic seal and a time stamp from the platform's TSA), stored, and recorded.
 * - json: the DESIGN.md §9 bar (JSON issue, sign + store: 1,000,000 in under 10 minutes on 2 cores, i.e.
 *   1,667/s): build, sign on the same worker pool, insert through the same transactions as a batch chunk,
 *   with no PDF; once with the office's two signatures (ES256 + SM2, the JSON serialization it issues by
 *   default) and once with its ES256 key alone (the compact form an office without SM2 issues).
 *
 * Each row gives the wall-clock rate and the CPU time per license: this process's (every thread) and, on
 * PostgreSQL, that of the backends serving the bench database (from /proc, so Linux only), from which the
 * rate two idle cores would allow follows.
 *
 * Run `pnpm tsx bench/server-batch.ts [batch items] [json items] [sqlite|postgres|both]`.
 * PostgreSQL: a fresh database on 127.0.0.1:5432 (user postgres), dropped afterwards.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { processCpuMs } from './process-cpu.js';
import { loadConfig } from '../packages/server/src/config.js';
import { startServer } from '../packages/server/src/server.js';
import { sampleRequest } from '../packages/server/src/platform/demo-licenses.js';
import type { ServerContext } from '../packages/server/src/context.js';
import { credentialFromRequest, formatSerial, licenseRow, recordIssuedMany, requireOffice, reserveNumbers } from '../packages/server/src/services/issuance.js';
import { sealedOfficeKeys } from '../packages/server/src/services/sealed-keys.js';
import type { IssueLicenseRequest } from '../packages/server/src/api-schemas.js';

const batchItems = Number(process.argv[2] ?? 200);
const jsonItems = Number(process.argv[3] ?? 20_000);
const which = process.argv[4] ?? 'both';
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const BUSINESS_LICENSE = '11100000MB0143028R001';
const MARKET_OFFICE = '11990100MB12345620';

/**
 * Runs `run` against a fresh database. `databaseCpuMs` reads the CPU time so far of the PostgreSQL backends
 * serving it (SQLite runs inside this process, whose own CPU time is counted anyway: 0).
 */
async function withDatabase<T>(kind: 'sqlite' | 'postgres', run: (env: Record<string, string>, databaseCpuMs: () => Promise<number>) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'elicense-bench-'));
  const env: Record<string, string> = { PORT: '0', ELICENSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ELICENSE_RATE_LIMIT: '100000', ELICENSE_KEK: randomBytes(32).toString('base64') };
  const name = `elicense_bench_${randomBytes(6).toString('hex')}`;
  const admin = kind === 'postgres' ? new pg.Client({ connectionString: ADMIN_URL }) : undefined;
  if (admin) {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    env.DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${name}`;
  }
  const databaseCpuMs = async () => {
    if (!admin) return 0;
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
    let total = 0;
    for (const { pid } of rows) total += await processCpuMs(pid);
    return total;
  };
  try {
    return await run(env, databaseCpuMs);
  } finally {
    if (admin) {
      // A closed pool's connections may still be saying goodbye: let them, rather than cut them off.
      for (let tries = 0; tries < 40; tries++) {
        const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Rate {
  readonly perSecond: number;
  /** CPU time per license of this whole process (every thread) and of the database's backends. */
  readonly cpuMs: number;
}

async function timed(count: number, databaseCpuMs: () => Promise<number>, run: () => Promise<void>): Promise<Rate> {
  const databaseAtStart = await databaseCpuMs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  const elapsed = performance.now() - started;
  const database = (await databaseCpuMs()) - databaseAtStart;
  return { perSecond: (count * 1000) / elapsed, cpuMs: ((used.user + used.system) / 1000 + database) / count };
}

async function batchRate(kind: 'sqlite' | 'postgres'): Promise<Rate> {
  return withDatabase(kind, async (env, databaseCpuMs) => {
    const running = await startServer(loadConfig(env));
    try {
      const credentials = JSON.parse(await readFile(running.demoCredentialsFile!, 'utf8')) as { clients: { id: string; secret: string }[] };
      const office = credentials.clients.find((c) => c.id === 'market-office')!;
      const tokenResponse = await fetch(`${running.url}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${office.id}:${office.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
      const request = sampleRequest(running.ctx.registry.get(BUSINESS_LICENSE));
      const runBatch = async (count: number) => {
        const submitted = await fetch(`${running.url}/v1/licenses:batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ items: Array.from({ length: count }, () => request) }),
        });
        if (submitted.status !== 202) throw new Error(`batch refused: ${submitted.status} ${await submitted.text()}`);
        const { id } = (await submitted.json()) as { id: string };
        for (;;) {
          const job = (await (await fetch(`${running.url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { state: string; issued: number; failed: number };
          if (job.state === 'done') {
            if (job.issued !== count) throw new Error(`only ${job.issued} of ${count} issued (${job.failed} failed)`);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      // A small batch first: the timed one measures issuing, not starting workers and opening keys.
      await runBatch(8);
      return await timed(batchItems, databaseCpuMs, () => runBatch(batchItems));
    } finally {
      await running.close();
    }
  });
}

const JSON_CHUNK = 256;

/** The office's two signatures (ES256 + SM2, the demo's and the default), or its ES256 key alone. */
type JsonSignatures = 'both' | 'es256';

/** Build, sign (workers) and record one chunk as a batch chunk records it; the PDF column names no file. */
async function issueJsonChunk(ctx: ServerContext, requests: readonly IssueLicenseRequest[], signatures: JsonSignatures): Promise<void> {
  const typeCode = requests[0]!.typeCode;
  const office = await requireOffice(ctx, MARKET_OFFICE, typeCode);
  const officeKeys = (await sealedOfficeKeys(ctx.db, MARKET_OFFICE))!;
  const keys = signatures === 'both' ? officeKeys : { ...officeKeys, signers: officeKeys.signers.filter((key) => key.alg === 'ES256') };
  const { serial, statusIndex } = await reserveNumbers(ctx, MARKET_OFFICE, typeCode, requests.length);
  const prepared = await Promise.all(requests.map(async (request, i) => {
    const credential = credentialFromRequest(ctx, office, request, formatSerial(serial + i), statusIndex + i);
    const forms = await ctx.signingPool.sign(keys, credential, ctx.registry.get(typeCode), { now: ctx.now(), jsonOnly: true });
    return { row: licenseRow(credential, forms, '', statusIndex + i, ctx.now()), credential };
  }));
  await ctx.db.transaction().execute((trx) => recordIssuedMany(ctx, trx, prepared, 'market-office'));
}

/** Chunks one after another, the next one signing while the one before commits. */
async function issueJsonOnly(ctx: ServerContext, requests: readonly IssueLicenseRequest[], signatures: JsonSignatures): Promise<void> {
  let previous: Promise<void> = Promise.resolve();
  for (let start = 0; start < requests.length; start += JSON_CHUNK) {
    const chunk = issueJsonChunk(ctx, requests.slice(start, start + JSON_CHUNK), signatures);
    await previous;
    previous = chunk;
  }
  await previous;
}

async function jsonRate(kind: 'sqlite' | 'postgres', signatures: JsonSignatures): Promise<Rate> {
  return withDatabase(kind, async (env, databaseCpuMs) => {
    const running = await startServer(loadConfig(env), { worker: false });
    try {
      const request = sampleRequest(running.ctx.registry.get(BUSINESS_LICENSE));
      const requests = Array.from({ length: jsonItems }, () => request);
      // Warm the workers (module loading, key opening) before timing.
      await issueJsonOnly(running.ctx, requests.slice(0, 64), signatures);
      return await timed(jsonItems, databaseCpuMs, () => issueJsonOnly(running.ctx, requests, signatures));
    } finally {
      await running.close();
    }
  });
}

const kinds = (which === 'both' ? ['sqlite', 'postgres'] : [which]) as ('sqlite' | 'postgres')[];
const cores = availableParallelism();
/** Wall-clock rate, and the rate the CPU time allows on all cores of an otherwise idle machine. */
const show = (label: string, rate: Rate, perMillion: (perSecond: number) => string) =>
  `${label.padEnd(64)} ${rate.perSecond.toFixed(1).padStart(8)}/s  ${rate.cpuMs.toFixed(1).padStart(7)} ms CPU each  (idle ${cores} cores: ${((cores * 1000) / rate.cpuMs).toFixed(0)}/s, 1,000,000 in ${perMillion((cores * 1000) / rate.cpuMs)})\n`;
process.stdout.write(`${cores} cores, load average ${loadavg()[0]!.toFixed(1)}; batch of ${batchItems} (full PDF), JSON-only issue of ${jsonItems}\n`);
for (const kind of kinds) {
  if (batchItems > 0) process.stdout.write(show(`${kind} batch (JSON + QR + sealed PDF + store)`, await batchRate(kind), (r) => `${(1_000_000 / r / 3600).toFixed(1)} h`));
  for (const signatures of ['both', 'es256'] as const) {
    const label = `${kind} JSON issue, ${signatures === 'both' ? 'ES256 + SM2' : 'ES256 only'} (build + sign + store)`;
    if (jsonItems > 0) process.stdout.write(show(label, await jsonRate(kind, signatures), (r) => `${(1_000_000 / r / 60).toFixed(1)} min; bar 10 min`));
  }
}
