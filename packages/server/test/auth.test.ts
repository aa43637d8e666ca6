/** POST /oauth/token and bearer tokens, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { DEFAULT_SCOPES } from '../src/auth/scopes.js';
import { call, DATABASES, expectJson, expectProblem, secretsOf, startTestServer, TEST_PUBLIC_URL, type TestServer } from '../test-support/test-server.js';

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

const form = (fields: Record<string, string>) => ({ body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A request each kind of client is allowed to make, to show its token works. */
const ALLOWED_CALL: Record<string, (server: TestServer) => string> = {
  issuer: (s) => `/v1/licenses?holderCode=${s.client('holder-agent').holder}`,
  'approval-system': (s) => `/v1/licenses?holderCode=${s.client('holder-agent').holder}&purpose=000117001000`,
  'holder-agent': () => '/v1/consents',
  admin: () => '/v1/admin/audit/verify',
};

for (const database of DATABASES) {
  describe(`auth (${database})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer({ database }); });
    after(() => server?.close());

    it('gives every kind of client a short-lived ES256 at+jwt with its own scopes, and the token works', async () => {
      for (const client of server.credentials.clients) {
        const res = await call(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }));
        assert.equal(res.headers.get('cache-control'), 'no-store');
        const body = await expectJson<TokenResponse>(res, 200);
        assert.equal(body.token_type, 'Bearer');
        assert.equal(body.expires_in, 900);
        assert.deepEqual(body.scope.split(' ').sort(), [...DEFAULT_SCOPES[client.kind]].sort());
        assert.deepEqual(decodeProtectedHeader(body.access_token), { alg: 'ES256', typ: 'at+jwt' });
        const claims = decodeJwt(body.access_token);
        assert.equal(claims.sub, client.id);
        assert.equal(claims.iss, TEST_PUBLIC_URL);
        assert.equal(claims.exp! - claims.iat!, 900);
        const used = await call(server, ALLOWED_CALL[client.kind]!(server), { token: body.access_token });
        await expectJson(used, 200);
      }
    });

    it('accepts HTTP Basic, a form body and a JSON body alike', async () => {
      const { id, secret } = server.client('approval-system');
      const viaBasic = await call(server, '/oauth/token', { ...form({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, secret) } });
      const viaForm = await call(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: id, client_secret: secret }));
      const viaJson = await call(server, '/oauth/token', { json: { grant_type: 'client_credentials', client_id: id, client_secret: secret } });
      const viaBasicJson = await call(server, '/oauth/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: basic(id, secret) } });
      for (const res of [viaBasic, viaForm, viaJson, viaBasicJson]) {
        const body = await expectJson<TokenResponse>(res, 200);
        assert.equal(decodeJwt(body.access_token).sub, id);
        assert.equal(body.scope, 'licenses:read');
      }
    });

    it('answers a grant other than client_credentials with 400 unsupported_grant_type, before looking at credentials', async () => {
      const { id, secret } = server.client('market-office');
      for (const grant of ['password', 'authorization_code']) {
        const res = await call(server, '/oauth/token', form({ grant_type: grant, client_id: id, client_secret: secret, username: 'a', password: 'b' }));
        const body = await expectProblem(res, 400, 'BAD_REQUEST', secretsOf(server));
        assert.equal(body.error, 'unsupported_grant_type');
        assert.ok(!('access_token' in body));
      }
    });

    it('refuses a wrong secret and an unknown client with the same 401 INVALID_CLIENT, naming neither', async () => {
      const { id, secret } = server.client('market-office');
      const attempts = [
        call(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: id, client_secret: `${secret}x` })),
        call(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: 'no-such-client', client_secret: secret })),
        call(server, '/oauth/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: basic(id, 'wrong') } }),
        call(server, '/oauth/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: basic('nobody', 'wrong') } }),
        call(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: id })),
        // A Basic header whose id is not valid percent-encoding.
        call(server, '/oauth/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}` } }),
      ];
      const bodies = [];
      for (const res of await Promise.all(attempts)) {
        const { requestId: _requestId, ...body } = await expectProblem(res, 401, 'INVALID_CLIENT', secretsOf(server));
        assert.equal(body.error, 'invalid_client');
        assert.doesNotMatch(body.detail, /secret|unknown|exist|market-office|nobody/i);
        bodies.push(body);
      }
      for (const body of bodies) assert.deepEqual(body, bodies[0]);
    });

    it('narrows a token to the scopes asked for, and refuses scopes the client does not have', async () => {
      const { id, secret } = server.client('market-office');
      const narrowed = await expectJson<TokenResponse>(await call(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: id, client_secret: secret, scope: 'licenses:issue' })), 200);
      assert.equal(narrowed.scope, 'licenses:issue');
      assert.equal(decodeJwt(narrowed.access_token).scope, 'licenses:issue');
      // licenses:manage was left out: revoking is refused before the license is even looked up.
      const revoke = await call(server, '/v1/licenses/1.2.156.3005.2.x/revoke', { token: narrowed.access_token, json: { reason: 'test' } });
      await expectProblem(revoke, 403, 'SCOPE_MISSING');
      // …while issuing still passes authorisation and reaches validation.
      const issue = await call(server, '/v1/licenses', { token: narrowed.access_token, json: {} });
      await expectProblem(issue, 422, 'VALIDATION_FAILED');

      const wider = await call(server, '/oauth/token', form({ grant_type: 'client_credentials', client_id: id, client_secret: secret, scope: 'licenses:issue admin' }));
      const problem = await expectProblem(wider, 400, 'BAD_REQUEST');
      assert.equal(problem.error, 'invalid_scope');
    });

    it('refuses a token once it has expired on the server\'s clock', async () => {
      const token = (await expectJson<TokenResponse>(await call(server, '/oauth/token', { json: { grant_type: 'client_credentials', client_id: 'holder-agent', client_secret: server.client('holder-agent').secret } }), 200)).access_token;
      await expectJson(await call(server, '/v1/consents', { token }), 200);
      server.clock.advance(901_000);
      try {
        await expectProblem(await call(server, '/v1/consents', { token }), 401, 'UNAUTHENTICATED');
      } finally {
        server.clock.reset();
      }
    });

    it('gives tokens the lifetime ELICENSE_TOKEN_TTL sets', async () => {
      const short = await server.sibling({ ELICENSE_TOKEN_TTL: '60' });
      try {
        const { id, secret } = server.client('admin');
        const body = await expectJson<TokenResponse>(await call(short, '/oauth/token', form({ grant_type: 'client_credentials', client_id: id, client_secret: secret })), 200);
        assert.equal(body.expires_in, 60);
        const claims = decodeJwt(body.access_token);
        assert.equal(claims.exp! - claims.iat!, 60);
        await expectJson(await call(short, '/v1/admin/audit/verify', { token: body.access_token }), 200);
        server.clock.advance(61_000);
        try {
          await expectProblem(await call(short, '/v1/admin/audit/verify', { token: body.access_token }), 401, 'UNAUTHENTICATED');
        } finally {
          server.clock.reset();
        }
      } finally {
        await short.close();
      }
    });

    it('refuses a token with the right claims signed by another key, a tampered token and garbage', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const real = await server.token('admin');
      const claims = decodeJwt(real);
      const forged = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
        .sign(privateKey);
      const [header, , signature] = real.split('.');
      const widened = Buffer.from(JSON.stringify({ ...claims, scope: 'audit:verify admin licenses:issue' })).toString('base64url');
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${real.split('.')[1]}.`;
      for (const token of [forged, `${header}.${widened}.${signature}`, unsigned, 'not-a-token', `${real}x`]) {
        await expectProblem(await call(server, '/v1/admin/audit/verify', { token }), 401, 'UNAUTHENTICATED');
      }
      await expectProblem(await call(server, '/v1/admin/audit/verify', { headers: { authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` } }), 401, 'UNAUTHENTICATED');
      await expectJson(await call(server, '/v1/admin/audit/verify', { token: real }), 200);
    });
  });
}
