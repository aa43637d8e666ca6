import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createIssuerCertificate,
  generateSigningKey,
  isElicenseError,
  rawSignatureToDer,
  signLicenseCompact,
  toPem,
  utf8,
  verifyDocument,
  verifySignature,
  verifyTrustListTrustingEmbeddedOperator,
} from '@elicense/core';
import {
  createDemoCrls,
  createDemoLicense,
  createDemoPki,
  createDemoStatusLists,
  createDemoTrustList,
  demoOffices,
  demoTimesAround,
  demoTypes,
  type DemoPki,
} from '@elicense/platform/demo';
import { type PrivateKey, ObjectClass } from 'graphene-pk11';
import { DEFAULT_PKCS11_MODULE, generatePkcs11Key, openPkcs11Signer } from './pkcs11-signer.js';
import { openPkcs11Session, pkcs11ErrorCode } from './pkcs11-token.js';

if (!existsSync(DEFAULT_PKCS11_MODULE) || spawnSync('softhsm2-util', ['--version']).error) {
  throw new Error(`SoftHSM2 is needed for the PKCS#11 tests (${DEFAULT_PKCS11_MODULE} and softhsm2-util): apt-get install softhsm2`);
}

// A token of its own for this run. SoftHSM2 reads SOFTHSM2_CONF when the module is initialised, which
// happens at the first session, after this.
const workDir = mkdtempSync(join(tmpdir(), 'elicense-softhsm-'));
mkdirSync(join(workDir, 'tokens'));
writeFileSync(join(workDir, 'softhsm2.conf'), `directories.tokendir = ${join(workDir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
process.env.SOFTHSM2_CONF = join(workDir, 'softhsm2.conf');

const TOKEN = `elicense-test-${process.pid}`;
const PIN = '417093';
const WRONG_PIN = '582604';
execFileSync('softhsm2-util', ['--init-token', '--free', '--label', TOKEN, '--pin', PIN, '--so-pin', '906152'], { stdio: 'pipe' });
const token = { tokenLabel: TOKEN, pin: PIN };

const now = new Date();
const times = demoTimesAround(now);
const types = demoTypes();
const offices = demoOffices(types);
const office = offices[1];

let pki: DemoPki;
let publicKey: Uint8Array;
let keyId: string;
let certificates: Uint8Array[];

function opensslVerify(spki: Uint8Array, data: Uint8Array, rawSignature: Uint8Array): { status: number | null; output: string } {
  const dir = mkdtempSync(join(workDir, 'openssl-'));
  writeFileSync(join(dir, 'pub.pem'), toPem('PUBLIC KEY', spki));
  writeFileSync(join(dir, 'data'), data);
  writeFileSync(join(dir, 'sig.der'), rawSignatureToDer(rawSignature));
  const run = spawnSync('openssl', ['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.der', 'data'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

function perSignatureMs(started: number, count: number): string {
  return ((performance.now() - started) / count).toFixed(3);
}

before(async () => {
  pki = await createDemoPki(times, offices);
  ({ publicKey, keyId } = await generatePkcs11Key({ ...token, label: 'issuer-es256', alg: 'ES256' }));
  const ca = pki.get('intl-issuing-ca');
  const leaf = await createIssuerCertificate({
    issuerCertificate: ca.certificate,
    issuerKey: ca.key,
    subjectPublicKey: publicKey,
    subject: { commonName: `${office.name} 电子证照签发 HSM (TEST ONLY)`, organizationName: office.name, organizationCode: office.code, country: 'CN' },
    notBefore: times.certFrom,
    notAfter: times.certUntil,
  });
  certificates = [leaf, ca.certificate];
});

after(() => rmSync(workDir, { recursive: true, force: true }));

describe('PKCS#11 signer on SoftHSM2', () => {
  it('signs ES256 on the token; core and OpenSSL both verify', async () => {
    const { signer, close } = await openPkcs11Signer({ ...token, keyLabel: 'issuer-es256', certificates });
    try {
      assert.equal(signer.alg, 'ES256');
      assert.deepEqual(signer.publicKey, publicKey);
      assert.deepEqual(signer.certificates, certificates);
      const data = utf8('电子证照 signed in a PKCS#11 token');
      const signature = await signer.sign(data);
      assert.equal(signature.length, 64, 'JOSE form: r‖s');
      assert.equal(await verifySignature('ES256', publicKey, data, signature), true);
      assert.equal(await verifySignature('ES256', publicKey, utf8('other data'), signature), false);
      assert.deepEqual(opensslVerify(publicKey, data, signature), { status: 0, output: 'Verified OK' });
      assert.equal(opensslVerify(publicKey, utf8('other data'), signature).status, 1);
    } finally {
      close();
    }
  });

  it('signs a license that verifies against the demo trust list, CRLs and status lists', async () => {
    const { signer, close } = await openPkcs11Signer({ ...token, keyId, certificates });
    try {
      const credential = createDemoLicense({
        typeCode: types.business,
        office,
        serial: 'HSM000001',
        statusIndex: 7,
        issuedDate: now.toISOString().slice(0, 10),
        validFrom: new Date(now.getTime() - 86_400_000).toISOString(),
      });
      const jws = await signLicenseCompact(credential, signer);
      const trust = { list: await verifyTrustListTrustingEmbeddedOperator(utf8(await createDemoTrustList(pki, offices, times)), { at: now }) };
      const statusLists = await createDemoStatusLists(pki, Object.values(types), times);
      const options = { at: now, trust, crls: await createDemoCrls(pki, times), status: async (url: string) => statusLists.get(url) };
      const report = await verifyDocument(utf8(jws), options);
      assert.equal(report.valid, true, JSON.stringify(report, null, 2).slice(0, 2000));

      const [header, payload, signature] = jws.split('.') as [string, string, string];
      const altered = Buffer.from(payload, 'base64url').toString('utf8').replace('HSM000001', 'HSM000002');
      const forged = await verifyDocument(utf8(`${header}.${Buffer.from(altered).toString('base64url')}.${signature}`), options);
      assert.equal(forged.valid, false);
    } finally {
      close();
    }
  });

  it('keeps the private key sensitive and not extractable', async () => {
    const { session, close } = openPkcs11Session(token);
    try {
      const found = session.find({ class: ObjectClass.PRIVATE_KEY, label: 'issuer-es256' });
      assert.equal(found.length, 1);
      const key = found.items(0).toType<PrivateKey>();
      assert.deepEqual(key.getAttribute({ sensitive: null, extractable: null, alwaysSensitive: null, neverExtractable: null }), {
        sensitive: true,
        extractable: false,
        alwaysSensitive: true,
        neverExtractable: true,
      });
      assert.throws(() => key.getAttribute({ value: null }), (error) => pkcs11ErrorCode(error) === 'CKR_ATTRIBUTE_SENSITIVE');
    } finally {
      close();
    }
  });

  it('reports a wrong PIN clearly, without either PIN in the message', async () => {
    await assert.rejects(
      openPkcs11Signer({ ...token, pin: WRONG_PIN, keyLabel: 'issuer-es256', certificates }),
      (error) =>
        isElicenseError(error, 'ERR_KEY_DECRYPT_FAILED') &&
        error.message === `login to PKCS#11 token "${TOKEN}" failed: the PIN is incorrect (CKR_PIN_INCORRECT)` &&
        !`${error.message}${String(error.cause)}${error.stack}`.includes(WRONG_PIN) &&
        !error.message.includes(PIN),
    );
  });

  it('refuses a certificate that certifies another key', async () => {
    const ca = pki.get('intl-issuing-ca');
    const otherKey = await generateSigningKey('ES256');
    const otherLeaf = await createIssuerCertificate({
      issuerCertificate: ca.certificate,
      issuerKey: ca.key,
      subjectPublicKey: otherKey.publicKey,
      subject: { commonName: 'another key', organizationName: office.name, organizationCode: office.code, country: 'CN' },
      notBefore: times.certFrom,
      notAfter: times.certUntil,
    });
    await assert.rejects(
      openPkcs11Signer({ ...token, keyLabel: 'issuer-es256', certificates: [otherLeaf, ca.certificate] }),
      (error) => isElicenseError(error, 'ERR_KEY_INVALID') && /labelled "issuer-es256" .* does not match the public key of the leaf certificate/.test(error.message),
    );
  });

  it('names a missing key, a missing token and an unsupported algorithm', async () => {
    await assert.rejects(openPkcs11Signer({ ...token, keyLabel: 'no-such-key', certificates }), /there is no private key labelled "no-such-key" on PKCS#11 token/);
    await assert.rejects(
      openPkcs11Signer({ tokenLabel: 'no-such-token', pin: PIN, keyLabel: 'issuer-es256', certificates }),
      new RegExp(`no initialised PKCS#11 token labelled "no-such-token"; tokens present: "${TOKEN}" \\(slot \\d+\\)`),
    );
    await assert.rejects(
      openPkcs11Signer({ ...token, keyLabel: 'issuer-es256', certificates, alg: 'SM2SM3' as 'ES256' }),
      (error) => isElicenseError(error, 'ERR_ALG_UNSUPPORTED') && /SM2/.test(error.message),
    );
    await assert.rejects(openPkcs11Signer({ ...token, certificates }), /exactly one of keyLabel and keyId/);
    await assert.rejects(generatePkcs11Key({ ...token, label: 'issuer-es256', alg: 'ES256' }), /already holds an object labelled "issuer-es256"/);
  });

  it('shares the module between signers: closing one leaves the other signing', async () => {
    const first = await openPkcs11Signer({ ...token, keyLabel: 'issuer-es256', certificates });
    const second = await openPkcs11Signer({ ...token, keyId, certificates });
    first.close();
    await assert.rejects(first.signer.sign(utf8('x')), /was closed/);
    const signature = await second.signer.sign(utf8('still open'));
    assert.equal(await verifySignature('ES256', publicKey, utf8('still open'), signature), true);
    second.close();
  });

  it('serialises concurrent signatures on one session, and refuses to sign once closed', async (t) => {
    const { signer, close } = await openPkcs11Signer({ ...token, keyLabel: 'issuer-es256', certificates });
    const messages = Array.from({ length: 32 }, (_, i) => utf8(`message ${i}`));
    const signatures = await Promise.all(messages.map((m) => signer.sign(m)));
    const checks = await Promise.all(signatures.map((s, i) => verifySignature('ES256', publicKey, messages[i]!, s)));
    assert.ok(checks.every(Boolean));

    const count = 200;
    let started = performance.now();
    for (let i = 0; i < count; i++) await signer.sign(messages[i % messages.length]!);
    const hsmMs = perSignatureMs(started, count);
    const software = await generateSigningKey('ES256');
    started = performance.now();
    for (let i = 0; i < count; i++) await software.sign(messages[i % messages.length]!);
    t.diagnostic(`ES256 per signature: SoftHSM2 ${hsmMs} ms, software key ${perSignatureMs(started, count)} ms (${count} signatures each)`);

    close();
    await assert.rejects(signer.sign(messages[0]!), /was closed/);
  });
});
