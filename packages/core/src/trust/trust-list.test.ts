import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64url, fromBase64url, fromUtf8, utf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import { createSigner } from '../crypto/signer.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { createRootCa } from '../pki/ca.js';
import { readTrustListContent, trustListContentToJson, type TrustListContent } from './trust-list.js';
import { signTrustList } from './sign-trust-list.js';
import { verifyTrustList, verifyTrustListTrustingEmbeddedOperator } from './verify-trust-list.js';

const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2030-01-01T00:00:00Z');

async function operator(name: string) {
  const key = await generateSigningKey('ES256');
  const cert = await createRootCa({ key, subject: { commonName: name, country: 'CN' }, notBefore, notAfter });
  return createSigner(key, [cert]);
}

function content(issuerCert: Uint8Array): TrustListContent {
  return {
    sequence: 7,
    issued: '2026-05-01T00:00:00Z',
    nextUpdate: '2026-12-01T00:00:00Z',
    operator: { name: '演示省电子证照共享平台', code: '11990000MB3456783T' },
    issuers: [{ name: '吉林省住房和城乡建设厅', code: '11220000013544541J', certificates: [issuerCert], licenseTypes: ['11100000000013338W032'] }],
    statusIssuers: [],
  };
}

test('a signed trust list verifies against its pinned operator and reads back what was signed', async () => {
  const op = await operator('operator');
  const signed = await signTrustList(content(op.certificates[0]!), op);
  const list = await verifyTrustList(signed, { at: new Date('2026-06-01T00:00:00Z'), operatorCertificates: [op.certificates[0]!] });
  assert.equal(list.pinned, true);
  assert.equal(list.stale, false);
  assert.equal(list.content.sequence, 7);
  assert.equal(list.content.issuers[0]!.name, '吉林省住房和城乡建设厅');
  assert.deepEqual(list.content.issuers[0]!.licenseTypes, ['11100000000013338W032']);
  assert.match(list.sha256, /^[0-9a-f]{64}$/);
  const late = await verifyTrustList(signed, { at: new Date('2026-12-02T00:00:00Z'), operatorCertificates: [op.certificates[0]!] });
  assert.equal(late.stale, true);
  const unpinned = await verifyTrustListTrustingEmbeddedOperator(signed, { at: new Date('2026-06-01T00:00:00Z') });
  assert.equal(unpinned.pinned, false);
});

test('another operator, a changed payload or a changed signature is refused', async () => {
  const op = await operator('operator');
  const other = await operator('other');
  const signed = await signTrustList(content(op.certificates[0]!), op);
  const at = new Date('2026-06-01T00:00:00Z');
  await assert.rejects(verifyTrustList(signed, { at, operatorCertificates: [other.certificates[0]!] }), (e) => isElicenseError(e, 'ERR_TRUST_LIST_INVALID'));
  const doc = JSON.parse(signed) as { payload: string; protected: string; signature: string };
  const payload = JSON.parse(fromUtf8(fromBase64url(doc.payload))) as { issuers: { licenseTypes: string[] }[] };
  payload.issuers[0]!.licenseTypes.push('11100000MB0143028R001');
  const widened = JSON.stringify({ ...doc, payload: base64url(utf8(JSON.stringify(payload))) });
  await assert.rejects(verifyTrustList(widened, { at, operatorCertificates: [op.certificates[0]!] }), (e) => isElicenseError(e, 'ERR_TRUST_LIST_INVALID'));
  await assert.rejects(verifyTrustListTrustingEmbeddedOperator(widened, { at }), (e) => isElicenseError(e, 'ERR_TRUST_LIST_INVALID'));
  await assert.rejects(verifyTrustListTrustingEmbeddedOperator('not json at all', { at }), (e) => isElicenseError(e, 'ERR_TRUST_LIST_INVALID'));
});

test('malformed content names the member that is wrong', () => {
  const good = trustListContentToJson(content(new Uint8Array([0x30, 0])));
  const cases: [Record<string, unknown>, string][] = [
    [{ ...good, sequence: 0 }, 'sequence'],
    [{ ...good, nextUpdate: 'tomorrow' }, 'nextUpdate'],
    [{ ...good, nextUpdate: '2020-01-01T00:00:00Z' }, 'nextUpdate'],
    [{ ...good, issuers: [{ name: 'x', code: 'y', certificates: ['MAA='], licenseTypes: ['short'] }] }, 'issuers[0].licenseTypes'],
    [{ ...good, issuers: [{ name: 'x', code: 'y', certificates: [], licenseTypes: [] }] }, 'issuers[0].certificates'],
    [{ ...good, type: 'Other' }, 'type'],
  ];
  for (const [value, field] of cases) {
    assert.throws(() => readTrustListContent(value), (e) => isElicenseError(e, 'ERR_TRUST_LIST_INVALID') && e.field === field, field);
  }
});
