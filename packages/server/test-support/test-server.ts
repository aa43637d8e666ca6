/**
 * A real repository server for API tests: `startServer` on a free port, a temporary data folder, and a
 * database of its own — a temporary SQLite file, or a fresh PostgreSQL database made from `test` and
 * dropped on close. Nothing is mocked; tests talk HTTP to it and may look into `ctx.db`.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadConfig } from '../src/config.js';
import type { ServerContext } from '../src/context.js';
import type { DemoClient, DemoCredentials } from '../src/platform/demo-platform.js';
import { startServer } from '../src/server.js';
import { createPostgresDatabase } from './storage.js';

export { withPostgresAdmin } from './storage.js';

export type TestDatabase = 'sqlite' | 'postgres';
export const DATABASES: readonly TestDatabase[] = ['sqlite', 'postgres'];

/**
 * Fixed, so status-list and link URLs inside licenses do not depend on the port the server got, and a
 * second server on the same database (`sibling`) resolves the first one's status lists.
 */
export const TEST_PUBLIC_URL = 'https://repository.elicense.test';

/** A clock the test moves: the server reads it for tokens, consents, status lists and issuance. */
export interface TestClock {
  now(): Date;
  /** Moves the clock forward (or back, with a negative amount). */
  advance(ms: number): void;
  /** Back to the real time. */
  reset(): void;
}

/** A clock `advance` moves away from `base` (the real time by default). */
export function createTestClock(base: () => Date = () => new Date()): TestClock {
  let offset = 0;
  return {
    now: () => new Date(base().getTime() + offset),
    advance: (ms) => { offset += ms; },
    reset: () => { offset = 0; },
  };
}

export interface TestServer {
  readonly database: TestDatabase;
  /** Where the server listens, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly ctx: ServerContext;
  readonly credentials: DemoCredentials;
  readonly clock: TestClock;
  /** The demo client's record (secret included). */
  client(clientId: string): DemoClient;
  /** A bearer token for a demo client, fetched through POST /oauth/token and reused while current. */
  token(clientId: string): Promise<string>;
  /** `fetch` against the server; a path starting with the public URL is sent here instead. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Another server on the same database and data folder (no seeding), e.g. with other limits. */
  sibling(env: Record<string, string>): Promise<Omit<TestServer, 'sibling'>>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly database: TestDatabase;
  /** The server's clock; a fresh TestClock by default. */
  readonly clock?: TestClock;
  /** The time the server's clock starts from (a TestClock over it), when no `clock` is given. */
  readonly now?: () => Date;
  /** Extra environment for loadConfig (ELICENSE_TOKEN_TTL, ELICENSE_RATE_LIMIT, …). */
  readonly env?: Record<string, string>;
  /** The server's logger; none (level silent) by default. */
  readonly log?: Logger;
}

interface Running {
  readonly url: string;
  readonly ctx: ServerContext;
  close(): Promise<void>;
}

async function launch(dataDir: string, databaseUrl: string, clock: TestClock, env: Record<string, string>, log?: Logger): Promise<Running> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ELICENSE_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ELICENSE_PUBLIC_URL: TEST_PUBLIC_URL,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config, { now: () => clock.now(), ...(log ? { log } : {}) });
}

function clientApi(database: TestDatabase, running: Running, credentials: DemoCredentials, clock: TestClock) {
  const tokens = new Map<string, { token: string; expiresAt: number }>();
  const client = (clientId: string): DemoClient => {
    const found = credentials.clients.find((c) => c.id === clientId);
    assert.ok(found, `no demo client ${clientId}`);
    return found;
  };
  const fetchHere = (path: string, init?: RequestInit) =>
    fetch(path.startsWith(TEST_PUBLIC_URL) ? running.url + path.slice(TEST_PUBLIC_URL.length) : running.url + path, init);
  return {
    database,
    url: running.url,
    ctx: running.ctx,
    credentials,
    clock,
    client,
    fetch: fetchHere,
    async token(clientId: string): Promise<string> {
      const cached = tokens.get(clientId);
      if (cached && cached.expiresAt - 30_000 > clock.now().getTime()) return cached.token;
      const { secret } = client(clientId);
      const res = await fetchHere('/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
      });
      assert.equal(res.status, 200, `token for ${clientId}: ${await res.clone().text()}`);
      const body = (await res.json()) as { access_token: string; expires_in: number };
      tokens.set(clientId, { token: body.access_token, expiresAt: clock.now().getTime() + body.expires_in * 1000 });
      return body.access_token;
    },
  };
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const clock = options.clock ?? createTestClock(options.now);
  const dataDir = await mkdtemp(join(tmpdir(), `elicense-api-${options.database}-`));
  const cleanups: (() => Promise<void>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    let databaseUrl = `sqlite:${join(dataDir, 'elicense.sqlite')}`;
    if (options.database === 'postgres') {
      const created = await createPostgresDatabase();
      cleanups.push(created.drop);
      databaseUrl = created.url;
    }
    const running = await launch(dataDir, databaseUrl, clock, options.env ?? {}, options.log);
    cleanups.push(() => running.close());
    const credentials = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    // Siblings a test left open are closed with the server, before its database goes.
    const siblings = new Set<Running>();
    const closeSibling = async (other: Running) => {
      if (siblings.delete(other)) await other.close();
    };
    return {
      ...clientApi(options.database, running, credentials, clock),
      async sibling(env) {
        const other = await launch(dataDir, databaseUrl, clock, { ...options.env, ...env });
        siblings.add(other);
        return { ...clientApi(options.database, other, credentials, clock), close: () => closeSibling(other) };
      },
      async close() {
        for (const other of [...siblings]) await closeSibling(other);
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Request helpers: JSON in and out, a bearer token, and problem+json checks. */
export interface CallOptions {
  readonly method?: string;
  readonly token?: string;
  readonly json?: unknown;
  readonly body?: BodyInit;
  readonly headers?: Record<string, string>;
}

export async function call(server: Pick<TestServer, 'fetch'>, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  return server.fetch(path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
}

/** The JSON body of a response with the expected status (the body is shown when the status differs). */
export async function expectJson<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${text.slice(0, 2000)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return JSON.parse(text) as T;
}

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId?: string;
  readonly errors?: { field: string; message: string }[];
  readonly [key: string]: unknown;
}

/** Substrings a problem body must never contain: stack frames, internals, SQL, key material. */
const LEAKS: readonly RegExp[] = [
  /\bat \S+ \(|\bat (file|node):|\s at [\w.<>]+:\d+/, // stack frames
  /node_modules|\/src\/|\.[cm]?[jt]s:\d+|\/tmp\//, // file paths
  /\b(SELECT|INSERT|UPDATE|DELETE FROM|BEGIN|sqlite3?_|SQLITE_)\b|postgres:\/\/|relation ".*" does not exist/, // SQL and its errors
  /PRIVATE KEY|BEGIN CERTIFICATE/, // key material
  /TypeError|ReferenceError|SyntaxError|ZodError/, // error internals
];

/** Fails when the text carries a stack trace, a file path, SQL, key material or one of the secrets. */
export function assertNoLeaks(text: string, secrets: readonly string[] = []): void {
  for (const leak of LEAKS) assert.doesNotMatch(text, leak, `the response gives away internals: ${text.slice(0, 500)}`);
  for (const secret of secrets) assert.ok(!text.includes(secret), 'the response contains a client secret');
}

/** Checks a problem+json response with this status and code, and that it gives nothing away. */
export async function expectProblem(res: Response, status: number, code: string, secrets: readonly string[] = []): Promise<ProblemBody> {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${text.slice(0, 2000)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, `content type of a ${status} problem`);
  assertNoLeaks(text, secrets);
  const body = JSON.parse(text) as ProblemBody;
  assert.equal(body.status, status);
  assert.equal(body.code, code, `problem code: ${body.detail}`);
  assert.equal(typeof body.detail, 'string');
  return body;
}

/** Every demo client's secret: none may ever appear in a response. */
export function secretsOf(server: Pick<TestServer, 'credentials'>): string[] {
  return server.credentials.clients.map((c) => c.secret);
}
