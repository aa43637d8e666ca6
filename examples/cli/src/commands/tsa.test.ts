import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import {
  computeDigest,
  createRootCa,
  createTimeStampingCertificate,
  exportPrivateKeyPem,
  generateSigningKey,
  toPem,
  utf8,
  type SignatureAlgorithm,
} from '@elicense/core';
import { requestTimestamp, TimestampRequestError, type TimestampFailure } from '../tsa/client.js';
import { cli, openssl, startTsa, tempDir, usageErrorProblem } from './cli-harness.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
before(async () => {
  tmp = await tempDir();
});
after(() => tmp.remove());

const DATA = utf8('电子证照 signature value');
const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2035-01-01T00:00:00Z');

/** A root CA and a TSA certificate under it, written as PEM: `<alg>-root.pem`, `<alg>-tsa.key.pem`, `<alg>-tsa-chain.pem`. */
async function writeTsaPki(alg: SignatureAlgorithm, passphrase?: string): Promise<{ root: string; key: string; chain: string }> {
  const rootKey = await generateSigningKey(alg);
  const tsaKey = await generateSigningKey(alg);
  const root = await createRootCa({ key: rootKey, subject: { commonName: `TSA test root ${alg} (TEST ONLY)` }, notBefore: NOT_BEFORE, notAfter: NOT_AFTER });
  const tsa = await createTimeStampingCertificate({
    issuerCertificate: root, issuerKey: rootKey, subjectPublicKey: tsaKey.publicKey,
    subject: { commonName: `eLicense TSA ${alg} (TEST ONLY)` }, notBefore: NOT_BEFORE, notAfter: NOT_AFTER,
  });
  const paths = { root: tmp.path(`${alg}-root.pem`), key: tmp.path(`${alg}-tsa.key.pem`), chain: tmp.path(`${alg}-tsa-chain.pem`) };
  await writeFile(paths.root, toPem('CERTIFICATE', root));
  await writeFile(paths.key, await exportPrivateKeyPem(tsaKey, passphrase), { mode: 0o600 });
  await writeFile(paths.chain, toPem('CERTIFICATE', tsa) + toPem('CERTIFICATE', root));
  return paths;
}

test('elicense tsa serves openssl ts: query over HTTP, reply verified by openssl ts -verify; SIGTERM stops it cleanly', async () => {
  for (const alg of ['ES256', 'EdDSA'] as const) {
    const pki = await writeTsaPki(alg, 'tsa pass');
    const tsa = await startTsa(['--key', pki.key, '--passphrase-env', 'TSA_PASS', '--cert', pki.chain, '--policy', '2.999.3161.7'], { TSA_PASS: 'tsa pass' });
    assert.match(tsa.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    try {
      await writeFile(tmp.path('data'), DATA);
      await openssl(['ts', '-query', '-data', tmp.path('data'), '-sha256', '-cert', '-out', tmp.path('q.tsq')]);
      const res = await fetch(tsa.url, { method: 'POST', headers: { 'Content-Type': 'application/timestamp-query' }, body: await readFile(tmp.path('q.tsq')) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/timestamp-reply');
      await writeFile(tmp.path('r.tsr'), new Uint8Array(await res.arrayBuffer()));
      if (alg === 'ES256') {
        const out = await openssl(['ts', '-verify', '-data', tmp.path('data'), '-in', tmp.path('r.tsr'), '-CAfile', pki.root, '-untrusted', pki.chain]);
        assert.match(out, /Verification: OK/);
      }
      const text = await openssl(['ts', '-reply', '-in', tmp.path('r.tsr'), '-text']);
      assert.match(text, /Status: Granted/);
      assert.match(text, /Policy OID: 2\.999\.3161\.7/);

      const ok = await requestTimestamp(tsa.url, await computeDigest('SM3', DATA), 'SM3', { timeoutMs: 5000 });
      assert.equal(ok.verification.valid, true);
      assert.equal(ok.verification.policy, '2.999.3161.7');
    } finally {
      tsa.child.kill('SIGTERM');
    }
    const exit = await tsa.exit;
    assert.equal(exit.code, 0, exit.stderr);
    assert.match(exit.stdout, /time-stamping authority stopped/);
  }
});

test('the server answers 415 for another content type, 413 for an oversized body, 405 for GET', async () => {
  const pki = await writeTsaPki('ES256');
  const tsa = await startTsa(['--key', pki.key, '--cert', pki.chain]);
  try {
    const wrongType = await fetch(tsa.url, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(10) });
    assert.equal(wrongType.status, 415);
    const big = await fetch(tsa.url, { method: 'POST', headers: { 'Content-Type': 'application/timestamp-query' }, body: new Uint8Array(100_000) });
    assert.equal(big.status, 413);
    const get = await fetch(tsa.url);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const garbage = await fetch(tsa.url, { method: 'POST', headers: { 'Content-Type': 'application/timestamp-query' }, body: new Uint8Array(utf8('not a query')) });
    assert.equal(garbage.status, 200, 'a malformed query is answered with a rejection, as RFC 3161 asks');
    await writeFile(tmp.path('bad.tsr'), new Uint8Array(await garbage.arrayBuffer()));
    assert.match(await openssl(['ts', '-reply', '-in', tmp.path('bad.tsr'), '-text']), /Status: Rejected[\s\S]*wrong format/);
  } finally {
    tsa.child.kill('SIGINT');
  }
  assert.equal((await tsa.exit).code, 0);
});

test('the client reports rejections, HTTP errors, wrong content types and replayed replies (nonce mismatch)', async () => {
  const pki = await writeTsaPki('ES256');
  const tsa = await startTsa(['--key', pki.key, '--cert', pki.chain]);
  const digest = await computeDigest('SHA-256', DATA);
  const failsWith = async (promise: Promise<unknown>, reason: TimestampFailure) =>
    assert.rejects(promise, (e) => e instanceof TimestampRequestError && e.reason === reason);
  // A tiny HTTP server that misbehaves in one chosen way.
  let behaviour: 'http-500' | 'html' | 'replay' = 'http-500';
  let replay: Uint8Array = new Uint8Array(0);
  const fake: Server = createServer((_req, res) => {
    if (behaviour === 'http-500') res.writeHead(500).end('boom');
    else if (behaviour === 'html') res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html></html>');
    else res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(replay);
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/`;
  try {
    await failsWith(requestTimestamp(tsa.url, await computeDigest('SHA-1', DATA), 'SHA-1', { timeoutMs: 5000 }), 'rejected');
    await failsWith(requestTimestamp(fakeUrl, digest, 'SHA-256', { timeoutMs: 5000 }), 'http');
    behaviour = 'html';
    await failsWith(requestTimestamp(fakeUrl, digest, 'SHA-256', { timeoutMs: 5000 }), 'content-type');
    behaviour = 'replay';
    replay = (await requestTimestamp(tsa.url, digest, 'SHA-256', { timeoutMs: 5000 })).response;
    await failsWith(requestTimestamp(fakeUrl, digest, 'SHA-256', { timeoutMs: 5000 }), 'nonce');
    await failsWith(requestTimestamp('http://127.0.0.1:1/', digest, 'SHA-256', { timeoutMs: 5000 }), 'network');
  } finally {
    fake.close();
    tsa.child.kill('SIGTERM');
  }
  assert.equal((await tsa.exit).code, 0);
});

test('usage errors: a certificate without the time-stamping EKU, a key that is not the certificate\'s, a bad port', async () => {
  const pki = await writeTsaPki('ES256');
  const other = await writeTsaPki('SM2SM3');
  const rootOnly = await cli(['tsa', '--key', pki.key, '--cert', pki.root]);
  assert.equal(usageErrorProblem(rootOnly, /not the key of the certificate|id-kp-timeStamping|extended key usage/), undefined);
  const mismatch = await cli(['tsa', '--key', other.key, '--cert', pki.chain]);
  assert.equal(usageErrorProblem(mismatch, /is not the key of the certificate/), undefined);
  const port = await cli(['tsa', '--key', pki.key, '--cert', pki.chain, '--port', '70000']);
  assert.equal(usageErrorProblem(port, /--port must be an integer from 0 to 65535/), undefined);
  const missing = await cli(['tsa', '--cert', pki.chain]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--key/);
});

test('elicense tsa --help explains itself with examples', async () => {
  const help = await cli(['tsa', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--key <key\.pem>/);
  assert.match(help.stdout, /Examples:\n\s+\$ elicense tsa --key/);
  assert.match(help.stdout, /openssl ts -verify/);
});
