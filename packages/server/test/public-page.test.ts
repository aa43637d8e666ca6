/** The page behind a license's QR code: current status and masked public fields, for anyone. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { maskCode, maskPersonName } from '../src/routes/public-page.js';
import { issueLicense, requestFor, TYPES } from '../test-support/licenses.js';
import { call, startTestServer, type TestServer } from '../test-support/test-server.js';

describe('the public page behind the QR code', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ database: 'sqlite' }); });
  after(() => server?.close());

  const page = async (id: string) => {
    const res = await call(server, `/q?id=${encodeURIComponent(id)}`);
    return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), html: await res.text() };
  };

  it('shows a natural person\'s license as valid, with the name and ID number masked', async () => {
    // 特种作业 certificates are made out to a person (the sample's 赵德华, 220102199003071235).
    const license = await issueLicense(server, 'housing-office', requestFor(TYPES.operator));
    const { status, type, cache, html } = await page(license.identifier);
    assert.equal(status, 200);
    assert.match(type!, /^text\/html/);
    assert.match(cache!, /max-age=\d+/);
    assert.match(html, /<p class="state valid">有效<\/p>/);
    assert.ok(html.includes('建筑施工特种作业人员操作资格证书'));
    assert.ok(html.includes(license.identifier));
    assert.ok(html.includes('赵*华'), 'the name is masked');
    assert.ok(!html.includes('赵德华'), 'the full name never appears');
    assert.ok(!html.includes('220102199003071235'), 'the full ID number never appears');
    assert.ok(html.includes('吉林省住房和城乡建设厅'));
    assert.ok(!/<script/i.test(html), 'no script: it works on any phone and under any CSP');
  });

  it('says when a license has been revoked', async () => {
    const license = await issueLicense(server, 'market-office', requestFor(TYPES.business));
    const res = await call(server, `/v1/licenses/${encodeURIComponent(license.identifier)}/revoke`, { token: await server.token('market-office'), json: { reason: '吊销：测试' } });
    assert.equal(res.status, 200);
    const { html } = await page(license.identifier);
    assert.match(html, /<p class="state bad">已注销或吊销<\/p>/);
  });

  it('answers an unknown or hostile identifier with a plain 404 page, escaping nothing back', async () => {
    const hostile = '<script>alert(1)</script>';
    const { status, html } = await page(hostile);
    assert.equal(status, 404);
    assert.ok(html.includes('未找到该电子证照'));
    assert.ok(!html.includes(hostile));
    assert.equal((await page('x'.repeat(5000))).status, 404);
  });

  it('masks names and codes', () => {
    assert.equal(maskPersonName('赵德华'), '赵*华');
    assert.equal(maskPersonName('张三'), '张*');
    assert.equal(maskPersonName('欧阳娜娜'), '欧**娜');
    assert.equal(maskCode('91330106MA2CK7Q13N'), '913301**********3N');
  });
});
