/**
 * Who may call what: every secured route in the OpenAPI document refuses a missing token and a token
 * without its scopes; an office sees nothing of another office's licenses; hostile requests get clear
 * problems, never a 500 or a glimpse of the internals.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SCOPES, type ClientKind } from '../src/auth/scopes.js';
import { issueLicense, newHolder, readAsOffice, requestFor, TYPES, type IssuedLicense } from '../test-support/licenses.js';
import { assertNoLeaks, call, DATABASES, expectJson, expectProblem, secretsOf, startTestServer, type TestServer } from '../test-support/test-server.js';

interface OpenApiOperation {
  security?: { bearer: string[] }[];
}
type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, OpenApiOperation>> };

/** A concrete URL for a documented path: parameters get harmless values of the right shape. */
const concrete = (path: string) => path.replace('{id}', path.startsWith('/v1/jobs') || path.startsWith('/v1/consents') ? '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f' : '1.2.156.3005.2.x');

for (const database of DATABASES) {
  describe(`security (${database})`, () => {
    let server: TestServer;
    let license: IssuedLicense;
    before(async () => {
      server = await startTestServer({ database });
      license = await issueLicense(server, 'market-office', requestFor(TYPES.business, newHolder('安全')));
    });
    after(() => server?.close());

    it('refuses every secured route without a token (401) and with a token lacking its scopes (403 SCOPE_MISSING)', async () => {
      const document = await expectJson<OpenApiDocument>(await server.fetch('/openapi.json'), 200);
      const secured = Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.entries(operations).filter(([, op]) => op.security?.length).map(([method, op]) => ({ path, method: method.toUpperCase(), scopes: op.security![0]!.bearer })));
      assert.ok(secured.length >= 15, `secured operations: ${secured.length}`);
      const kinds = Object.keys(DEFAULT_SCOPES) as ClientKind[];
      const secrets = secretsOf(server);
      for (const { path, method, scopes } of secured) {
        const url = concrete(path);
        const init = method === 'GET' || method === 'DELETE' ? { method } : { method, json: {} };
        const anonymous = await expectProblem(await call(server, url, init), 401, 'UNAUTHENTICATED', secrets);
        assert.match(anonymous.detail, /token/);
        const outsider = kinds.find((kind) => !DEFAULT_SCOPES[kind].some((scope) => scopes.includes(scope)));
        assert.ok(outsider, `some client kind lacks ${scopes.join('/')}`);
        const clientId = server.credentials.clients.find((c) => c.kind === outsider)!.id;
        const refused = await expectProblem(await call(server, url, { ...init, token: await server.token(clientId) }), 403, 'SCOPE_MISSING', secrets);
        assert.ok(scopes.every((scope) => refused.detail.includes(scope)), `${method} ${path}: ${refused.detail}`);
      }
    });

    it('shows an office nothing of another office\'s license and lets it change nothing', async () => {
      const housing = await server.token('housing-office');
      const id = encodeURIComponent(license.identifier);
      const refusals = [
        await call(server, `/v1/licenses/${id}`, { token: housing }),
        await call(server, `/v1/licenses/${id}?format=pdf`, { token: housing }),
        await call(server, `/v1/licenses/${id}/history`, { token: housing }),
        await call(server, `/v1/licenses/${id}/revoke`, { token: housing, json: { reason: 'not mine' } }),
        await call(server, `/v1/licenses/${id}/suspend`, { token: housing, json: { reason: 'not mine' } }),
        await call(server, `/v1/licenses/${id}/versions`, { token: housing, json: { kind: 'renew', reason: 'not mine' } }),
      ];
      for (const res of refusals) {
        const problem = await expectProblem(res, 404, 'NOT_FOUND', secretsOf(server));
        assert.ok(!problem.detail.includes(license.holderCode));
      }
      const search = await expectJson<{ licenses: unknown[] }>(await call(server, `/v1/licenses?holderCode=${license.holderCode}`, { token: housing }), 200);
      assert.deepEqual(search.licenses, []);
      assert.equal((await readAsOffice(server, 'market-office', license.identifier)).state, 'valid');
    });

    it('answers malformed JSON with 400, an oversized body with 413, and unknown routes with 404, all as problems', async () => {
      const token = await server.token('market-office');
      for (const body of ['{"typeCode":', '{"a":1}}', "{'single':'quotes'}", '\u0000\u0001']) {
        await expectProblem(await call(server, '/v1/licenses', { token, body, headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
      }
      await expectProblem(await call(server, '/oauth/token', { body: '{"grant_type":', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
      await expectProblem(await call(server, '/v1/licenses', { token, body: '{}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }), 400, 'BAD_REQUEST');
      await expectProblem(await call(server, '/v1/licenses', { token, body: '{}', headers: { 'content-type': 'application/json; charset=latin1' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      const big = JSON.stringify({ ...requestFor(TYPES.business, newHolder()), padding: 'x'.repeat(2 * 1024 * 1024) });
      await expectProblem(await call(server, '/v1/licenses', { token, body: big, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE');
      const smallVerify = await server.sibling({ ELICENSE_BODY_LIMIT: '1kb' });
      try {
        await expectProblem(await call(smallVerify, '/v1/verify', { body: randomBytes(4096), headers: { 'content-type': 'application/pdf' } }), 413, 'PAYLOAD_TOO_LARGE');
      } finally {
        await smallVerify.close();
      }
      for (const [method, path] of [['GET', '/v2/licenses'], ['DELETE', '/v1/licenses'], ['GET', '/.env'], ['GET', '/../../etc/passwd'], ['PUT', '/v1/consents']]) {
        const problem = await expectProblem(await call(server, path!, { method: method! }), 404, 'NOT_FOUND');
        assert.ok(!problem.detail.includes('passwd') || problem.detail.startsWith('no route'));
      }
    });

    it('answers bad parameters with 400 problems: huge identifiers, repeated or unknown query values', async () => {
      const office = await server.token('market-office');
      const approval = await server.token('approval-system');
      const huge = await expectProblem(await call(server, `/v1/licenses/${'1'.repeat(5000)}`, { token: office }), 400, 'BAD_REQUEST');
      assert.ok(huge.detail.length < 500, 'the problem does not echo the identifier');
      await expectProblem(await call(server, `/v1/licenses/${'1'.repeat(5000)}/revoke`, { token: office, json: { reason: 'x' } }), 400, 'BAD_REQUEST');
      const id = encodeURIComponent(license.identifier);
      await expectProblem(await call(server, '/v1/licenses/%E0%A4%A', { token: office }), 400, 'BAD_REQUEST');
      await expectProblem(await call(server, `/v1/licenses/${id}?format=exe`, { token: office }), 400, 'BAD_REQUEST');
      await expectProblem(await call(server, `/v1/licenses/${id}?purpose=a&purpose=b`, { token: approval }), 400, 'BAD_REQUEST');
      await expectProblem(await call(server, `/v1/licenses?holderCode=${'9'.repeat(100)}`, { token: office }), 400, 'BAD_REQUEST');
      await expectProblem(await call(server, '/v1/jobs/not-a-uuid', { token: office }), 400, 'BAD_REQUEST');
      await expectProblem(await call(server, '/status/x/revocation/-1'), 400, 'BAD_REQUEST');
      // SQL in a value is only a value.
      const injected = await expectJson<{ licenses: unknown[] }>(await call(server, `/v1/licenses?holderCode=${encodeURIComponent("' OR '1'='1")}`, { token: office }), 200);
      assert.deepEqual(injected.licenses, []);
      const weird = await expectProblem(await call(server, `/v1/licenses/${encodeURIComponent("x'; DROP TABLE licenses; --")}`, { token: office }), 404, 'NOT_FOUND');
      assert.ok(!weird.detail.includes('DROP'));
      assert.equal((await readAsOffice(server, 'market-office', license.identifier)).identifier, license.identifier);
    });

    it('verifies garbage without failing: a report saying so, or a 400 problem, never a 500', async () => {
      const bodies: [string, Uint8Array | string][] = [
        ['application/pdf', randomBytes(2048)],
        ['application/pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R /Size 99999999 >>\n%%EOF'],
        ['application/jose', 'eyJhbGciOiJFUzI1NiJ9.eyJ9.c2ln'],
        ['application/json', '{"payload":"","signatures":[{"protected":"e30","signature":"AA"}]}'],
        ['application/json', '['.repeat(100_000)],
        ['application/ofd', Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(1024)])],
        ['image/png', Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), randomBytes(512)])],
        ['application/octet-stream', randomBytes(64)],
        ['text/plain', 'hello'],
      ];
      for (const [contentType, body] of bodies) {
        const res = await call(server, '/v1/verify', { body: typeof body === 'string' ? body : Buffer.from(body), headers: { 'content-type': contentType } });
        const text = await res.text();
        assert.ok(res.status === 200 || res.status === 400, `${contentType}: ${res.status} ${text.slice(0, 300)}`);
        assertNoLeaks(text, secretsOf(server));
        if (res.status === 200) {
          const report = JSON.parse(text) as { valid: boolean; indication: string; subIndication?: string };
          assert.equal(report.valid, false, contentType);
          assert.notEqual(report.indication, 'TOTAL_PASSED', contentType);
        } else {
          assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
        }
      }
      await expectProblem(await call(server, '/v1/verify', { method: 'POST', headers: { 'content-type': 'application/pdf' } }), 400, 'BAD_REQUEST');
      const pdfGarbage = await expectJson<{ indication: string; subIndication?: string }>(await call(server, '/v1/verify', { body: Buffer.from(randomBytes(256)), headers: { 'content-type': 'application/pdf' } }), 200);
      assert.deepEqual([pdfGarbage.indication, pdfGarbage.subIndication], ['TOTAL_FAILED', 'FORMAT_FAILURE']);
    });
  });
}
