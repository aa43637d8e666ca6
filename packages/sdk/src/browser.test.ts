/**
 * The SDK in a real browser: the esbuild bundle served with a test page from one origin, the repository
 * on another (CORS allow-listed), Debian's chromium driven by playwright-core. The page fetches a shared
 * license as JSON and PDF and verifies both.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertChromium, launchChromium } from '../test-support/chromium.js';
import { FOOD_LICENSE, PURPOSE, startRepository, type Repository } from '../test-support/repository.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

let pageServer: Server;
let pageOrigin: string;
let repo: Repository;
let browser: Browser | undefined;

before(async () => {
  assertChromium();
  const build = spawnSync(process.execPath, [here('../scripts/build-browser.mjs')], { encoding: 'utf8' });
  assert.equal(build.status, 0, `the browser bundle did not build: ${build.stderr}`);
  const bundle = await readFile(here('../dist/elicense-sdk.browser.js'));
  const page = await readFile(here('../test-support/browser-page.html'));
  pageServer = createServer((req, res) => {
    if (req.url === '/elicense-sdk.browser.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
    else if (req.url === '/' || req.url?.startsWith('/index.html')) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as { port: number }).port}`;
  repo = await startRepository({ database: 'sqlite', env: { ELICENSE_CORS_ORIGINS: `https://other.example, ${pageOrigin}` } });
});

after(async () => {
  await browser?.close();
  pageServer?.closeAllConnections();
  await new Promise((resolve) => pageServer?.close(resolve));
  await repo?.close();
});

describe('in a browser', () => {
  test('the repository answers CORS only for allow-listed origins', async () => {
    const allowed = await fetch(`${repo.url}/oauth/token`, { method: 'OPTIONS', headers: { origin: pageOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), pageOrigin);
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    const refused = await fetch(`${repo.url}/.well-known/elicense/trust-list.json`, { headers: { origin: 'https://evil.example' } });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });

  test('chromium fetches and verifies a shared license, JSON and PDF: TOTAL_PASSED', async () => {
    const identifier = await repo.issue(FOOD_LICENSE);
    await repo.share(identifier);
    const unshared = await repo.issue(FOOD_LICENSE);
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const config = { baseUrl: repo.url, clientId: 'approval-system', clientSecret: repo.secret('approval-system'), purpose: PURPOSE.code, operatorCertificatePem: repo.operatorCertificatePem, identifier, unshared };
    await page.goto(`${pageOrigin}/index.html#${encodeURIComponent(JSON.stringify(config))}`);
    await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 60_000 });
    const result = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as Record<string, { indication?: string; valid?: boolean; identifier?: string; bytes?: number }> & { error?: string; unshared?: string; usesNode?: boolean };
    assert.deepEqual(errors, []);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.json?.indication, 'TOTAL_PASSED', JSON.stringify(result.json));
    assert.equal(result.json?.valid, true);
    assert.equal(result.json?.identifier, identifier);
    assert.equal(result.pdf?.indication, 'TOTAL_PASSED', JSON.stringify(result.pdf));
    assert.ok((result.pdf?.bytes ?? 0) > 1000);
    assert.equal(result.unshared, 'CONSENT_REQUIRED', 'the problem code reaches the page through CORS');
    assert.equal(result.usesNode, false);
  });
});
