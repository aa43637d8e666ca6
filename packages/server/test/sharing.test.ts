/**
 * 授权用证: a holder's consent lets an approval system read a license for one purpose, in the forms and
 * fields granted, until it ends; the holder sees every read; the audit chain records it all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compactVerify, importX509 } from 'jose';
import { parsePem, readAnnotatedCopy, toPem } from '@elicense/core';
import { DEMO_PURPOSE } from '../src/platform/demo-licenses.js';
import { demoHolder, issueLicense, newHolder, pdfOf, requestFor, TYPES, verifyOnServer, type IssuedLicense } from '../test-support/licenses.js';
import { call, DATABASES, expectJson, expectProblem, startTestServer, type ProblemBody, type TestServer } from '../test-support/test-server.js';

const PURPOSE = { code: '000117002000', name: '建筑工程施工许可证变更' };
const LIMITED_PURPOSE = { code: '000117003000', name: '企业名称核验' };

interface Consent {
  id: string;
  clientId: string;
  license?: string;
  purposeCode: string;
  fields?: string[];
  validUntil: string;
  withdrawnAt?: string;
}

const withoutRequestId = ({ requestId: _requestId, ...rest }: ProblemBody) => rest;

for (const database of DATABASES) {
  describe(`consent and sharing (${database})`, () => {
    let server: TestServer;
    let license: IssuedLicense;
    let consent: Consent;
    before(async () => {
      server = await startTestServer({ database });
      license = await issueLicense(server, 'market-office', requestFor(TYPES.food, { name: '演示市示例科技有限公司', code: demoHolder(server) }));
    });
    after(() => server?.close());

    const read = async (identifier: string, query: string, clientId = 'approval-system') =>
      call(server, `/v1/licenses/${encodeURIComponent(identifier)}?${query}`, { token: await server.token(clientId) });
    const grant = async (body: Record<string, unknown>) =>
      call(server, '/v1/consents', { token: await server.token('holder-agent'), json: { clientId: 'approval-system', purposeCode: PURPOSE.code, purposeName: PURPOSE.name, ...body } });
    const inAnHour = () => new Date(server.clock.now().getTime() + 3_600_000).toISOString();

    it('lets the holder grant one license for one purpose; the approval system then reads it as JSON, PDF and annotated copy', async () => {
      await expectProblem(await read(license.identifier, `purpose=${PURPOSE.code}`), 403, 'CONSENT_REQUIRED');
      const res = await grant({ license: license.identifier, validUntil: inAnHour() });
      consent = await expectJson<Consent>(res, 201);
      assert.equal(consent.license, license.identifier.split('.').slice(0, -2).join('.'));
      assert.equal(consent.purposeCode, PURPOSE.code);

      const json = await expectJson<{ identifier: string; signedJson: string; credential: unknown }>(await read(license.identifier, `purpose=${PURPOSE.code}`), 200);
      assert.equal(json.identifier, license.identifier);
      assert.equal(typeof json.signedJson, 'string');
      assert.ok(json.credential);

      const pdf = await pdfOf(await read(license.identifier, `purpose=${PURPOSE.code}&format=pdf`));
      const annotatedRes = await read(license.identifier, `purpose=${PURPOSE.code}&format=annotated`);
      assert.match(annotatedRes.headers.get('content-disposition') ?? '', /-annotated\.pdf"$/);
      const annotated = await pdfOf(annotatedRes);
      const copy = await readAnnotatedCopy(annotated);
      assert.equal(copy.annotation.purposeCode, PURPOSE.code);
      assert.equal(copy.annotation.purposeName, PURPOSE.name);
      assert.equal(copy.annotation.licenseIdentifier, license.identifier);
      assert.equal(copy.annotation.expires.toISOString(), consent.validUntil);
      assert.deepEqual(copy.originalPdf, pdf);
      assert.equal((await verifyOnServer(server, copy.originalPdf, 'application/pdf')).indication, 'TOTAL_PASSED');

      await expectProblem(await read(license.identifier, ''), 400, 'BAD_REQUEST');
      await expectProblem(await read(license.identifier, `purpose=${DEMO_PURPOSE.code}`), 403, 'CONSENT_REQUIRED');
    });

    it('finds by holder, type and purpose only the licenses granted', async () => {
      const holder = demoHolder(server);
      const search = async (query: string) => (await expectJson<{ licenses: { identifier: string }[] }>(
        await call(server, `/v1/licenses?${query}`, { token: await server.token('approval-system') }), 200)).licenses.map((l) => l.identifier);
      // The holder has another 食品经营许可证 from the demo platform: not granted, so not found.
      const all = await call(server, `/v1/licenses?holderCode=${holder}&typeCode=${TYPES.food}`, { token: await server.token('holder-agent') });
      assert.ok((await expectJson<{ licenses: unknown[] }>(all, 200)).licenses.length >= 2);
      assert.deepEqual(await search(`holderCode=${holder}&typeCode=${TYPES.food}&purpose=${PURPOSE.code}`), [license.identifier]);
      assert.deepEqual(await search(`holderCode=${holder}&purpose=${PURPOSE.code}`), [license.identifier]);
      assert.deepEqual(await search(`holderCode=${holder}&typeCode=${TYPES.food}&purpose=${DEMO_PURPOSE.code}`), []);
      const business = await search(`holderCode=${holder}&typeCode=${TYPES.business}&purpose=${DEMO_PURPOSE.code}`);
      assert.equal(business.length, 1, 'the demo consent covers the holder\'s 营业执照');
      await expectProblem(await call(server, `/v1/licenses?holderCode=${holder}`, { token: await server.token('approval-system') }), 400, 'BAD_REQUEST');
      await expectProblem(await call(server, `/v1/licenses?holderCode=${newHolder().code}`, { token: await server.token('holder-agent') }), 403, 'FORBIDDEN');
    });

    it('answers another holder\'s license exactly as it answers an identifier that does not exist', async () => {
      const other = await issueLicense(server, 'market-office', requestFor(TYPES.business, newHolder('他人')));
      const missing = `${other.identifier.slice(0, -16)}9999999999.001.X`;
      const refusals = [];
      for (const identifier of [other.identifier, missing]) {
        for (const query of [`purpose=${DEMO_PURPOSE.code}`, `purpose=${DEMO_PURPOSE.code}&format=pdf`]) {
          refusals.push(withoutRequestId(await expectProblem(await read(identifier, query), 403, 'CONSENT_REQUIRED')));
        }
      }
      for (const refusal of refusals) assert.deepEqual(refusal, refusals[0]);
      assert.ok(!JSON.stringify(refusals[0]).includes(other.identifier));
      // The holder's agent cannot read or share it either.
      await expectProblem(await read(other.identifier, '', 'holder-agent'), 404, 'NOT_FOUND');
      await expectProblem(await grant({ license: other.identifier, validUntil: inAnHour() }), 404, 'NOT_FOUND');
    });

    it('refuses reads once the consent expires', async () => {
      const short = await expectJson<Consent>(await grant({ license: license.identifier, purposeCode: 'EXPIRING-1', validUntil: new Date(server.clock.now().getTime() + 60_000).toISOString() }), 201);
      await expectJson(await read(license.identifier, 'purpose=EXPIRING-1'), 200);
      server.clock.advance(120_000);
      try {
        await expectProblem(await read(license.identifier, 'purpose=EXPIRING-1'), 403, 'CONSENT_REQUIRED');
      } finally {
        server.clock.reset();
      }
      assert.ok(Date.parse(short.validUntil) > Date.now());
      await expectProblem(await grant({ license: license.identifier, validUntil: new Date(Date.now() - 1000).toISOString() }), 422, 'VALIDATION_FAILED');
    });

    it('gives a field-limited consent a platform-signed extract of those fields only, and no PDF', async () => {
      const business = await issueLicense(server, 'market-office', requestFor(TYPES.business, { name: '演示市示例科技有限公司', code: demoHolder(server) }));
      await expectJson(await grant({ license: business.identifier, purposeCode: LIMITED_PURPOSE.code, purposeName: LIMITED_PURPOSE.name, fields: ['名称', '成立日期'], validUntil: inAnHour() }), 201);
      const body = await expectJson<Record<string, unknown>>(await read(business.identifier, `purpose=${LIMITED_PURPOSE.code}`), 200);
      assert.equal(body.credential, undefined);
      assert.equal(body.signedJson, undefined);
      assert.equal(typeof body.extract, 'string');

      const pem = await (await server.fetch('/.well-known/elicense/certificates.pem')).text();
      const platformSection = pem.split(/^# /m).find((section) => section.startsWith('platform '));
      assert.ok(platformSection, 'certificates.pem has the platform certificate');
      const key = await importX509(toPem('CERTIFICATE', parsePem(platformSection)[0]!.der), 'ES256');
      const { payload, protectedHeader } = await compactVerify(body.extract as string, key);
      assert.equal(protectedHeader.typ, 'vc+jwt');
      const extract = JSON.parse(Buffer.from(payload).toString('utf8')) as { credentialSubject: { certificateIdentifier: string; fields: Record<string, unknown> }; evidence: { purposeCode: string }[] };
      assert.deepEqual(Object.keys(extract.credentialSubject.fields).sort(), ['名称', '成立日期'].sort());
      assert.equal(extract.credentialSubject.certificateIdentifier, business.identifier);
      assert.equal(extract.evidence[0]!.purposeCode, LIMITED_PURPOSE.code);

      await expectProblem(await read(business.identifier, `purpose=${LIMITED_PURPOSE.code}&format=pdf`), 403, 'CONSENT_REQUIRED');
      await expectProblem(await read(business.identifier, `purpose=${LIMITED_PURPOSE.code}&format=annotated`), 403, 'CONSENT_REQUIRED');
      // The demo consent grants the whole 营业执照 for its own purpose: that one still reads everything.
      const whole = await expectJson<Record<string, unknown>>(await read(business.identifier, `purpose=${DEMO_PURPOSE.code}`), 200);
      assert.equal(typeof whole.signedJson, 'string');
      assert.equal(whole.extract, undefined);
    });

    it('refuses reads once the holder withdraws the consent', async () => {
      const withdrawn = await expectJson<Consent>(await call(server, `/v1/consents/${consent.id}`, { method: 'DELETE', token: await server.token('holder-agent') }), 200);
      assert.ok(withdrawn.withdrawnAt);
      await expectProblem(await read(license.identifier, `purpose=${PURPOSE.code}`), 403, 'CONSENT_REQUIRED');
      await expectProblem(await read(license.identifier, `purpose=${PURPOSE.code}&format=annotated`), 403, 'CONSENT_REQUIRED');
      await expectProblem(await call(server, `/v1/consents/${consent.id}`, { method: 'DELETE', token: await server.token('holder-agent') }), 404, 'NOT_FOUND');
      const listed = await expectJson<{ consents: Consent[] }>(await call(server, '/v1/consents', { token: await server.token('holder-agent') }), 200);
      assert.ok(listed.consents.find((c) => c.id === consent.id)?.withdrawnAt);
    });

    it('shows the holder who read its licenses, in which form and for which purpose', async () => {
      const { reads } = await expectJson<{ reads: { reader: string; license: string; purposeCode: string; purposeName: string; format: string }[] }>(
        await call(server, '/v1/holder/reads', { token: await server.token('holder-agent') }), 200);
      const mine = reads.filter((r) => r.license === license.identifier && r.purposeCode === PURPOSE.code);
      assert.ok(mine.every((r) => r.reader === 'approval-system' && r.purposeName === PURPOSE.name));
      assert.deepEqual(new Set(mine.map((r) => r.format)), new Set(['json', 'pdf', 'annotated', 'search']));
      assert.ok(reads.some((r) => r.purposeCode === 'EXPIRING-1'));
      // Refused reads are not reads.
      assert.ok(!reads.some((r) => r.purposeCode === DEMO_PURPOSE.code && r.license === license.identifier));
      await expectProblem(await call(server, '/v1/holder/reads', { token: await server.token('approval-system') }), 403, 'SCOPE_MISSING');
    });

    it('keeps the audit chain intact, and finds the one entry tampered with', async () => {
      const verify = async () => expectJson<{ valid: boolean; entries: number; brokenAt?: number }>(await call(server, '/v1/admin/audit/verify', { token: await server.token('admin') }), 200);
      const intact = await verify();
      assert.equal(intact.valid, true);
      const reads = await server.ctx.db.selectFrom('audit_log').select(['seq', 'details']).where('action', '=', 'license.read').where('license', '=', license.identifier).orderBy('seq').execute();
      assert.ok(intact.entries >= reads.length + 10, `entries ${intact.entries}`);
      const target = reads[1]!;
      await server.ctx.db.updateTable('audit_log').set({ details: target.details.replace('"format":"', '"format":"x') }).where('seq', '=', target.seq).execute();
      const broken = await verify();
      assert.equal(broken.valid, false);
      assert.equal(broken.brokenAt, target.seq);
    });
  });
}
