/**
 * The SDK against a real repository on SQLite: issue, share, fetch and verify (JSON and PDF), consent,
 * token handling, caching and revocation, stale status, wrong trust, and the offline bundle.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BUSINESS_LICENSE, FOOD_LICENSE, movableClock, startRepository, type Repository } from '../test-support/repository.js';
import { createLicenseClient, createOfflineVerifier, LicenseApiError, type LicenseClientOptions } from './index.js';

let repo: Repository;
let shared: string;

function options(extra: Partial<LicenseClientOptions> = {}): LicenseClientOptions {
  return repo.approvalClientOptions(extra);
}

/** A fetch that counts requests by path and can be told to fail some. */
function instrumentedFetch(fail: (url: string) => boolean = () => false) {
  const counts = new Map<string, number>();
  const seen: { url: string; headers: Headers }[] = [];
  const wrapped = async (input: string, init?: RequestInit) => {
    const path = new URL(input).pathname;
    const key = path.startsWith('/status/') ? '/status/' : path.startsWith('/v1/licenses') ? '/v1/licenses' : path;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    seen.push({ url: input, headers: new Headers(init?.headers) });
    if (fail(input)) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return fetch(input, init);
  };
  return { fetch: wrapped, count: (key: string) => counts.get(key) ?? 0, seen };
}

before(async () => {
  repo = await startRepository({ database: 'sqlite' });
  shared = await repo.issue(FOOD_LICENSE);
});
after(async () => {
  await repo?.close();
});

describe('fetch and verify (SQLite)', () => {
  test('a license issued and then shared by the holder is refused before and verifies after', async () => {
    const client = createLicenseClient(options());
    const identifier = await repo.issue(FOOD_LICENSE);
    await assert.rejects(client.getLicense(identifier), (error: unknown) => {
      assert.ok(error instanceof LicenseApiError);
      assert.equal(error.status, 403);
      assert.equal(error.code, 'CONSENT_REQUIRED');
      assert.ok(error.requestId, 'the request id comes with the error');
      return true;
    });
    await repo.share(identifier);
    const json = await client.fetchAndVerify(identifier);
    assert.equal(json.format, 'json');
    assert.equal(json.report.indication, 'TOTAL_PASSED', JSON.stringify(json.report.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
    assert.equal(json.report.valid, true);
    assert.equal(json.license.summary.identifier, identifier);
    assert.equal(json.license.summary.holderCode, repo.holderCode);
    const pdf = await client.fetchAndVerify(identifier, { format: 'pdf' });
    assert.equal(pdf.format, 'pdf');
    assert.equal(pdf.report.format, 'pdf');
    assert.equal(pdf.report.indication, 'TOTAL_PASSED', JSON.stringify(pdf.report.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
    const annotated = await client.getAnnotatedCopy(identifier);
    assert.equal(new TextDecoder().decode(annotated.subarray(0, 5)), '%PDF-');
    assert.notDeepEqual(annotated, pdf.license);
  });

  test('findLicenses lists what the holder shared for the purpose, and nothing for another purpose', async () => {
    const client = createLicenseClient(options());
    const found = await client.findLicenses({ holderCode: repo.holderCode, typeCode: FOOD_LICENSE });
    assert.ok(found.some((l) => l.identifier === shared) === false, 'not shared yet: not listed');
    await repo.share(shared);
    const listed = await client.findLicenses({ holderCode: repo.holderCode, typeCode: FOOD_LICENSE });
    assert.ok(listed.some((l) => l.identifier === shared));
    const business = await client.findLicenses({ holderCode: repo.holderCode, typeCode: BUSINESS_LICENSE });
    assert.ok(business.length >= 1, 'the demo consent covers the holder\'s business licenses');
    assert.deepEqual(await client.findLicenses({ holderCode: repo.holderCode, purpose: '999999999999' }), []);
  });

  test('one token serves many reads, is renewed before it expires, and a refused token is replaced once', async () => {
    const clock = movableClock();
    let spoil = false;
    const counted = instrumentedFetch();
    const client = createLicenseClient(options({
      now: clock.now,
      fetch: (url, init) => {
        if (spoil && new URL(url).pathname.startsWith('/v1/')) {
          spoil = false;
          return counted.fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: 'Bearer spoiled' } });
        }
        return counted.fetch(url, init);
      },
    }));
    await client.getLicense(shared);
    await client.getLicense(shared);
    assert.equal(counted.count('/oauth/token'), 1);
    const basic = counted.seen.find((s) => s.url.endsWith('/oauth/token'))!.headers.get('authorization');
    assert.match(basic ?? '', /^Basic /, 'client_secret_basic');
    clock.advance(900 - 20); // within 30 s of expires_in (900 s by default)
    await client.getLicense(shared);
    assert.equal(counted.count('/oauth/token'), 2, 'renewed ahead of expiry');
    spoil = true;
    await client.getLicense(shared);
    assert.equal(counted.count('/oauth/token'), 3, 'a 401 brings one new token and the read succeeds');
  });

  test('a revocation is seen once the cached status list is older than maxStatusAge, never later', async () => {
    const identifier = await repo.issue(FOOD_LICENSE);
    await repo.share(identifier);
    const clock = movableClock();
    const counted = instrumentedFetch();
    const client = createLicenseClient(options({ now: clock.now, maxStatusAge: 120, fetch: counted.fetch }));
    const first = await client.fetchAndVerify(identifier);
    assert.equal(first.report.indication, 'TOTAL_PASSED');
    const statusFetches = counted.count('/status/');
    assert.ok(statusFetches >= 1);
    await repo.revoke(identifier);
    const cached = await client.verify(first.license.signedJson!);
    assert.equal(counted.count('/status/'), statusFetches, 'the cached list serves within maxStatusAge');
    assert.equal(cached.indication, 'TOTAL_PASSED', 'still cached: the revocation is not known yet');
    clock.advance(121);
    const later = await client.verify(first.license.signedJson!);
    assert.equal(later.indication, 'TOTAL_FAILED');
    assert.equal(later.subIndication, 'REVOKED');
    assert.equal(later.valid, false);
    assert.ok(counted.seen.some((s) => s.url.includes('/status/') && s.headers.get('if-none-match')), 'revalidated with If-None-Match');
  });

  test('an unchanged status list is revalidated with a 304 and keeps verifying', async () => {
    const clock = movableClock();
    const client = createLicenseClient(options({ now: clock.now, maxStatusAge: 60 }));
    const { license } = await client.fetchAndVerify(shared);
    for (let i = 0; i < 3; i++) {
      clock.advance(61);
      assert.equal((await client.verify(license.signedJson!)).indication, 'TOTAL_PASSED');
    }
  });

  test('when status lists cannot be fetched and the copy held is too old: INDETERMINATE TRY_LATER, never valid', async () => {
    const clock = movableClock();
    let down = false;
    const counted = instrumentedFetch((url) => down && new URL(url).pathname.startsWith('/status/'));
    const client = createLicenseClient(options({ now: clock.now, maxStatusAge: 60, retries: 1, fetch: counted.fetch }));
    const { license } = await client.fetchAndVerify(shared);
    down = true;
    clock.advance(30);
    assert.equal((await client.verify(license.signedJson!)).indication, 'TOTAL_PASSED', 'fresh copy: no fetch needed');
    clock.advance(31);
    const stale = await client.verify(license.signedJson!);
    assert.equal(stale.indication, 'INDETERMINATE');
    assert.equal(stale.subIndication, 'TRY_LATER');
    assert.equal(stale.valid, false);
    assert.match(stale.checks.find((c) => c.id === 'license.status')!.message, /60 s/);
  });

  test('a trust list signed by another operator, or a pinned certificate that is not the operator\'s, is never valid', async () => {
    const other = await repo.ctx.keys.platformSigner('status-issuer');
    const { toPem } = await import('@elicense/core');
    const wrongPin = createLicenseClient(options({ trustOperatorCertificate: toPem('CERTIFICATE', other.certificates[0]!) }));
    const { report } = await wrongPin.fetchAndVerify(shared);
    assert.equal(report.valid, false);
    assert.notEqual(report.indication, 'TOTAL_PASSED');
    assert.match(report.checks.find((c) => c.id.startsWith('trust'))?.message ?? '', /operator/);

    const { signTrustList, readTrustListContent, parseJws } = await import('@elicense/core');
    const published = await (await fetch(`${repo.url}/.well-known/elicense/trust-list.json`)).text();
    const content = readTrustListContent(JSON.parse(new TextDecoder().decode(parseJws(published).payload)));
    const forged = await signTrustList(content, other);
    const forgedList = createLicenseClient(options({ trustList: forged }));
    const forgedReport = (await forgedList.fetchAndVerify(shared)).report;
    assert.equal(forgedReport.valid, false);
    assert.notEqual(forgedReport.indication, 'TOTAL_PASSED');
  });

  test('a license naming a status list elsewhere is not fetched from there', async () => {
    const counted = instrumentedFetch();
    const client = createLicenseClient(options({ fetch: counted.fetch, publicUrl: 'https://elsewhere.example' }));
    const { report } = await client.fetchAndVerify(shared);
    assert.equal(report.indication, 'INDETERMINATE');
    assert.equal(report.subIndication, 'TRY_LATER');
    assert.equal(counted.count('/status/'), 0);
  });

  test('the offline bundle verifies with no network, and a stale bundle says TRY_LATER', async () => {
    const online = createLicenseClient(options());
    const json = await online.fetchAndVerify(shared);
    const pdf = await online.getPdf(shared);
    const bundle = JSON.parse(JSON.stringify(await online.exportBundle())) as Awaited<ReturnType<typeof online.exportBundle>>;
    assert.ok(Object.keys(bundle.statusLists).length >= 2, 'revocation and suspension lists');
    assert.ok(bundle.crls.length >= 1);
    const clock = movableClock();
    const realFetch = globalThis.fetch;
    globalThis.fetch = () => Promise.reject(new Error('no network at the counter'));
    try {
      const counter = createOfflineVerifier(bundle, { trustOperatorCertificate: repo.operatorCertificatePem, maxStatusAge: 3600, now: clock.now });
      assert.equal((await counter.verify(json.license.signedJson!)).indication, 'TOTAL_PASSED');
      assert.equal((await counter.verify(pdf)).indication, 'TOTAL_PASSED');
      clock.advance(3601);
      const stale = await counter.verify(json.license.signedJson!);
      assert.equal(stale.indication, 'INDETERMINATE');
      assert.equal(stale.subIndication, 'TRY_LATER');
      assert.throws(() => createOfflineVerifier({ ...bundle, savedAt: 'yesterday' }, { trustOperatorCertificate: repo.operatorCertificatePem }), /savedAt/);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
