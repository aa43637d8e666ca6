import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  certificateFromPem,
  decodeStatusBitstring,
  fromBase64,
  fromUtf8,
  getStatusBit,
  MIN_STATUS_LIST_BITS,
  parseJws,
  verifySignature,
} from '@elicense/core';
import { cli, repo, tempDir, usageErrorProblem } from './cli-harness.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
before(async () => {
  tmp = await tempDir();
});
after(() => tmp.remove());

// The test PKI's issuer key for 吉林省住房和城乡建设厅 (test-only) and its issuing CA.
const pki = (name: string) => join(repo, 'test-vectors/pki', name);
const SIGNER = ['--key', pki('issuer-44541j-es256.key.pem'), '--cert', pki('issuer-44541j-es256.cert.pem')];
const URL_BASE = 'https://status.example.gov.cn/11100000000013338W032';

interface StatusPayload {
  id: string;
  issuer: { id: string; name: string };
  validFrom: string;
  validUntil: string;
  credentialSubject: { statusPurpose: string; encodedList: string };
}

async function readList(path: string): Promise<{ payload: StatusPayload; header: { alg: string; x5c: string[] }; verified: boolean }> {
  const jws = parseJws(await readFile(path, 'utf8'));
  const signature = jws.signatures[0]!;
  const header = signature.protectedHeader as { alg: 'ES256'; x5c: string[] };
  const leaf = certificateFromPem(await readFile(pki('issuer-44541j-es256.cert.pem'), 'utf8'));
  const verified = await verifySignature(header.alg, leaf.publicKey, signature.signingInput, signature.signature);
  return { payload: JSON.parse(fromUtf8(jws.payload)) as StatusPayload, header, verified };
}

test('status-list create signs a revocation list with exactly the given bits set, issuer taken from the certificate', async () => {
  const out = tmp.path('revocation.jws');
  const result = await cli(['status-list', 'create', ...SIGNER, '--chain', pki('intl-issuing-ca.cert.pem'), '--url', `${URL_BASE}/revocation`, '--purpose', 'revocation', '--set', '3', '--set', String(MIN_STATUS_LIST_BITS - 1), '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`2 of ${MIN_STATUS_LIST_BITS} set`));

  const { payload, header, verified } = await readList(out);
  assert.equal(verified, true, 'the signature verifies with the issuer certificate');
  assert.equal(header.x5c.length, 2);
  assert.deepEqual(fromBase64(header.x5c[1]!), certificateFromPem(await readFile(pki('intl-issuing-ca.cert.pem'), 'utf8')).der);
  assert.equal(payload.id, `${URL_BASE}/revocation`);
  assert.deepEqual(payload.issuer, { id: 'urn:uscc:11220000013544541J', name: '吉林省住房和城乡建设厅' });
  assert.equal(payload.credentialSubject.statusPurpose, 'revocation');
  assert.equal(Date.parse(payload.validUntil) - Date.parse(payload.validFrom), 86_400_000);
  const bits = await decodeStatusBitstring(payload.credentialSubject.encodedList);
  assert.equal(bits.length * 8, MIN_STATUS_LIST_BITS);
  const set = [...Array(MIN_STATUS_LIST_BITS).keys()].filter((i) => getStatusBit(bits, i));
  assert.deepEqual(set, [3, MIN_STATUS_LIST_BITS - 1]);
});

test('a suspension list with nothing set, a longer validity and an issuer code other than the certificate warns', async () => {
  const out = tmp.path('suspension.jws');
  const result = await cli(['status-list', 'create', ...SIGNER, '--url', `${URL_BASE}/suspension`, '--purpose', 'suspension', '--valid-days', '7', '--issuer-code', '11990000MB3456783T', '--issuer-name', '演示省电子证照共享平台', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /warning: the certificate belongs to 11220000013544541J, not 11990000MB3456783T/);
  const { payload, header } = await readList(out);
  assert.equal(header.x5c.length, 1);
  assert.equal(payload.credentialSubject.statusPurpose, 'suspension');
  assert.deepEqual(payload.issuer, { id: 'urn:uscc:11990000MB3456783T', name: '演示省电子证照共享平台' });
  assert.equal(Date.parse(payload.validUntil) - Date.parse(payload.validFrom), 7 * 86_400_000);
  assert.ok((await decodeStatusBitstring(payload.credentialSubject.encodedList)).every((byte) => byte === 0));
});

test('misuse exits 2 with one line and writes nothing', async () => {
  const out = ['--out', tmp.path('never.jws')];
  for (const [args, pattern] of [
    [['status-list', 'create', ...SIGNER, '--url', `${URL_BASE}/x`, '--purpose', 'expiry', ...out], /--purpose must be revocation or suspension/],
    [['status-list', 'create', ...SIGNER, '--url', `${URL_BASE}/x`, '--purpose', 'revocation', '--set', String(MIN_STATUS_LIST_BITS), ...out], /--set must be an integer from 0 to 131071/],
    [['status-list', 'create', ...SIGNER, '--url', 'ftp://status.example/x', '--purpose', 'revocation', ...out], /--url must be an http\(s\) URL/],
    [['status-list', 'create', '--key', pki('issuer-44541j-eddsa.key.pem'), '--cert', pki('issuer-44541j-es256.cert.pem'), '--url', `${URL_BASE}/x`, '--purpose', 'revocation', ...out], /is not the key of the certificate/],
    [['status-list', 'create', ...SIGNER, '--purpose', 'revocation', ...out], /required option '--url/],
  ] as const) {
    assert.equal(usageErrorProblem(await cli(args), pattern), undefined, args.join(' '));
  }
  await assert.rejects(readFile(tmp.path('never.jws')), { code: 'ENOENT' });
});
