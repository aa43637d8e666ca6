/**
 * The SDK against a repository on PostgreSQL (a fresh database, dropped afterwards) that names itself by
 * a public URL the SDK does not reach it at, as behind a gateway: status lists are mapped to baseUrl.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FOOD_LICENSE, movableClock, PURPOSE, startRepository, type Repository } from '../test-support/repository.js';
import { createLicenseClient, LicenseApiError } from './index.js';

let repo: Repository;

before(async () => {
  repo = await startRepository({ database: 'postgres', publicUrl: 'separate' });
});
after(async () => {
  await repo?.close();
});

describe('fetch and verify (PostgreSQL, public URL behind a gateway)', () => {
  test('issue, share, fetch and verify JSON and PDF; revoke; the revocation shows after maxStatusAge', async () => {
    const clock = movableClock();
    const client = createLicenseClient({
      baseUrl: repo.url,
      publicUrl: repo.publicUrl,
      clientId: 'approval-system',
      clientSecret: repo.secret('approval-system'),
      trustOperatorCertificate: repo.operatorCertificatePem,
      maxStatusAge: 60,
      now: clock.now,
    });
    const identifier = await repo.issue(FOOD_LICENSE);
    await assert.rejects(client.getPdf(identifier, { purpose: PURPOSE.code }), (error: unknown) => error instanceof LicenseApiError && error.code === 'CONSENT_REQUIRED');
    await repo.share(identifier);
    const json = await client.fetchAndVerify(identifier, { purpose: PURPOSE.code });
    assert.equal(json.report.indication, 'TOTAL_PASSED', JSON.stringify(json.report.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
    const pdf = await client.fetchAndVerify(identifier, { purpose: PURPOSE.code, format: 'pdf' });
    assert.equal(pdf.report.indication, 'TOTAL_PASSED', JSON.stringify(pdf.report.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
    await repo.revoke(identifier);
    clock.advance(61);
    const revoked = await client.verify(pdf.license);
    assert.equal(revoked.indication, 'TOTAL_FAILED');
    assert.equal(revoked.subIndication, 'REVOKED');
  });

  test('reads without a purpose are refused before anything is sent', async () => {
    const client = createLicenseClient({ baseUrl: repo.url, clientId: 'approval-system', clientSecret: repo.secret('approval-system'), trustOperatorCertificate: repo.operatorCertificatePem });
    await assert.rejects(client.getLicense('1.2.156.3005.2.x'), /purpose/);
  });

  test('a wrong client secret is a LicenseApiError from the token endpoint', async () => {
    const client = createLicenseClient({ baseUrl: repo.url, clientId: 'approval-system', clientSecret: 'wrong', purpose: PURPOSE.code, trustOperatorCertificate: repo.operatorCertificatePem });
    await assert.rejects(client.getLicense('1.2.156.3005.2.x'), (error: unknown) => error instanceof LicenseApiError && error.status === 401 && error.code === 'INVALID_CLIENT');
  });
});
