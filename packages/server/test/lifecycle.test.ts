/** Revoke, suspend, reinstate, renew and change, as the status lists and the verifier see them. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeStatusBitstring, getStatusBit, parseJws } from '@elicense/core';
import { STATUS_LIST_SIZE } from '../src/services/status-urls.js';
import { issueLicense, newHolder, readAsOffice, requestFor, statusCheck, TYPES, verifyOnServer } from '../test-support/licenses.js';
import { call, DATABASES, expectJson, expectProblem, startTestServer, TEST_PUBLIC_URL, type TestServer } from '../test-support/test-server.js';

const STATUS_MAX_AGE = 123;

interface StatusEntry {
  statusPurpose: 'revocation' | 'suspension';
  statusListIndex: string;
  statusListCredential: string;
}

for (const database of DATABASES) {
  describe(`lifecycle (${database})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer({ database, env: { ELICENSE_STATUS_MAX_AGE: String(STATUS_MAX_AGE) } }); });
    after(() => server?.close());

    const path = (identifier: string, rest = '') => `/v1/licenses/${encodeURIComponent(identifier)}${rest}`;
    const change = async (identifier: string, action: string, body: unknown = { reason: `${action} for the test` }) =>
      call(server, path(identifier, `/${action}`), { token: await server.token('market-office'), json: body });

    /** The license's bit in its published status list of this purpose, read with core. */
    async function statusBit(identifier: string, purpose: 'revocation' | 'suspension'): Promise<boolean> {
      const { credential } = await readAsOffice(server, 'market-office', identifier);
      const entry = (credential.credentialStatus as StatusEntry[]).find((e) => e.statusPurpose === purpose)!;
      assert.ok(entry.statusListCredential.startsWith(`${TEST_PUBLIC_URL}/status/`), entry.statusListCredential);
      const res = await server.fetch(entry.statusListCredential);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/vc+jwt; charset=utf-8');
      const list = JSON.parse(Buffer.from(parseJws(await res.text()).payload).toString('utf8')) as { id: string; credentialSubject: { statusPurpose: string; encodedList: string } };
      assert.equal(list.id, entry.statusListCredential);
      assert.equal(list.credentialSubject.statusPurpose, purpose);
      const bits = await decodeStatusBitstring(list.credentialSubject.encodedList);
      return getStatusBit(bits, Number(entry.statusListIndex) % STATUS_LIST_SIZE)!;
    }

    async function verifySigned(identifier: string) {
      const { signedJson } = await readAsOffice(server, 'market-office', identifier);
      return verifyOnServer(server, signedJson, 'application/jose');
    }

    it('revokes a license: the revocation bit is set, the verifier says REVOKED, and nothing more can be done with it', async () => {
      const license = await issueLicense(server, 'market-office', requestFor(TYPES.business, newHolder('吊销')));
      assert.equal(await statusBit(license.identifier, 'revocation'), false);
      const revoked = await expectJson<{ state: string }>(await change(license.identifier, 'revoke', { reason: '以欺骗手段取得' }), 200);
      assert.equal(revoked.state, 'revoked');
      assert.equal(await statusBit(license.identifier, 'revocation'), true);
      assert.equal(await statusBit(license.identifier, 'suspension'), false);

      const report = await verifySigned(license.identifier);
      assert.equal(report.valid, false);
      assert.equal(report.indication, 'TOTAL_FAILED');
      assert.equal(report.subIndication, 'REVOKED');
      assert.ok(statusCheck(report).some((c) => c.subIndication === 'REVOKED'));

      for (const action of ['revoke', 'suspend', 'reinstate']) {
        const problem = await expectProblem(await change(license.identifier, action), 409, 'INVALID_STATE');
        assert.match(problem.detail, /revoked/);
      }
      await expectProblem(await change(license.identifier, 'versions', { kind: 'renew', reason: '延续' }), 409, 'INVALID_STATE');
    });

    it('suspends and reinstates, with the suspension bit following, and refuses transitions from the wrong state', async () => {
      const license = await issueLicense(server, 'market-office', requestFor(TYPES.business, newHolder('暂扣')));
      await expectProblem(await change(license.identifier, 'reinstate'), 409, 'INVALID_STATE');
      assert.equal((await expectJson<{ state: string }>(await change(license.identifier, 'suspend', { reason: '责令整改' }), 200)).state, 'suspended');
      assert.equal(await statusBit(license.identifier, 'suspension'), true);
      const suspended = await verifySigned(license.identifier);
      assert.equal(suspended.valid, false);
      assert.equal(suspended.indication, 'INDETERMINATE');
      assert.ok(statusCheck(suspended).some((c) => /suspended/.test(c.message)));
      await expectProblem(await change(license.identifier, 'suspend'), 409, 'INVALID_STATE');

      assert.equal((await expectJson<{ state: string }>(await change(license.identifier, 'reinstate', { reason: '整改完成' }), 200)).state, 'valid');
      assert.equal(await statusBit(license.identifier, 'suspension'), false);
      assert.equal((await verifySigned(license.identifier)).indication, 'TOTAL_PASSED');

      await expectProblem(await change(license.identifier, 'suspend', {}), 422, 'VALIDATION_FAILED');
      await expectProblem(await change('1.2.156.3005.2.no.such.license', 'revoke'), 404, 'NOT_FOUND');
    });

    it('renews and changes a license: new versions supersede the old, whose status is revoked, and the history tells why', async () => {
      const first = await issueLicense(server, 'market-office', requestFor(TYPES.business, newHolder('延续')));
      const renewedRes = await change(first.identifier, 'versions', { kind: 'renew', reason: '有效期届满延续' });
      const renewed = await expectJson<{ identifier: string; version: number; supersedes: string; state: string }>(renewedRes, 201);
      assert.equal(renewed.identifier, `${first.identifier.split('.').slice(0, -2).join('.')}.002.${renewed.identifier.at(-1)}`);
      assert.equal(renewed.version, 2);
      assert.equal(renewed.supersedes, first.identifier);
      assert.equal(renewed.state, 'valid');
      assert.equal(renewedRes.headers.get('location'), `${TEST_PUBLIC_URL}${path(renewed.identifier)}`);

      const old = await readAsOffice(server, 'market-office', first.identifier);
      assert.equal(old.state, 'superseded');
      assert.equal(old.supersededBy, renewed.identifier);
      assert.equal(await statusBit(first.identifier, 'revocation'), true);
      assert.equal((await verifySigned(first.identifier)).subIndication, 'REVOKED');
      assert.equal((await verifySigned(renewed.identifier)).indication, 'TOTAL_PASSED');
      await expectProblem(await change(first.identifier, 'versions', { kind: 'renew', reason: '再次延续' }), 409, 'INVALID_STATE');
      await expectProblem(await change(first.identifier, 'revoke'), 409, 'INVALID_STATE');

      const changed = await expectJson<{ identifier: string; version: number }>(await change(renewed.identifier, 'versions', { kind: 'change', reason: '住所变更', fields: { 住所: '演示市新区示例路2号' } }), 201);
      assert.equal(changed.version, 3);
      const current = await readAsOffice(server, 'market-office', changed.identifier);
      assert.equal((current.credential.credentialSubject as { fields: Record<string, string> }).fields.住所, '演示市新区示例路2号');
      const badChange = await expectProblem(await change(changed.identifier, 'versions', { kind: 'change', reason: '错误变更', fields: { 成立日期: 'never' } }), 422, 'VALIDATION_FAILED');
      assert.ok(badChange.errors?.some((e) => e.field.includes('成立日期')), JSON.stringify(badChange.errors));

      const history = await expectJson<{ versions: { identifier: string; state: string }[]; events: { identifier: string; action: string; reason: string | null; actor: string }[] }>(
        await call(server, path(first.identifier, '/history'), { token: await server.token('market-office') }), 200);
      assert.deepEqual(history.versions.map((v) => [v.identifier, v.state]), [[first.identifier, 'superseded'], [renewed.identifier, 'superseded'], [changed.identifier, 'valid']]);
      const events = history.events.map((e) => [e.identifier, e.action, e.reason]);
      assert.deepEqual(events, [
        [first.identifier, 'issued', null],
        [first.identifier, 'superseded', '有效期届满延续'],
        [renewed.identifier, 'renewed', '有效期届满延续'],
        [renewed.identifier, 'superseded', '住所变更'],
        [changed.identifier, 'changed', '住所变更'],
      ]);
      assert.ok(history.events.every((e) => e.actor === 'market-office'));
    });

    it('serves status lists with the configured cache time, an ETag and 304 for an unchanged list', async () => {
      const license = await issueLicense(server, 'market-office', requestFor(TYPES.food, newHolder('缓存')));
      const { credential } = await readAsOffice(server, 'market-office', license.identifier);
      const url = (credential.credentialStatus as StatusEntry[]).find((e) => e.statusPurpose === 'revocation')!.statusListCredential;
      const first = await server.fetch(url);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), `public, max-age=${STATUS_MAX_AGE}`);
      const etag = first.headers.get('etag');
      assert.match(etag ?? '', /^"[\w-]+"$/);
      const again = await server.fetch(url, { headers: { 'if-none-match': etag! } });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');

      await expectJson(await change(license.identifier, 'revoke'), 200);
      const afterRevoke = await server.fetch(url, { headers: { 'if-none-match': etag! } });
      assert.equal(afterRevoke.status, 200);
      assert.notEqual(afterRevoke.headers.get('etag'), etag);

      await expectProblem(await server.fetch(`/status/${TYPES.food}/revocation/999`), 404, 'NOT_FOUND');
      await expectProblem(await server.fetch(`/status/${TYPES.food}/other/0`), 400, 'BAD_REQUEST');
    });
  });
}
