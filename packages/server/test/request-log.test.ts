/** The request log: one structured line per request, with its id; never a token, a secret or a query. */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { call, expectJson, expectProblem, secretsOf, startTestServer, type TestServer } from '../test-support/test-server.js';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly req?: { id: string; method: string; url: string };
  readonly res?: { statusCode: number };
  readonly responseTime?: number;
}

describe('request log', () => {
  const lines: string[] = [];
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ database: 'sqlite', log: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
  });
  after(() => server?.close());

  const logged = () => lines.map((line) => JSON.parse(line) as LogLine);
  const requestLine = async (id: string): Promise<LogLine> => {
    // The line is written when the answer has gone out, which the client may see first.
    for (let tries = 0; tries < 50; tries++) {
      const found = logged().find((line) => line.req?.id === id && line.msg !== 'unhandled error');
      if (found) return found;
      await sleep(10);
    }
    assert.fail(`no log line for request ${id}`);
  };

  it('writes one line per request with its id, method, path, status and time, and sends the id back', async () => {
    const res = await server.fetch('/no/such/route?holderCode=91110000MA00000001', { headers: { 'x-request-id': 'trace-log.1' } });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-request-id'), 'trace-log.1');
    const line = await requestLine('trace-log.1');
    assert.equal(line.msg, 'request completed');
    assert.deepEqual(line.req, { id: 'trace-log.1', method: 'GET', url: '/no/such/route' });
    assert.deepEqual(line.res, { statusCode: 404 });
    assert.equal(typeof line.responseTime, 'number');
    assert.equal(logged().filter((l) => l.req?.id === 'trace-log.1').length, 1);

    const generated = (await server.fetch('/healthz')).headers.get('x-request-id') ?? '';
    assert.match(generated, /^[0-9a-f-]{36}$/);
    assert.deepEqual((await requestLine(generated)).res, { statusCode: 200 });
  });

  it('never logs a bearer token, a client secret, a query or a body', async () => {
    const token = await server.token('approval-system');
    const holderCode = '91110000MA00000001';
    const res = await call(server, `/v1/licenses?holderCode=${holderCode}&purpose=000117001000`, { token });
    await expectJson(res, 200);
    const line = await requestLine(res.headers.get('x-request-id')!);
    assert.deepEqual(line.req?.url, '/v1/licenses');
    const text = lines.join('');
    for (const secret of [token, holderCode, ...secretsOf(server)]) assert.ok(!text.includes(secret), 'a secret or a query reached the log');
    assert.doesNotMatch(text, /authorization|client_secret|Bearer /i);
  });

  it('logs a request whose client leaves before the answer as aborted', async () => {
    const url = new URL(server.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /v1/verify HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-abort.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":');
    await sleep(100);
    socket.destroy();
    const line = await requestLine('trace-abort.1');
    assert.equal(line.msg, 'request aborted');
    assert.equal(line.level, 40);
  });

  // Last: it takes the database away from the server.
  it('logs an error the server did not expect with the request it failed, and tells the client only the request id', async () => {
    const token = await server.token('holder-agent');
    await server.ctx.db.destroy();
    const res = await call(server, '/v1/consents', { token });
    const id = res.headers.get('x-request-id')!;
    const body = await expectProblem(res, 500, 'INTERNAL');
    assert.equal(body.requestId, id);
    const line = await requestLine(id);
    assert.equal(line.msg, 'request failed');
    assert.equal(line.level, 50);
    const error = logged().find((l) => l.msg === 'unhandled error' && l.req?.id === id) as (LogLine & { err?: { message?: string } }) | undefined;
    assert.ok(error, 'the error is logged with its request');
    assert.deepEqual(error.req, { id, method: 'GET', url: '/v1/consents' });
    assert.equal(typeof error.err?.message, 'string');
  });
});
