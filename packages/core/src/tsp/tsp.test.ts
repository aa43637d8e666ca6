import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toHex, utf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { toPem } from '../crypto/pem.js';
import { exportPrivateKeyPem } from '../crypto/pkcs8.js';
import { createSigner, type Signer } from '../crypto/signer.js';
import { generateSigningKey, type SoftwareSigningKey } from '../crypto/signing-key.js';
import { parseCertificate } from '../pki/certificate.js';
import { validateCertificatePath } from '../pki/path.js';
import { buildTestChain, TEST_TIMES, type TestChain } from '../pki/testing.js';
import type { Check } from '../verify/report.js';
import { computeDigest } from '../cms/digest-algorithms.js';
import { CMS_OID } from '../cms/oids.js';
import { prepareCmsSignature } from '../cms/prepare-signature.js';
import { messageImprint } from './request.js';
import { encodeTstInfo } from './tst-info.js';
import {
  createTimeStampAuthority,
  createTimeStampRequest,
  createTimeStampingCertificate,
  parseTimeStampRequest,
  parseTimeStampResponse,
  verifyTimeStampToken,
} from './index.js';

const run = promisify(execFile);
const POLICY = '1.2.156.3005.2.99.1';
const DATA = utf8('signature value to be time-stamped');
const GEN_TIME = new Date('2026-06-01T08:30:15.250Z');

interface Tsa {
  readonly chain: TestChain;
  readonly key: SoftwareSigningKey;
  readonly certificate: Uint8Array;
  readonly signer: Signer;
}

async function tsaFor(alg: SignatureAlgorithm): Promise<Tsa> {
  const chain = await buildTestChain({ root: alg, ca: alg, leaf: alg });
  const key = await generateSigningKey(alg);
  const certificate = await createTimeStampingCertificate({
    issuerCertificate: chain.ca,
    issuerKey: chain.caKey,
    subjectPublicKey: key.publicKey,
    subject: { commonName: `eLicense Test TSA (${alg})`, organizationName: '电子证照测试时间戳' },
    notBefore: TEST_TIMES.notBefore,
    notAfter: TEST_TIMES.notAfter,
  });
  return { chain, key, certificate, signer: createSigner(key, [certificate, chain.ca]) };
}

const byId = (checks: readonly Check[]): Record<string, Check> => Object.fromEntries(checks.map((c) => [c.id, c]));

async function withTemp<T>(body: (path: (name: string) => string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'elicense-tsp-'));
  try {
    return await body((name) => join(dir, name));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the TSA certificate profile has exactly id-kp-timeStamping, critical', async () => {
  const { certificate } = await tsaFor('ES256');
  const info = parseCertificate(certificate);
  assert.deepEqual(info.extKeyUsage, ['1.3.6.1.5.5.7.3.8']);
  assert.ok(info.criticalExtensions.includes('2.5.29.37'));
  const text = await withTemp(async (path) => {
    await writeFile(path('tsa.pem'), toPem('CERTIFICATE', certificate));
    return (await run('openssl', ['x509', '-in', path('tsa.pem'), '-noout', '-ext', 'extendedKeyUsage'])).stdout;
  });
  assert.match(text, /Extended Key Usage: critical\n\s+Time Stamping/);
});

test('ES256 and SM2 authorities grant tokens our verifier accepts: imprint, nonce, accuracy, policy, ESS v2', async () => {
  for (const alg of ['ES256', 'SM2SM3'] as const) {
    const tsa = await tsaFor(alg);
    let serial = 41n;
    const authority = createTimeStampAuthority({ signer: tsa.signer, policy: POLICY, now: () => GEN_TIME, serialNumbers: () => ++serial });
    for (const hashAlgorithm of ['SHA-256', 'SM3'] as const) {
      const digest = await computeDigest(hashAlgorithm, DATA);
      const request = createTimeStampRequest({ digest, hashAlgorithm, nonce: 0x1234_5678_9abc_def0n, certReq: true });
      const response = parseTimeStampResponse(await authority.respond(request));
      assert.equal(response.status, 'granted', response.statusStrings.join());
      const verification = await verifyTimeStampToken(response.token!, { data: DATA });
      for (const check of verification.checks) assert.equal(check.indication, 'TOTAL_PASSED', `${alg}/${hashAlgorithm} ${check.id}: ${check.message}`);
      assert.equal(verification.valid, true);
      assert.deepEqual(verification.checks.map((c) => c.id), [
        'tsp.message-imprint', 'tsp.signer-certificate', 'tsp.algorithms', 'tsp.signed-attributes', 'tsp.message-digest', 'tsp.signature', 'tsp.signing-certificate', 'tsp.tsa-certificate',
      ]);
      assert.equal(verification.genTime.toISOString(), GEN_TIME.toISOString());
      assert.equal(verification.policy, POLICY);
      assert.equal(verification.nonce, '123456789abcdef0');
      assert.equal(verification.hashAlgorithm, hashAlgorithm);
      assert.deepEqual(verification.accuracy, { seconds: 1 });
      assert.deepEqual(verification.tsaCertificate, tsa.certificate);
      assert.equal(verification.certificates.length, 2);
      // What the caller does next: path validation at genTime from the returned certificates.
      const path = await validateCertificatePath({
        leaf: verification.tsaCertificate!, intermediates: verification.certificates, trustAnchors: [tsa.chain.root], at: verification.genTime, revocation: 'skip',
      });
      assert.equal(path.status, 'valid');
    }
    assert.equal(serial, 43n, 'one serial number per token');
  }
});

test('a token for other data, or a digest under another algorithm, fails the imprint check', async () => {
  const tsa = await tsaFor('ES256');
  const authority = createTimeStampAuthority({ signer: tsa.signer, policy: POLICY });
  const digest = await computeDigest('SHA-256', DATA);
  const token = parseTimeStampResponse(await authority.respond(createTimeStampRequest({ digest, hashAlgorithm: 'SHA-256', certReq: true }))).token!;
  assert.equal(byId((await verifyTimeStampToken(token, { data: utf8('other') })).checks)['tsp.message-imprint']!.subIndication, 'HASH_FAILURE');
  assert.equal((await verifyTimeStampToken(token, { digest })).valid, true);
  assert.equal((await verifyTimeStampToken(token, { digest, hashAlgorithm: 'SM3' })).valid, false);
  const tampered = token.slice();
  const at = toHex(tampered).indexOf(toHex(digest)) / 2;
  tampered[at]! ^= 1;
  const checks = byId((await verifyTimeStampToken(tampered, { digest })).checks);
  assert.equal(checks['tsp.message-imprint']!.indication, 'TOTAL_FAILED');
  assert.equal(checks['tsp.message-digest']!.subIndication, 'HASH_FAILURE', 'the TSTInfo is covered by the signature');
});

test('without certReq the token embeds no certificate; the caller supplies the TSA certificate', async () => {
  const tsa = await tsaFor('ES256');
  const authority = createTimeStampAuthority({ signer: tsa.signer, policy: POLICY });
  const digest = await computeDigest('SHA-256', DATA);
  const token = parseTimeStampResponse(await authority.respond(createTimeStampRequest({ digest, hashAlgorithm: 'SHA-256' }))).token!;
  const bare = await verifyTimeStampToken(token, { digest });
  assert.equal(bare.certificates.length, 0);
  assert.equal(bare.valid, false);
  assert.equal(byId(bare.checks)['tsp.signer-certificate']!.subIndication, 'NO_SIGNING_CERTIFICATE_FOUND');
  assert.equal((await verifyTimeStampToken(token, { digest }, { certificates: [tsa.certificate] })).valid, true);
});

test('bad requests get rejection responses with the right PKIFailureInfo', async () => {
  const tsa = await tsaFor('ES256');
  const authority = createTimeStampAuthority({ signer: tsa.signer, policy: POLICY });
  const rejected = async (request: Uint8Array) => {
    const response = parseTimeStampResponse(await authority.respond(request));
    assert.equal(response.status, 'rejection');
    assert.equal(response.token, undefined);
    return response.failInfo;
  };
  const sha1 = await computeDigest('SHA-1', DATA);
  assert.deepEqual(await rejected(createTimeStampRequest({ digest: sha1, hashAlgorithm: 'SHA-1' })), ['badAlg']);
  assert.deepEqual(await rejected(utf8('not DER at all')), ['badDataFormat']);
  assert.deepEqual(await rejected(new Uint8Array(64 * 1024)), ['badDataFormat']);
  const digest = await computeDigest('SHA-256', DATA);
  assert.deepEqual(await rejected(createTimeStampRequest({ digest, hashAlgorithm: 'SHA-256', policy: '1.2.3.4' })), ['unacceptedPolicy']);
  const valid = createTimeStampRequest({ digest, hashAlgorithm: 'SHA-256' });
  const version2 = valid.slice();
  version2[4] = 2;
  assert.deepEqual(await rejected(version2), ['badRequest']);
  const unknownHash = valid.slice();
  unknownHash[toHex(unknownHash).indexOf('608648016503040201') / 2 + 8] = 0x7f;
  assert.deepEqual(await rejected(unknownHash), ['badAlg']);
  assert.equal(parseTimeStampRequest(valid).certReq, false);
});

test('an authority refuses a signer whose certificate is not a time-stamping certificate', async () => {
  const chain = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  assert.throws(
    () => createTimeStampAuthority({ signer: createSigner(chain.leafKey, [chain.leaf]), policy: POLICY }),
    (e) => isElicenseError(e, 'ERR_INVALID_INPUT'),
  );
  const tsa = await tsaFor('ES256');
  assert.throws(() => createTimeStampAuthority({ signer: createSigner(chain.leafKey, [tsa.certificate]), policy: POLICY }), (e) => isElicenseError(e, 'ERR_KEY_INVALID'));
  assert.throws(() => createTimeStampAuthority({ signer: tsa.signer, policy: 'not-an-oid' }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
});

test('malformed tokens and responses are ElicenseErrors', async () => {
  for (const bad of [new Uint8Array(0), utf8('garbage'), Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00)]) {
    await assert.rejects(verifyTimeStampToken(bad, { data: DATA }), (e) => isElicenseError(e));
    assert.throws(() => parseTimeStampResponse(bad), (e) => isElicenseError(e));
  }
});

test('OpenSSL talks to our authority: openssl ts -query, our respond(), openssl ts -verify with the chain', async () => {
  const tsa = await tsaFor('ES256');
  const authority = createTimeStampAuthority({ signer: tsa.signer, policy: POLICY });
  await withTemp(async (path) => {
    await writeFile(path('data'), DATA);
    await writeFile(path('root.pem'), toPem('CERTIFICATE', tsa.chain.root));
    await writeFile(path('untrusted.pem'), toPem('CERTIFICATE', tsa.certificate) + toPem('CERTIFICATE', tsa.chain.ca));
    await run('openssl', ['ts', '-query', '-data', path('data'), '-sha256', '-cert', '-out', path('q.tsq')]);
    await writeFile(path('r.tsr'), await authority.respond(new Uint8Array(await readFile(path('q.tsq')))));
    const verify = ['ts', '-verify', '-in', path('r.tsr'), '-CAfile', path('root.pem'), '-untrusted', path('untrusted.pem')];
    const ok = await run('openssl', [...verify, '-data', path('data')]);
    assert.match(ok.stdout, /Verification: OK/);
    const asQuery = await run('openssl', [...verify, '-queryfile', path('q.tsq')]);
    assert.match(asQuery.stdout, /Verification: OK/, 'the nonce and imprint match the query');
    await writeFile(path('other'), utf8('other'));
    await assert.rejects(run('openssl', [...verify, '-data', path('other')]));
    const text = await run('openssl', ['ts', '-reply', '-in', path('r.tsr'), '-text']);
    assert.match(text.stdout, /Status: Granted/);
    assert.match(text.stdout, new RegExp(`Policy OID: ${POLICY.replace(/\./g, '\\.')}`));

    await run('openssl', ['ts', '-query', '-data', path('data'), '-sha1', '-out', path('sha1.tsq')]);
    await writeFile(path('sha1.tsr'), await authority.respond(new Uint8Array(await readFile(path('sha1.tsq')))));
    const rejection = await run('openssl', ['ts', '-reply', '-in', path('sha1.tsr'), '-text']);
    assert.match(rejection.stdout, /Status: Rejected/);
    assert.match(rejection.stdout, /unrecognized or unsupported algorithm/);
  });
});

test('our verifier accepts tokens made by openssl ts -reply (ESS v1 with SHA-1, and v2 with SHA-256)', async () => {
  const tsa = await tsaFor('ES256');
  await withTemp(async (path) => {
    await writeFile(path('data'), DATA);
    await writeFile(path('tsa.key'), await exportPrivateKeyPem(tsa.key));
    await writeFile(path('tsa.pem'), toPem('CERTIFICATE', tsa.certificate));
    await writeFile(path('chain.pem'), toPem('CERTIFICATE', tsa.chain.ca));
    await writeFile(path('serial'), '01\n');
    for (const essAlg of ['sha1', 'sha256']) {
      await writeFile(path('tsa.cnf'), opensslTsaConfig(path('serial'), essAlg));
      await run('openssl', ['ts', '-query', '-data', path('data'), '-sha256', '-cert', '-out', path('q.tsq')]);
      await run('openssl', ['ts', '-reply', '-config', path('tsa.cnf'), '-queryfile', path('q.tsq'), '-inkey', path('tsa.key'), '-signer', path('tsa.pem'), '-chain', path('chain.pem'), '-out', path('r.tsr')]);
      const response = parseTimeStampResponse(new Uint8Array(await readFile(path('r.tsr'))));
      assert.equal(response.status, 'granted');
      const verification = await verifyTimeStampToken(response.token!, { data: DATA });
      for (const check of verification.checks) assert.equal(check.indication, 'TOTAL_PASSED', `${essAlg} ${check.id}: ${check.message}`);
      assert.equal(verification.policy, '1.2.3.4.1');
      assert.deepEqual(verification.accuracy, { seconds: 1, millis: 500, micros: 100 });
      assert.match(byId(verification.checks)['tsp.signing-certificate']!.message, essAlg === 'sha1' ? /SHA-1/ : /SHA-256/);
      assert.match(verification.nonce ?? '', /^[0-9a-f]+$/);
    }
  });
});

function opensslTsaConfig(serialFile: string, essAlg: string): string {
  return `[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ${serialFile}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = ${essAlg}
`;
}

test('a token signed with a certificate that is not a time-stamping certificate fails tsp.tsa-certificate', async () => {
  const chain = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const digest = await computeDigest('SHA-256', DATA);
  const tstInfo = encodeTstInfo({ policy: POLICY, messageImprint: messageImprint('SHA-256', digest), serialNumber: Uint8Array.of(2, 1, 5), genTime: GEN_TIME });
  const prepared = await prepareCmsSignature({ certificates: [chain.leaf, chain.ca], alg: 'ES256', content: tstInfo, contentType: CMS_OID.tstInfo, encapsulateContent: true });
  const token = prepared.complete(await chain.leafKey.sign(prepared.signedAttributes));
  const verification = await verifyTimeStampToken(token, { digest });
  const checks = byId(verification.checks);
  assert.equal(checks['tsp.signature']!.indication, 'TOTAL_PASSED');
  assert.equal(checks['tsp.tsa-certificate']!.subIndication, 'CHAIN_CONSTRAINTS_FAILURE');
  assert.equal(verification.valid, false);
});
