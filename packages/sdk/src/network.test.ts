/**
 * Failures on the way: nothing listening, a server that never answers, 503 with Retry-After. Real
 * sockets on this machine; times are measured so retries are known to be bounded.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { createRootCa, generateSigningKey, toPem } from '@elicense/core';
import { createLicenseClient, LicenseApiError, LicenseNetworkError } from './index.js';
import { retryAfterMs } from './http.js';
import { freshnessMs } from './document-cache.js';

const servers: Server[] = [];
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Any valid certificate will do as a pin here: these tests never get as far as the trust list. */
const pin = toPem('CERTIFICATE', await createRootCa({
  key: await generateSigningKey('ES256'),
  subject: { commonName: 'pinned operator (test)' },
  notBefore: new Date(Date.now() - 86_400_000),
  notAfter: new Date(Date.now() + 86_400_000),
}));

async function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createTcpServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function client(baseUrl: string, extra: Record<string, unknown> = {}) {
  return createLicenseClient({ baseUrl, clientId: 'approval-system', clientSecret: 's', purpose: '000117001000', trustOperatorCertificate: pin, ...extra });
}

describe('network failures', () => {
  test('a repository that is down: LicenseNetworkError after the retries, within a bounded time', async () => {
    const started = performance.now();
    await assert.rejects(client(`http://127.0.0.1:${await unusedPort()}`).getLicense('x'), (error: unknown) => {
      assert.ok(error instanceof LicenseNetworkError, String(error));
      assert.equal(error.attempts, 4, 'the first request and 3 retries');
      assert.equal(error.timedOut, false);
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
    const elapsed = performance.now() - started;
    // Backoff 200, 400, 800 ms with jitter between half and all of each step: 0.7 s to 1.4 s of waiting.
    assert.ok(elapsed >= 650 && elapsed < 3000, `took ${elapsed.toFixed(0)} ms`);
  });

  test('a repository that never answers: timeout per attempt', async () => {
    const url = await serve(() => undefined);
    const started = performance.now();
    await assert.rejects(client(url, { timeoutMs: 150, retries: 1 }).getLicense('x'), (error: unknown) => {
      assert.ok(error instanceof LicenseNetworkError);
      assert.equal(error.timedOut, true);
      assert.equal(error.attempts, 2);
      return true;
    });
    assert.ok(performance.now() - started < 1500);
  });

  test('503 with Retry-After is waited out and retried; a problem answer becomes a LicenseApiError', async () => {
    let calls = 0;
    const times: number[] = [];
    const url = await serve((req, res) => {
      times.push(performance.now());
      calls++;
      if (calls === 1) {
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'NOT_READY', detail: 'starting' }));
        return;
      }
      res.writeHead(401, { 'content-type': 'application/problem+json', 'x-request-id': 'req-7' }).end(JSON.stringify({ status: 401, code: 'INVALID_CLIENT', detail: 'client authentication failed' }));
    });
    await assert.rejects(client(url).getLicense('x'), (error: unknown) => {
      assert.ok(error instanceof LicenseApiError);
      assert.equal(error.code, 'INVALID_CLIENT');
      assert.equal(error.requestId, 'req-7');
      return true;
    });
    assert.equal(calls, 2, 'a 401 from the token endpoint is not retried');
    assert.ok(times[1]! - times[0]! >= 950, `waited ${(times[1]! - times[0]!).toFixed(0)} ms for Retry-After: 1`);
  });

  test('Retry-After and Cache-Control are read as the RFCs say', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1)), 10_000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(freshnessMs(new Headers({ 'cache-control': 'public, max-age=300' })), 300_000);
    assert.equal(freshnessMs(new Headers({ 'cache-control': 'no-cache, max-age=300' })), 0);
    assert.equal(freshnessMs(new Headers({})), 0);
  });
});
