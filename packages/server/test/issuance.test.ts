/** POST /v1/licenses: issuing, reading back, verifying, validation, authorisation and idempotency. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  defaultLicenseTypeRegistry,
  DOMESTIC_JWS_ALGORITHMS,
  parsePem,
  validateIdentifier,
  verifyDocument,
  verifyTrustList,
} from '@elicense/core';
import { issueLicense, newHolder, pdfOf, readAsOffice, requestFor, TYPES, verifyOnServer } from '../test-support/licenses.js';
import { call, DATABASES, expectJson, expectProblem, startTestServer, TEST_PUBLIC_URL, type TestServer } from '../test-support/test-server.js';

/** The certificates.pem entries, each after its `# role owner id` line. */
function certificatesByRole(pem: string): Map<string, Uint8Array[]> {
  const byRole = new Map<string, Uint8Array[]>();
  for (const section of pem.split(/^# /m).filter(Boolean)) {
    const role = section.slice(0, section.indexOf(' '));
    byRole.set(role, [...(byRole.get(role) ?? []), ...parsePem(section).map((block) => block.der)]);
  }
  return byRole;
}

for (const database of DATABASES) {
  describe(`issuance (${database})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer({ database }); });
    after(() => server?.close());

    it('issues a 营业执照 as the market office, with a valid identifier, and gives it back as JSON and as a PDF that verifies', async () => {
      const holder = newHolder('签发');
      const res = await call(server, '/v1/licenses', { token: await server.token('market-office'), json: requestFor(TYPES.business, holder) });
      const issued = await expectJson<{ identifier: string; state: string; version: number; holderCode: string; links: Record<string, string> }>(res, 201);
      assert.equal(res.headers.get('location'), `${TEST_PUBLIC_URL}/v1/licenses/${encodeURIComponent(issued.identifier)}`);
      assert.deepEqual(validateIdentifier(issued.identifier).filter((f) => f.level === 'error'), []);
      assert.match(issued.identifier, new RegExp(`^1\\.2\\.156\\.3005\\.2\\.${TYPES.business}\\.11990100MB12345620\\.\\d{10}\\.001\\.[0-9A-Z]$`));
      assert.equal(issued.state, 'valid');
      assert.equal(issued.version, 1);
      assert.equal(issued.holderCode, holder.code);

      const json = await readAsOffice(server, 'market-office', issued.identifier);
      assert.equal(typeof json.signedJson, 'string');
      const subject = json.credential.credentialSubject as Record<string, unknown>;
      assert.equal(subject.certificateIdentifier, issued.identifier);
      assert.equal(subject.certificateHolderCode, holder.code);

      const jsonReport = await verifyOnServer(server, json.signedJson, 'application/jose');
      assert.equal(jsonReport.indication, 'TOTAL_PASSED', JSON.stringify(jsonReport.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));

      const pdf = await pdfOf(await call(server, `/v1/licenses/${encodeURIComponent(issued.identifier)}?format=pdf`, { token: await server.token('market-office') }));
      const viaAccept = await pdfOf(await call(server, `/v1/licenses/${encodeURIComponent(issued.identifier)}`, { token: await server.token('market-office'), headers: { accept: 'application/pdf' } }));
      assert.deepEqual(viaAccept, pdf);
      const report = await verifyOnServer(server, pdf, 'application/pdf');
      assert.equal(report.indication, 'TOTAL_PASSED', JSON.stringify(report.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
      assert.equal(report.valid, true);
      assert.equal(report.license?.identifier, issued.identifier);

      // The same PDF verified by core here, trusting only what the server publishes: trust list, CRLs, status lists.
      const pem = await (await server.fetch('/.well-known/elicense/certificates.pem')).text();
      const operator = certificatesByRole(pem).get('trust-list-operator');
      assert.ok(operator?.length, 'certificates.pem names the trust-list operator');
      const trustList = await verifyTrustList(await (await server.fetch('/.well-known/elicense/trust-list.json')).text(), { at: new Date(), operatorCertificates: operator });
      const crlsRes = await server.fetch('/.well-known/elicense/crls.pem');
      assert.equal(crlsRes.status, 200);
      const crls = parsePem(await crlsRes.text()).filter((b) => b.label === 'X509 CRL').map((b) => b.der);
      assert.ok(crls.length > 0, 'crls.pem has the CAs\' CRLs');
      const resolved: string[] = [];
      const local = await verifyDocument(pdf, {
        at: new Date(),
        trust: { list: trustList },
        crls,
        status: async (url) => {
          resolved.push(url);
          const list = await server.fetch(url);
          return list.ok ? list.text() : undefined;
        },
        algorithms: DOMESTIC_JWS_ALGORITHMS,
        registry: defaultLicenseTypeRegistry,
      });
      assert.equal(local.indication, 'TOTAL_PASSED', JSON.stringify(local.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
      assert.ok(resolved.some((url) => url.startsWith(`${TEST_PUBLIC_URL}/status/${TYPES.business}/revocation/`)), `status lists looked up: ${resolved.join(', ')}`);
    });

    it('answers a schema violation with 422 and errors naming each bad field', async () => {
      const token = await server.token('market-office');
      const badField = requestFor(TYPES.business, newHolder());
      const { 经营范围: _scope, ...withoutScope } = badField.fields;
      const missing = await expectProblem(await call(server, '/v1/licenses', { token, json: { ...badField, fields: { ...withoutScope, 成立日期: 'yesterday' } } }), 422, 'VALIDATION_FAILED');
      const fields = (missing.errors ?? []).map((e) => e.field);
      assert.ok(fields.some((f) => f.includes('成立日期')), `errors: ${JSON.stringify(missing.errors)}`);
      assert.ok(fields.some((f) => f.includes('经营范围')), `errors: ${JSON.stringify(missing.errors)}`);
      assert.ok(fields.every((f) => f.startsWith('fields.')), `errors: ${JSON.stringify(missing.errors)}`);

      const envelope = await expectProblem(await call(server, '/v1/licenses', { token, json: { ...badField, holder: { name: 'x' }, areaCode: '11', extra: 1 } }), 422, 'VALIDATION_FAILED');
      assert.deepEqual((envelope.errors ?? []).map((e) => e.field).sort(), ['areaCode', 'extra', 'holder.code']);
      const date = await expectProblem(await call(server, '/v1/licenses', { token, json: { ...badField, validUntil: '2030-13-45' } }), 422, 'VALIDATION_FAILED');
      assert.deepEqual(date.errors?.map((e) => e.field), ['validUntil']);

      const unknownType = await expectProblem(await call(server, '/v1/licenses', { token, json: { ...badField, typeCode: '11100000MB0143028R999' } }), 422, 'VALIDATION_FAILED');
      assert.deepEqual(unknownType.errors?.map((e) => e.field), ['typeCode']);
    });

    it('refuses a type the office is not authorised for with 403 LICENSE_TYPE_NOT_AUTHORIZED', async () => {
      const res = await call(server, '/v1/licenses', { token: await server.token('market-office'), json: requestFor(TYPES.safety, newHolder()) });
      await expectProblem(res, 403, 'LICENSE_TYPE_NOT_AUTHORIZED');
      const approval = await call(server, '/v1/licenses', { token: await server.token('approval-system'), json: requestFor(TYPES.business, newHolder()) });
      await expectProblem(approval, 403, 'SCOPE_MISSING');
    });

    it('replays a retried request with the same Idempotency-Key, and refuses the key with another body', async () => {
      const token = await server.token('market-office');
      const holder = newHolder('幂等');
      const request = requestFor(TYPES.food, holder);
      const key = `retry-${holder.code}`;
      const first = await call(server, '/v1/licenses', { token, json: request, headers: { 'idempotency-key': key } });
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const issued = await expectJson<{ identifier: string }>(first, 201);
      const second = await call(server, '/v1/licenses', { token, json: request, headers: { 'idempotency-key': key } });
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
      const replayed = await expectJson<{ identifier: string }>(second, 201);
      assert.deepEqual(replayed, issued);
      const rows = await server.ctx.db.selectFrom('licenses').select('identifier').where('holder_code', '=', holder.code).execute();
      assert.deepEqual(rows.map((r) => r.identifier), [issued.identifier]);

      const other = await call(server, '/v1/licenses', { token, json: { ...request, holder: { ...holder, name: `${holder.name}分公司` } }, headers: { 'idempotency-key': key } });
      await expectProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');

      // Keys belong to a client: the other office's request with the same key is its own.
      const housing = await issueLicense(server, 'housing-office', requestFor(TYPES.safety, holder));
      const housingKeyed = await call(server, '/v1/licenses', { token: await server.token('housing-office'), json: requestFor(TYPES.operator), headers: { 'idempotency-key': key } });
      const housingIssued = await expectJson<{ identifier: string }>(housingKeyed, 201);
      assert.notEqual(housingIssued.identifier, issued.identifier);
      assert.notEqual(housingIssued.identifier, housing.identifier);
    });
  });
}
