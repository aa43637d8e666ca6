/** Health, readiness, metrics, the API document and its page, headers every response carries, rate limits. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { issueLicense, newHolder, requestFor, TYPES } from '../test-support/licenses.js';
import { call, DATABASES, expectJson, expectProblem, startTestServer, withPostgresAdmin, type TestServer } from '../test-support/test-server.js';

for (const database of DATABASES) {
  describe(`operations (${database})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer({ database }); });
    after(() => server?.close());

    it('answers /healthz and /readyz, naming the database', async () => {
      assert.deepEqual(await expectJson(await server.fetch('/healthz'), 200), { status: 'ok' });
      const ready = await server.fetch('/readyz');
      assert.equal(ready.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await expectJson(ready, 200), { status: 'ready', database });
    });

    // SQLite has no server to end connections.
    if (database === 'postgres') it('survives the database ending its connections, and answers again on new ones', async () => {
      await expectJson(await server.fetch('/readyz'), 200);
      const name = new URL(server.ctx.config.databaseUrl).pathname.slice(1);
      const ended = await withPostgresAdmin((client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]));
      assert.ok(ended.rowCount! > 0, 'the server had connections to end');
      // The pool hears of each ended connection and drops it; a query in the meantime may still fail.
      let ready: Response | undefined;
      for (let tries = 0; tries < 20 && ready?.status !== 200; tries++) {
        ready = await server.fetch('/readyz');
        if (ready.status !== 200) await expectProblem(ready, 503, 'NOT_READY');
        await sleep(50);
      }
      assert.deepEqual(await expectJson(ready!, 200), { status: 'ready', database });
      await expectJson(await call(server, '/v1/consents', { token: await server.token('holder-agent') }), 200);
    });

    // A connection a transaction holds between two statements has no listener of the pool's: unheard, its
    // 'error' event would end the process (the test runner fails whichever test is running when it comes).
    if (database === 'postgres') it('survives the database ending a connection a transaction holds between two statements', async () => {
      const name = new URL(server.ctx.config.databaseUrl).pathname.slice(1);
      const transaction = server.ctx.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await withPostgresAdmin((client) => client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]));
        // The backend's notice that it is ending arrives while no statement is running on the connection.
        await sleep(200);
        await sql`select 1`.execute(trx);
      });
      await assert.rejects(transaction);
      let ready: Response | undefined;
      for (let tries = 0; tries < 20 && ready?.status !== 200; tries++) {
        ready = await server.fetch('/readyz');
        await sleep(50);
      }
      assert.equal(ready!.status, 200);
      await expectJson(await call(server, '/v1/consents', { token: await server.token('holder-agent') }), 200);
    });

    it('counts requests in /metrics by route pattern, never by identifier', async () => {
      const license = await issueLicense(server, 'market-office', requestFor(TYPES.business, newHolder('指标')));
      await expectJson(await call(server, `/v1/licenses/${encodeURIComponent(license.identifier)}`, { token: await server.token('market-office') }), 200);
      const res = await server.fetch('/metrics');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await res.text();
      assert.match(text, /^elicense_http_requests_total\{method="POST",route="\/v1\/licenses",status="201"\} \d+$/m);
      assert.match(text, /^elicense_http_requests_total\{method="GET",route="\/v1\/licenses\/:id",status="200"\} \d+$/m);
      assert.match(text, /^elicense_http_request_duration_seconds_bucket\{/m);
      assert.ok(!text.includes(license.identifier));
    });

    it('publishes an OpenAPI 3.1 document with every route, and a /docs page whose scripts load', async () => {
      const document = await expectJson<{ openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } }>(await server.fetch('/openapi.json'), 200);
      assert.equal(document.openapi, '3.1.0');
      const expected: [string, string][] = [
        ['/oauth/token', 'post'], ['/v1/licenses', 'post'], ['/v1/licenses', 'get'], ['/v1/licenses/{id}', 'get'],
        ['/v1/licenses/{id}/history', 'get'], ['/v1/licenses/{id}/revoke', 'post'], ['/v1/licenses/{id}/suspend', 'post'],
        ['/v1/licenses/{id}/reinstate', 'post'], ['/v1/licenses/{id}/versions', 'post'], ['/v1/licenses:batch', 'post'],
        ['/v1/jobs/{id}', 'get'], ['/v1/jobs/{id}/items', 'get'], ['/v1/consents', 'post'], ['/v1/consents', 'get'],
        ['/v1/consents/{id}', 'delete'], ['/v1/holder/reads', 'get'], ['/status/{typeCode}/{purpose}/{listNo}', 'get'],
        ['/v1/verify', 'post'], ['/v1/admin/audit/verify', 'get'], ['/.well-known/elicense/trust-list.json', 'get'],
        ['/v1/license-types', 'get'], ['/v1/issuers', 'get'],
      ];
      for (const [path, method] of expected) assert.ok(document.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
      assert.ok(document.components.securitySchemes.bearer);

      const page = await server.fetch('/docs');
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const html = await page.text();
      const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(scripts.includes('/docs/assets/swagger-ui-bundle.js'), html);
      for (const src of scripts) {
        const script = await server.fetch(src);
        assert.equal(script.status, 200, src);
        assert.match(script.headers.get('content-type') ?? '', /javascript/, src);
        assert.ok((await script.text()).length > 0);
      }
      const css = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
      for (const href of css) assert.equal((await server.fetch(href)).status, 200, href);
      // The page runs under the CSP: scripts from this origin only, nothing inline.
      assert.ok(!/<script>/.test(html));
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    });

    it('sends security headers and echoes X-Request-Id on answers and problems alike', async () => {
      for (const res of [await server.fetch('/v1/issuers'), await server.fetch('/no/such/route'), await server.fetch('/docs')]) {
        assert.ok(res.headers.get('content-security-policy'), res.url);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('x-powered-by'), null);
        assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
        await res.arrayBuffer();
      }
      const given = await server.fetch('/no/such/route', { headers: { 'x-request-id': 'trace-abc.123' } });
      assert.equal(given.headers.get('x-request-id'), 'trace-abc.123');
      assert.equal((await expectProblem(given, 404, 'NOT_FOUND')).requestId, 'trace-abc.123');
      const hostile = await server.fetch('/healthz', { headers: { 'x-request-id': `a b<script>${'x'.repeat(100)}` } });
      assert.match(hostile.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    });

    it('publishes the catalogue, the issuers, the trust list and the certificates', async () => {
      const types = await expectJson<{ licenseTypes: { code: string }[] }>(await server.fetch('/v1/license-types'), 200);
      for (const code of Object.values(TYPES)) assert.ok(types.licenseTypes.some((t) => t.code === code), code);
      const issuers = await expectJson<{ issuers: { code: string; licenseTypes: string[] }[] }>(await server.fetch('/v1/issuers'), 200);
      assert.deepEqual(issuers.issuers.map((i) => [i.code, [...i.licenseTypes].sort()]), [
        ['11220000013544541J', [TYPES.safety, TYPES.operator].sort()],
        ['11990100MB12345620', [TYPES.business, TYPES.food].sort()],
      ]);
      const trust = await server.fetch('/.well-known/elicense/trust-list.json');
      const etag = trust.headers.get('etag');
      assert.ok((await expectJson<{ signatures?: unknown[]; payload?: string }>(trust, 200)).payload);
      assert.equal((await server.fetch('/.well-known/elicense/trust-list.json', { headers: { 'if-none-match': etag! } })).status, 304);
      const pem = await (await server.fetch('/.well-known/elicense/certificates.pem')).text();
      assert.ok((pem.match(/BEGIN CERTIFICATE/g) ?? []).length >= 6);
      assert.ok(!pem.includes('PRIVATE KEY'));
    });

    it('answers a client\'s sixth request within a minute with 429 RATE_LIMITED when ELICENSE_RATE_LIMIT=5', async () => {
      const limited = await server.sibling({ ELICENSE_RATE_LIMIT: '5' });
      try {
        const admin = await server.token('admin');
        for (let i = 1; i <= 5; i++) {
          const res = await call(limited, '/v1/admin/audit/verify', { token: admin });
          await expectJson(res, 200);
          assert.match(res.headers.get('ratelimit') ?? '', new RegExp(`remaining=${5 - i}\\b`));
        }
        const sixth = await call(limited, '/v1/admin/audit/verify', { token: admin });
        const problem = await expectProblem(sixth, 429, 'RATE_LIMITED');
        assert.match(problem.detail, /retry/i);
        // The limit is per client: another client is not held back by this one.
        await expectJson(await call(limited, '/v1/consents', { token: await server.token('holder-agent') }), 200);
        await expectProblem(await call(limited, '/v1/admin/audit/verify', { token: admin }), 429, 'RATE_LIMITED');
      } finally {
        await limited.close();
      }
    });
  });
}
