/** The platform's CRLs: re-issued before they lapse, so what it issued keeps verifying. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCrl, parsePem, type CertificateListInfo } from '@elicense/core';
import { refreshCrls } from '../src/services/crls.js';
import { issueLicense, newHolder, readAsOffice, requestFor, TYPES, verifyOnServer } from '../test-support/licenses.js';
import { DATABASES, startTestServer, type TestServer } from '../test-support/test-server.js';

const DAY = 86_400_000;

async function publishedCrls(server: TestServer): Promise<CertificateListInfo[]> {
  const res = await server.fetch('/.well-known/elicense/crls.pem');
  assert.equal(res.status, 200);
  return parsePem(await res.text()).filter((block) => block.label === 'X509 CRL').map((block) => parseCrl(block.der));
}

for (const database of DATABASES) {
  describe(`CRLs (${database})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer({ database }); });
    after(() => server?.close());

    it('re-issues the demo CAs\' CRLs when half their period is left: same entries, next number, licenses keep verifying', async () => {
      const license = await issueLicense(server, 'market-office', requestFor(TYPES.business, newHolder('吊销列表')));
      const { signedJson } = await readAsOffice(server, 'market-office', license.identifier);
      const first = await publishedCrls(server);
      assert.equal(first.length, 4, 'root and issuing CA, international and SM2');
      assert.deepEqual(first.map((crl) => crl.crlNumber), ['1', '1', '1', '1']);
      assert.deepEqual((await refreshCrls(server.ctx)).reissued, [], 'nothing is due on the first day');

      // Past the CRLs' nextUpdate nothing can be said about revocation: not TOTAL_PASSED.
      server.clock.advance(40 * DAY);
      const lapsed = await verifyOnServer(server, signedJson, 'application/jose');
      assert.equal(lapsed.indication, 'INDETERMINATE', JSON.stringify(lapsed.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));

      const refreshed = await refreshCrls(server.ctx);
      assert.equal(refreshed.reissued.length, 4);
      assert.deepEqual(refreshed.due, []);
      const now = server.clock.now().getTime();
      const second = await publishedCrls(server);
      for (const [i, crl] of second.entries()) {
        assert.equal(crl.issuer, first[i]!.issuer);
        assert.equal(crl.crlNumber, '2');
        assert.deepEqual(crl.revoked, first[i]!.revoked);
        assert.ok(crl.thisUpdate.getTime() <= now && crl.nextUpdate!.getTime() > now + 29 * DAY, `${crl.issuer}: ${crl.thisUpdate.toISOString()} – ${crl.nextUpdate?.toISOString()}`);
      }
      assert.equal((await verifyOnServer(server, signedJson, 'application/jose')).indication, 'TOTAL_PASSED');
      assert.deepEqual((await refreshCrls(server.ctx)).reissued, [], 'a fresh CRL is left alone');
    });
  });
}
