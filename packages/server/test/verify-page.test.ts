/**
 * The /verify page in Chromium, served by a real repository under its own CSP: a license PDF, a
 * tampered copy, the signed JSON and a 150 dpi scan of the PDF's QR code are dropped on the page, which
 * verifies them in the browser and says what a counter clerk needs. The page's requests are recorded:
 * none carries the document.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, assertChromium } from '../../sdk/test-support/chromium.js';
import { issueLicense, newHolder, pdfOf, readAsOffice, requestFor } from '../test-support/licenses.js';
import { call, startTestServer, type TestServer } from '../test-support/test-server.js';
import { freePort } from '../test-support/storage.js';

const BUSINESS_LICENSE = '11100000MB0143028R001';
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const PAGE_SCRIPT = here('../dist/web/verify-page.js');

let server: TestServer;
let browser: Browser;
let page: Page;
let workDir: string;
const sent: { method: string; url: string; body: Buffer | null }[] = [];
const consoleErrors: string[] = [];
const uploads: { name: string; bytes: Uint8Array }[] = [];


function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}): apt-get install -y poppler-utils (.ci/run installs it)`);
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
}

interface PageReport {
  title: string;
  indication: string;
  failing: string;
  license: string;
  fields: string;
  status: string;
  times: string;
  issuer: string;
  seal: string;
  sealPictures: number;
  sealPictureWidth: number;
  note: string;
  sealGreyed: boolean;
}

/** Drops the file on the page's input, waits for the verdict, screenshots the page. */
async function verifyOnPage(name: string, bytes: Uint8Array, mimeType: string, screenshot: string): Promise<PageReport> {
  uploads.push({ name, bytes });
  await page.setInputFiles('#file', { name, mimeType, buffer: Buffer.from(bytes) });
  await page.waitForSelector(`#result[data-state="done"][data-file="${name}"]`, { timeout: 20_000 });
  await page.screenshot({ path: `/tmp/verify-page-${screenshot}.png`, fullPage: true });
  // A string, not a function: tsx's name-keeping helper does not exist in the page.
  return page.evaluate(`(() => {
    const text = (selector) => document.querySelector(selector)?.textContent ?? '';
    const pictures = [...document.querySelectorAll('[data-testid="seal-picture"]')];
    return {
      title: text('[data-testid="verdict-title"]'),
      indication: text('[data-testid="indication"]'),
      failing: text('[data-testid="failing-checks"]'),
      license: text('[data-testid="license"]'),
      fields: text('[data-testid="fields"]'),
      status: text('[data-testid="status"]'),
      times: text('[data-testid="times"]'),
      issuer: text('[data-testid="issuer"]'),
      seal: [...document.querySelectorAll('section.card')].find((s) => s.querySelector('h2')?.textContent === '电子印章')?.textContent ?? '',
      note: text('[data-testid="unverified-note"]'),
      sealGreyed: pictures.some((p) => p.closest('figure')?.classList.contains('untrusted')),
      sealPictures: pictures.filter((p) => p.complete && p.naturalWidth > 0).length,
      sealPictureWidth: pictures[0]?.getBoundingClientRect().width ?? 0,
    };
  })()`);
}

let pdf: Uint8Array;
let signedJson: string;
let identifier: string;
let holderName: string;

before(async () => {
  assertChromium();
  const fonts = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  assert.ok(fonts.stdout?.trim(), 'chromium needs a Chinese font to draw the page: apt-get install -y fonts-noto-cjk (.ci/run installs it)');
  for (const script of ['../../sdk/scripts/build-browser.mjs', '../scripts/build-web.mjs']) run(process.execPath, [here(script)]);
  const port = await freePort();
  server = await startTestServer({ database: 'sqlite', env: { PORT: String(port), ELICENSE_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  workDir = await mkdtemp(join(tmpdir(), 'elicense-verify-page-'));

  const holder = newHolder('核验');
  holderName = holder.name;
  const issued = await issueLicense(server, 'market-office', requestFor(BUSINESS_LICENSE, holder));
  identifier = issued.identifier;
  pdf = await pdfOf(await call(server, `/v1/licenses/${encodeURIComponent(identifier)}?format=pdf`, { token: await server.token('market-office') }));
  signedJson = (await readAsOffice(server, 'market-office', identifier)).signedJson;

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (request) => sent.push({ method: request.method(), url: request.url(), body: request.postDataBuffer() }));
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the /verify page', () => {
  test('is served under the app CSP (no inline script, no eval) with the operator certificate to pin', async () => {
    const res = await server.fetch('/verify');
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/, csp);
    assert.doesNotMatch(csp, /unsafe-eval/);
    const html = await res.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.match(html, /data-operator-certificate="-----BEGIN CERTIFICATE-----/);
    for (const asset of ['/assets/elicense-sdk.browser.js', '/assets/verify-page.js', '/assets/verify-page.css']) {
      const served = await server.fetch(asset);
      assert.equal(served.status, 200, asset);
      assert.match(served.headers.get('content-type') ?? '', asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    }
    assert.equal((await server.fetch('/assets/constructor')).status, 404);
    await page.goto(`${server.url}/verify`);
    await page.waitForSelector('#verify[data-state="ready"]');
  });

  test('a license PDF: 有效, TOTAL_PASSED, fields in Chinese, the issuer, the seal picture, the status and times', async () => {
    const shown = await verifyOnPage('license.pdf', pdf, 'application/pdf', 'valid');
    assert.equal(shown.title, '有效', JSON.stringify(shown));
    assert.equal(shown.indication, 'TOTAL_PASSED');
    assert.equal(shown.failing, '');
    assert.match(shown.license, new RegExp(`证照名称营业执照.*证照标识${identifier}.*持证主体${holderName}.*发证机关`));
    assert.match(shown.license, /有效期\d{4}年\d{1,2}月\d{1,2}日 至/);
    assert.match(shown.fields, /统一社会信用代码.*法定代表人.*经营范围/);
    assert.match(shown.issuer, /发证机关.*签名者.*证书序列号/);
    assert.equal(shown.sealPictures, 1, 'the seal picture from the PDF signature shows');
    assert.ok(shown.sealPictureWidth > 100, `the seal is drawn at its size, ${shown.sealPictureWidth}px`);
    assert.match(shown.seal, /印章标识.*印章已核验/);
    assert.equal(shown.sealGreyed, false);
    assert.equal(shown.note, '');
    assert.equal(shown.status, '正常（未吊销、未暂扣）');
    assert.match(shown.times, /核验时间\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}（北京时间）吊销状态列表[\d/: ]+签发，有效至 [\d/: ]+暂扣状态列表/);
  });

  test('the PDF with one byte flipped inside the signed range: 无效, TOTAL_FAILED, with the failing check', async () => {
    const tampered = Uint8Array.from(pdf);
    const byteRange = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)/.exec(Buffer.from(pdf).toString('latin1'));
    assert.ok(byteRange, 'the PDF has a signature ByteRange');
    // The binary comment on the second line: inside the first signed range, and no parser reads it.
    const at = Buffer.from(pdf).indexOf('\n') + 2;
    assert.ok(at > Number(byteRange[1]) && at < Number(byteRange[1]) + Number(byteRange[2]));
    tampered[at] = tampered[at]! ^ 0x01;
    const shown = await verifyOnPage('tampered.pdf', tampered, 'application/pdf', 'tampered');
    assert.equal(shown.title, '无效', JSON.stringify(shown));
    assert.match(shown.indication, /^TOTAL_FAILED/);
    assert.match(shown.failing, /(签名数据|PDF 文件与签名).*(HASH_FAILURE|SIG_CRYPTO_FAILURE)/, shown.failing);
    assert.match(shown.note, /未通过核验/, 'the fields are marked as coming from a document that failed');
    assert.equal(shown.sealGreyed, true, 'the seal picture of a document that failed is greyed out');
    assert.match(shown.seal, /不能作为凭证/);
    await page.click('details.all-checks summary');
    await page.screenshot({ path: '/tmp/verify-page-tampered-checks.png', fullPage: true });
  });

  test('the signed JSON license: 有效, and the page says a JSON license carries no seal picture', async () => {
    const shown = await verifyOnPage('license.json', new TextEncoder().encode(signedJson), 'application/json', 'json');
    assert.equal(shown.title, '有效', JSON.stringify(shown));
    assert.equal(shown.indication, 'TOTAL_PASSED');
    assert.match(shown.license, new RegExp(`证照标识${identifier}`));
    assert.match(shown.seal, /不含印章图像.*签名所引用的印章已核验/);
    assert.equal(shown.status, '正常（未吊销、未暂扣）');
  });

  test('a 150 dpi scan of the PDF page: the QR code is read in the browser and verified', async () => {
    const pdfFile = join(workDir, 'license.pdf');
    await writeFile(pdfFile, pdf);
    run('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', pdfFile, join(workDir, 'scan')]);
    const png = await readFile(join(workDir, 'scan.png'));
    const shown = await verifyOnPage('scan.png', png, 'image/png', 'qr');
    assert.equal(shown.title, '有效', JSON.stringify(shown));
    assert.equal(shown.indication, 'TOTAL_PASSED');
    assert.match(shown.license, new RegExp(`证照标识${identifier}`));
    assert.equal(shown.status, '正常（未吊销、未暂扣）');
  });

  test('after the office revokes it, the same JSON on a reloaded page: 无效, REVOKED, 已吊销', async () => {
    const res = await call(server, `/v1/licenses/${encodeURIComponent(identifier)}/revoke`, { token: await server.token('market-office'), json: { reason: '吊销：核验页面测试' } });
    assert.equal(res.status, 200, await res.text());
    // A new page load is a new verifier: the status lists held by the old one are not asked again for a minute.
    await page.reload();
    await page.waitForSelector('#verify[data-state="ready"]');
    const shown = await verifyOnPage('revoked.json', new TextEncoder().encode(signedJson), 'application/json', 'revoked');
    assert.equal(shown.title, '无效', JSON.stringify(shown));
    assert.match(shown.indication, /^TOTAL_FAILED \/ REVOKED/);
    assert.equal(shown.status, '已吊销（注销）');
    assert.match(shown.failing, /证照状态.*license\.status · REVOKED/);
  });

  test('no request carries the document: only GETs for the page, its assets and the public documents', () => {
    assert.deepEqual(consoleErrors, [], 'no console errors (CSP refusals would show here)');
    assert.ok(sent.some((r) => r.url.endsWith('/.well-known/elicense/trust-list.json')));
    assert.ok(sent.some((r) => r.url.includes('/status/')));
    for (const request of sent) {
      assert.equal(request.method, 'GET', `${request.method} ${request.url}`);
      const path = new URL(request.url).pathname;
      assert.match(path, /^\/(verify|assets\/[\w.-]+|\.well-known\/elicense\/(trust-list\.json|crls\.pem)|status\/.+)$/, request.url);
      for (const upload of uploads) {
        assert.ok(!request.body || request.body.indexOf(Buffer.from(upload.bytes.subarray(0, 64))) < 0, `${request.url} carries ${upload.name}`);
      }
    }
  });

  test('without its built script the server answers /verify with a 503 that says how to build it', async () => {
    const aside = `${PAGE_SCRIPT}.aside`;
    await rename(PAGE_SCRIPT, aside);
    try {
      const res = await server.fetch('/verify');
      assert.equal(res.status, 503);
      assert.match(await res.text(), /verify-page\.js \(node packages\/server\/scripts\/build-web\.mjs\).*pnpm install/s);
    } finally {
      await rename(aside, PAGE_SCRIPT);
    }
    assert.ok(existsSync(PAGE_SCRIPT));
  });
});
