/**
 * Server benchmark (DESIGN.md §9): license fetch — bearer token, consent check, audit append, JSON — at
 * least 0.5x the requests/s of a bare express 5 route returning a constant, with a p99 latency within 2x
 * of that route's, both measured in the same run at 64 connections, with 1,000,000 licenses stored.
 *
 *   npx tsx bench/server-fetch.ts [--seconds 20] [--warmup 5] [--connections 64] [--licenses 1000000]
 *                                 [--refill] [--sqlite] [--log-level info] [--profile] [--json]
 *
 * The database (PostgreSQL `elicense_bench` on BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432;
 * or SQLite with --sqlite) and its data folder are kept between runs, so a re-run starts at once;
 * --refill rebuilds them.
 *
 * What is stored. A server is started once on the empty database, which creates the demo platform (offices,
 * keys, seals, clients, four demo licenses and one consent); then 16 营业执照 are issued through
 * POST /v1/licenses, signed and rendered like any license. The rest, up to --licenses, are filler rows: each
 * is a copy of the first of those 16 rows (same type, office, version, dates, state, signed_json and PDF
 * blob) with its own serial (taken from the office's serial counter, which is moved past them), a real
 * GB/T 36904 identifier with its check character, a lineage, a status index (from the type's status
 * counter, also moved past them, with the status-list rows that cover them), and a holder: two licenses
 * per holder, each holder a valid USCC. The credential column is the template's JSON with the identifier
 * and holder code replaced, so a read returns a credential naming the license read; signed_json is the
 * template's signature, so filler licenses do not verify. Filler rows have no license_events and no audit
 * entries of their own. The holder of every fifth filler pair consents that approval-system reads every
 * 营业执照 it holds for the demo purpose (000117001000), the same form of consent the demo platform makes.
 *
 * The load. Each server runs in its own child process (the same Node and loader as this one); autocannon
 * drives it from this process, one server at a time. The fetch is GET /v1/licenses/{id}?purpose=000117001000
 * as approval-system with a bearer token, {id} drawn at random per request from 100,000 licenses with a
 * consent. Every fetch must answer 200, and the audit log must have grown by at least the number of 200s
 * (each read is appended before it is sent). The repository runs with ELICENSE_RATE_LIMIT set far above
 * the load (its default, 600 per client per minute, would refuse it) and at its default log level unless
 * --log-level says otherwise (the child's stdout, where pino writes, goes to /dev/null).
 * The floor. Between the two, a third child answers GET /licenses/{id} from an express route that reads
 * the license's row by identifier (one statement a request, on a pool of 4 like the repository's) and
 * sends its view and stored texts: the database read every fetch needs, with no token, consent, audit or
 * log. Its ratio to the bare route shows how much of the bar that read alone leaves.
 * Besides req/s and latency, each row shows the CPU time spent per request (from /proc, so Linux only) by
 * the server process, by the PostgreSQL backends serving the bench database, and by the load generator:
 * unlike req/s, these barely move when other work shares the machine.
 * --profile writes a CPU profile of the repository child to bench/results/.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import express from 'express';
import { sql, type Kysely } from 'kysely';
import { buildIdentifier, computeUsccCheckCharacter } from '@elicense/core';
import { demoTypes } from '@elicense/platform/demo';
import { processCpuMs } from './process-cpu.js';
import { loadConfig } from '../packages/server/src/config.js';
import { openDatabase } from '../packages/server/src/db/connect.js';
import type { ConsentsTable, Database, LicensesTable } from '../packages/server/src/db/schema.js';
import { DEMO_PURPOSE, sampleRequest } from '../packages/server/src/platform/demo-licenses.js';
import { licenseJson } from '../packages/server/src/routes/license-json.js';
import { startServer } from '../packages/server/src/server.js';
import { formatSerial } from '../packages/server/src/services/issuance.js';
import { serialCounter, statusCounter } from '../packages/server/src/services/counters.js';
import { statusListId, statusListOf } from '../packages/server/src/services/status-urls.js';

const SELF = fileURLToPath(import.meta.url);
const BARS = { throughputRatio: 0.5, p99Ratio: 2 };
const ISSUED_THROUGH_API = 16;
const FETCH_IDS = 100_000;
const FILL_CHUNK = 10_000;
/** One consenting holder in this many filler holders. */
const CONSENT_EVERY = 5;

// ---------------------------------------------------------------------------------------------------
// Child processes: the repository, and the bare route it is compared with.

async function serveRepository(): Promise<void> {
  const running = await startServer(loadConfig(process.env));
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    running.close().then(() => process.exit(0), () => process.exit(1));
  });
  process.send!({ url: running.url });
}

async function serveConstant(): Promise<void> {
  const app = express();
  app.get('/const', (_req, res) => {
    res.json({ ok: true });
  });
  await listenForParent(app);
}

async function listenForParent(app: express.Express): Promise<void> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  server.keepAliveTimeout = 65_000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/**
 * The floor: an express route that reads a license's row by its identifier, one statement on a pool of
 * the repository's default size (4), and sends its view and stored texts assembled as the repository does:
 * the database work no fetch can do without, and nothing else (no token, consent, audit, log, headers).
 */
async function serveLicenseRow(): Promise<void> {
  const { db, pool } = openDatabase(process.env.DATABASE_URL!, { poolSize: 4 });
  const columns = ['identifier', 'type_code', 'office_code', 'version', 'holder_name', 'holder_code', 'state', 'valid_from', 'valid_until', 'issued_at', 'supersedes', 'superseded_by', 'credential', 'signed_json'] as const;
  type Row = Pick<LicensesTable, (typeof columns)[number]>;
  const read = pool
    ? async (id: string) => (await pool.query<Row>({ name: 'license-row', text: `select ${columns.join(', ')} from licenses where identifier = $1`, values: [id] })).rows[0]
    : (id: string) => db.selectFrom('licenses').select(columns).where('identifier', '=', id).executeTakeFirst();
  const app = express();
  app.get('/licenses/:id', async (req, res) => {
    const row = await read(req.params.id);
    if (!row) {
      res.sendStatus(404);
      return;
    }
    const { credential, signed_json: signedJson, ...view } = row;
    res.type('json').send(licenseJson(view, signedJson, credential));
  });
  await listenForParent(app);
}

interface Child {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function startChild(role: 'repository' | 'constant' | 'license-row', env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<Child> {
  const child: ChildProcess = fork(SELF, ['--serve', role], {
    env,
    execArgv: [...process.execArgv, ...execArgv],
    // The repository logs to stdout: thrown away, as a log shipper would take it off the machine.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${role} server exited (${code}) before it listened`)));
    child.once('message', (message: { url: string }) => {
      child.removeAllListeners('exit');
      resolve({
        url: message.url,
        pid: child.pid!,
        stop: () => new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// The stored licenses.

interface Target {
  readonly dialect: 'postgres' | 'sqlite';
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** Drops the database and its data folder. */
  drop(): Promise<void>;
  /** Creates an empty database; false when it already exists. */
  create(): Promise<boolean>;
}

function postgresTarget(): Target {
  const base = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
  const name = 'elicense_bench';
  const dataDir = join(tmpdir(), `${name}-data`);
  const admin = async <T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> => {
    const handle = openDatabase(`${base}/test`, { poolSize: 1 });
    try {
      return await fn(handle.db);
    } finally {
      await handle.close();
    }
  };
  return {
    dialect: 'postgres',
    databaseUrl: `${base}/${name}`,
    dataDir,
    async drop() {
      await admin((db) => sql`drop database if exists ${sql.id(name)} with (force)`.execute(db));
      await rm(dataDir, { recursive: true, force: true });
    },
    async create() {
      return admin(async (db) => {
        const { rows } = await sql<{ n: number }>`select count(*) as n from pg_database where datname = ${name}`.execute(db);
        if (Number(rows[0]!.n) > 0) return false;
        await sql`create database ${sql.id(name)}`.execute(db);
        return true;
      });
    },
  };
}

function sqliteTarget(): Target {
  const dataDir = join(tmpdir(), 'elicense_bench_sqlite-data');
  const file = join(dataDir, 'elicense.sqlite');
  return {
    dialect: 'sqlite',
    databaseUrl: `sqlite:${file}`,
    dataDir,
    drop: () => rm(dataDir, { recursive: true, force: true }),
    create: async () => !existsSync(file),
  };
}

interface DemoCredentials {
  readonly clients: readonly { id: string; secret: string }[];
}

async function clientToken(url: string, dataDir: string, clientId: string): Promise<string> {
  const credentials = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
  const secret = credentials.clients.find((c) => c.id === clientId)!.secret;
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (!response.ok) throw new Error(`token for ${clientId}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The n-th filler holder: a USCC with its check character. */
function fillerHolder(n: number): string {
  const base = `91990100MA${String(n).padStart(7, '0')}`;
  return base + computeUsccCheckCharacter(base);
}

async function fill(target: Target, licenses: number, log: (line: string) => void): Promise<void> {
  log(`filling ${target.databaseUrl} with ${licenses.toLocaleString('en')} licenses`);
  const started = performance.now();
  const running = await startServer(
    loadConfig({ DATABASE_URL: target.databaseUrl, ELICENSE_DATA_DIR: target.dataDir, PORT: '0', LOG_LEVEL: 'warn', ELICENSE_RATE_LIMIT: '1000000' }),
    { worker: false },
  );
  const businessType = running.ctx.registry.get(demoTypes(running.ctx.registry).business);
  let template: string;
  try {
    const token = await clientToken(running.url, target.dataDir, 'market-office');
    const identifiers: string[] = [];
    for (let i = 0; i < ISSUED_THROUGH_API; i++) {
      const response = await fetch(`${running.url}/v1/licenses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(sampleRequest(businessType, { name: `基准测试企业${i + 1}有限公司`, code: fillerHolder(9_000_000 + i) })),
      });
      if (response.status !== 201) throw new Error(`issuing through the API: HTTP ${response.status} ${await response.text()}`);
      identifiers.push(((await response.json()) as { identifier: string }).identifier);
    }
    template = identifiers[0]!;
  } finally {
    await running.close();
  }

  const handle = openDatabase(target.databaseUrl, { poolSize: 2 });
  try {
    await fillRows(handle.db, target.dialect, template, licenses, log);
  } finally {
    await handle.close();
  }
  log(`filled in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

interface FillerRow {
  readonly identifier: string;
  readonly lineage: string;
  readonly serial: string;
  readonly status_index: number;
  readonly holder_code: string;
}

async function fillRows(db: Kysely<Database>, dialect: Target['dialect'], templateId: string, licenses: number, log: (line: string) => void): Promise<void> {
  const t = await db.selectFrom('licenses').selectAll().where('identifier', '=', templateId).executeTakeFirstOrThrow();
  const stored = Number((await db.selectFrom('licenses').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const count = licenses - stored;
  if (count <= 0) return;
  // Numbers are taken from the same counters the server takes them from, and moved past the filler.
  const take = async (name: string): Promise<number> => {
    const row = await db.updateTable('counters').set({ next_value: sql`next_value + ${count}` }).where('name', '=', name).returning('next_value').executeTakeFirstOrThrow();
    return Number(row.next_value) - count;
  };
  const firstSerial = await take(serialCounter(t.office_code, t.type_code));
  const firstStatus = await take(statusCounter(t.type_code));
  const lists = [];
  for (let list = statusListOf(firstStatus); list <= statusListOf(firstStatus + count - 1); list++) {
    for (const purpose of ['revocation', 'suspension'] as const) {
      lists.push({ id: statusListId(t.type_code, purpose, list), signed: '', stale: 1, signed_at: new Date(0).toISOString(), etag: '' });
    }
  }
  await db.insertInto('status_lists').values(lists).onConflict((c) => c.column('id').doNothing()).execute();

  const now = new Date();
  const consentUntil = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  const typeCode = t.type_code;
  const parts = t.identifier.split('.');
  const [typePart, officePart] = [parts.at(-5)!, parts.at(-4)!];
  const version = Number(parts.at(-2));
  for (let offset = 0; offset < count; offset += FILL_CHUNK) {
    const rows: FillerRow[] = [];
    const consents: ConsentsTable[] = [];
    for (let i = offset; i < Math.min(count, offset + FILL_CHUNK); i++) {
      const serial = formatSerial(firstSerial + i);
      const identifier = buildIdentifier({ typeCode: typePart, issuerCode: officePart, serial, version });
      const holderNo = Math.floor(i / 2);
      const holder = fillerHolder(holderNo);
      rows.push({ identifier, lineage: identifier.split('.').slice(0, -2).join('.'), serial, status_index: firstStatus + i, holder_code: holder });
      if (i % 2 === 0 && holderNo % CONSENT_EVERY === 0) {
        consents.push({
          id: `bench-${holderNo}`, holder_code: holder, client_id: 'approval-system', lineage: null, type_code: typeCode,
          purpose_code: DEMO_PURPOSE.code, purpose_name: DEMO_PURPOSE.name, fields: null,
          valid_from: now.toISOString(), valid_until: consentUntil, revoked_at: null, created_at: now.toISOString(),
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      const source = dialect === 'postgres'
        ? sql`unnest(${rows.map((r) => r.identifier)}::text[], ${rows.map((r) => r.lineage)}::text[], ${rows.map((r) => r.serial)}::text[], ${rows.map((r) => r.status_index)}::int[], ${rows.map((r) => r.holder_code)}::text[]) as f(identifier, lineage, serial, status_index, holder_code)`
        : sql`(select json_extract(value, '$.identifier') as identifier, json_extract(value, '$.lineage') as lineage, json_extract(value, '$.serial') as serial, json_extract(value, '$.status_index') as status_index, json_extract(value, '$.holder_code') as holder_code from json_each(${JSON.stringify(rows)})) as f`;
      await sql`
        insert into licenses (identifier, lineage, type_code, office_code, serial, version, holder_code, holder_name, state, status_index,
                              supersedes, superseded_by, valid_from, valid_until, issued_at, credential, signed_json, pdf_blob, updated_at)
        select f.identifier, f.lineage, t.type_code, t.office_code, f.serial, t.version, f.holder_code, t.holder_name, t.state, f.status_index,
               null, null, t.valid_from, t.valid_until, t.issued_at,
               replace(replace(t.credential, t.identifier, f.identifier), t.holder_code, f.holder_code), t.signed_json, t.pdf_blob, t.updated_at
        from licenses t, ${source}
        where t.identifier = ${templateId}`.execute(trx);
      if (consents.length > 0) await trx.insertInto('consents').values(consents).execute();
    });
    if ((offset / FILL_CHUNK) % 10 === 9) log(`  ${Math.min(count, offset + FILL_CHUNK).toLocaleString('en')} / ${count.toLocaleString('en')}`);
  }
  if (dialect === 'postgres') await sql`vacuum analyze`.execute(db);
  else await sql`analyze`.execute(db);
}

// ---------------------------------------------------------------------------------------------------
// Load.

/** CPU time in ms, per process group: what a request costs, however busy the machine is with other work. */
interface CpuUse {
  readonly server: number;
  readonly database: number;
  readonly client: number;
}

/** Samples the server child, the PostgreSQL backends serving the bench database, and this process. */
function cpuSampler(serverPid: number, db: Kysely<Database> | undefined, dialect: Target['dialect']): () => Promise<CpuUse> {
  return async () => {
    let database = 0;
    if (db && dialect === 'postgres') {
      const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
      for (const { pid } of rows) database += await processCpuMs(pid);
    }
    const own = process.cpuUsage();
    return { server: await processCpuMs(serverPid), database, client: (own.user + own.system) / 1000 };
  };
}

interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly failed: number;
  /** CPU ms per request in the server process, the database's backends and the load generator. */
  readonly cpuMsPerRequest: CpuUse;
}

async function load(options: autocannon.Options, seconds: number, cpu: () => Promise<CpuUse>): Promise<LoadResult> {
  const start = await cpu();
  const result = await autocannon({ ...options, duration: seconds });
  const end = await cpu();
  const failed = result.non2xx + result.errors + result.timeouts;
  const per = (key: keyof CpuUse) => (end[key] - start[key]) / Math.max(1, result.requests.total);
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    failed,
    cpuMsPerRequest: { server: per('server'), database: per('database'), client: per('client') },
  };
}

async function auditHead(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
  return Number(row.seq);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      connections: { type: 'string', default: '64' },
      licenses: { type: 'string', default: '1000000' },
      refill: { type: 'boolean', default: false },
      sqlite: { type: 'boolean', default: false },
      'log-level': { type: 'string' },
      profile: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.serve === 'repository') return serveRepository();
  if (values.serve === 'constant') return serveConstant();
  if (values.serve === 'license-row') return serveLicenseRow();

  const seconds = Number(values.seconds);
  const warmup = Number(values.warmup);
  const connections = Number(values.connections);
  const licenses = Number(values.licenses);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const target = values.sqlite ? sqliteTarget() : postgresTarget();

  if (values.refill) await target.drop();
  const created = await target.create();
  if (created || !existsSync(join(target.dataDir, 'demo-credentials.json'))) {
    if (!created) await target.drop().then(() => target.create());
    await mkdir(target.dataDir, { recursive: true });
    await fill(target, licenses, log);
  }
  const handle = openDatabase(target.databaseUrl, { poolSize: 2 });
  const stored = Number((await handle.db.selectFrom('licenses').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  if (stored < licenses) {
    log(`${stored.toLocaleString('en')} licenses stored; adding filler up to ${licenses.toLocaleString('en')}`);
    const template = await handle.db.selectFrom('licenses').select('identifier').where('holder_code', '=', fillerHolder(9_000_000)).executeTakeFirstOrThrow();
    await fillRows(handle.db, target.dialect, template.identifier, licenses, log);
  }
  // Holders drawn at random first: a random order over the consents is cheap, over the licenses it is not.
  const { rows: idRows } = await sql<{ identifier: string }>`
    select l.identifier
    from (select holder_code, type_code from consents where client_id = 'approval-system' and type_code is not null order by random() limit ${FETCH_IDS}) c
    join licenses l on l.holder_code = c.holder_code and l.type_code = c.type_code
    limit ${FETCH_IDS}`.execute(handle.db);
  const ids = idRows.map((r) => encodeURIComponent(r.identifier));

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: target.databaseUrl,
    ELICENSE_DATA_DIR: target.dataDir,
    PORT: '0',
    ELICENSE_DEMO: 'false',
    ELICENSE_RATE_LIMIT: '1000000000',
    ...(values['log-level'] ? { LOG_LEVEL: values['log-level'] } : {}),
  };
  const resultsDir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
  if (values.profile) await mkdir(resultsDir, { recursive: true });

  log(`bare express route: ${warmup} s warm-up, ${seconds} s at ${connections} connections`);
  const constant = await startChild('constant', { PATH: process.env.PATH });
  let bare: LoadResult;
  try {
    const cpu = cpuSampler(constant.pid, undefined, target.dialect);
    await load({ url: `${constant.url}/const`, connections }, warmup, cpu);
    bare = await load({ url: `${constant.url}/const`, connections }, seconds, cpu);
  } finally {
    await constant.stop();
  }

  log(`license row by identifier (the floor): ${warmup} s warm-up, ${seconds} s at ${connections} connections`);
  const rowServer = await startChild('license-row', { PATH: process.env.PATH, DATABASE_URL: target.databaseUrl });
  let floor: LoadResult;
  try {
    const cpu = cpuSampler(rowServer.pid, handle.db, target.dialect);
    const rowOptions: autocannon.Options = {
      url: rowServer.url,
      connections,
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/licenses/${ids[Math.floor(Math.random() * ids.length)]}` }) }],
    };
    await load(rowOptions, warmup, cpu);
    floor = await load(rowOptions, seconds, cpu);
    if (floor.failed > 0) throw new Error(`${floor.failed} license row reads did not answer 200`);
  } finally {
    await rowServer.stop();
  }

  log(`license fetch: ${warmup} s warm-up, ${seconds} s at ${connections} connections, ${ids.length.toLocaleString('en')} licenses drawn from ${stored.toLocaleString('en')}`);
  const repository = await startChild('repository', env, values.profile ? ['--cpu-prof', `--cpu-prof-dir=${resultsDir}`] : []);
  let fetchResult: LoadResult;
  let audited: number;
  try {
    const token = await clientToken(repository.url, target.dataDir, 'approval-system');
    const fetchOptions: autocannon.Options = {
      url: repository.url,
      connections,
      headers: { authorization: `Bearer ${token}` },
      requests: [{
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: `/v1/licenses/${ids[Math.floor(Math.random() * ids.length)]}?purpose=${DEMO_PURPOSE.code}` }),
      }],
    };
    const before = await auditHead(handle.db);
    const cpu = cpuSampler(repository.pid, handle.db, target.dialect);
    const warm = await load(fetchOptions, warmup, cpu);
    fetchResult = await load(fetchOptions, seconds, cpu);
    audited = (await auditHead(handle.db)) - before;
    if (warm.failed + fetchResult.failed > 0) throw new Error(`${warm.failed + fetchResult.failed} fetches did not answer 200`);
    if (audited < warm.ok + fetchResult.ok) throw new Error(`${warm.ok + fetchResult.ok} fetches answered 200 but only ${audited} reads were audited`);
  } finally {
    await repository.stop();
    await handle.close();
  }

  const throughputRatio = fetchResult.requestsPerSecond / bare.requestsPerSecond;
  const floorRatio = floor.requestsPerSecond / bare.requestsPerSecond;
  const p99Ratio = fetchResult.p99Ms / bare.p99Ms;
  const report = {
    database: target.dialect,
    licensesStored: stored,
    connections,
    seconds,
    logLevel: values['log-level'] ?? 'server default',
    bareRoute: bare,
    licenseRowFloor: { ...floor, throughputRatio: floorRatio, p99Ratio: floor.p99Ms / bare.p99Ms },
    licenseFetch: { ...fetchResult, auditedReads: audited },
    throughputRatio,
    p99Ratio,
    bars: { throughputRatio: `>= ${BARS.throughputRatio}`, p99Ratio: `<= ${BARS.p99Ratio}` },
    meetsBars: throughputRatio >= BARS.throughputRatio && p99Ratio <= BARS.p99Ratio,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const ms = (n: number) => n.toFixed(3).padStart(9);
  const row = (name: string, r: LoadResult) =>
    `${name.padEnd(44)} ${r.requestsPerSecond.toFixed(0).padStart(8)} ${r.p50Ms.toFixed(1).padStart(8)} ${r.p99Ms.toFixed(1).padStart(8)}` +
    ` ${ms(r.cpuMsPerRequest.server)} ${ms(r.cpuMsPerRequest.database)} ${ms(r.cpuMsPerRequest.client)}`;
  const pass = (ok: boolean) => (ok ? 'meets' : 'MISSES');
  process.stdout.write([
    `Server benchmark: ${target.dialect}, ${stored.toLocaleString('en')} licenses, ${connections} connections, ${seconds} s each, log level ${report.logLevel}`,
    `${''.padEnd(44)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms/request: server, database, load generator'}`,
    row('bare express route (constant JSON)', bare),
    row('license row by identifier, nothing else', floor),
    row('license fetch (auth + consent + audit write)', fetchResult),
    `floor ratio      ${floorRatio.toFixed(2)} throughput, ${(floor.p99Ms / bare.p99Ms).toFixed(2)} p99: a route that only reads the license, one statement a request`,
    `throughput ratio ${throughputRatio.toFixed(2)} (bar >= ${BARS.throughputRatio}: ${pass(throughputRatio >= BARS.throughputRatio)})`,
    `p99 ratio        ${p99Ratio.toFixed(2)} (bar <= ${BARS.p99Ratio}: ${pass(p99Ratio <= BARS.p99Ratio)})`,
    `audited reads    ${audited.toLocaleString('en')} (200s: ${(fetchResult.ok).toLocaleString('en')} measured + warm-up)`,
    '',
  ].join('\n'));
}

await main();
