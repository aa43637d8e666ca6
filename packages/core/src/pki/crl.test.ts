import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isElicenseError } from '../errors.js';
import { pemBlock, toPem } from '../crypto/pem.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { createRootCa, issueCertificate } from './ca.js';
import { parseCertificate } from './certificate.js';
import { checkRevocation, createCrl, parseCrl } from './crl.js';
import { buildTestChain, TEST_TIMES } from './testing.js';

const workDir = mkdtempSync(join(tmpdir(), 'elicense-pki-crl-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

const chainPromise = buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
const { at, thisUpdate, nextUpdate } = TEST_TIMES;
const day = 24 * 3600 * 1000;

function assertThrowsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => isElicenseError(e) && e.code === code);
}

async function caCrl(options: { revoked?: Parameters<typeof createCrl>[0]['revoked']; thisUpdate?: Date; nextUpdate?: Date; crlNumber?: number | bigint } = {}) {
  const chain = await chainPromise;
  return createCrl({
    issuerCertificate: chain.ca,
    issuerKey: chain.caKey,
    thisUpdate: options.thisUpdate ?? thisUpdate,
    nextUpdate: options.nextUpdate ?? nextUpdate,
    revoked: options.revoked ?? [],
    crlNumber: options.crlNumber ?? 2,
  });
}

test('createCrl writes a v2 CRL that OpenSSL verifies and reads; parseCrl reads it back', async () => {
  const chain = await chainPromise;
  const leaf = parseCertificate(chain.leaf);
  const crl = await caCrl({
    revoked: [
      { serialNumber: leaf.serialNumber, revocationDate: new Date('2026-04-01T08:00:00Z'), reason: 'keyCompromise' },
      { serialNumber: '0a1b', revocationDate: new Date('2026-03-01T00:00:00Z') },
    ],
    crlNumber: 42,
  });
  writeFileSync(join(workDir, 'crl.pem'), toPem('X509 CRL', crl));
  writeFileSync(join(workDir, 'ca.pem'), toPem('CERTIFICATE', chain.ca));
  const verified = spawnSync('openssl', ['crl', '-in', 'crl.pem', '-CAfile', 'ca.pem', '-noout'], { cwd: workDir, encoding: 'utf8' });
  assert.equal(verified.status, 0, verified.stderr);
  assert.match(`${verified.stdout}${verified.stderr}`, /verify OK/);
  const text = execFileSync('openssl', ['crl', '-in', 'crl.pem', '-noout', '-text'], { cwd: workDir, encoding: 'utf8' });
  assert.match(text, /Version 2/);
  assert.match(text, /CRL Number:\s+42/);
  assert.match(text, /Authority Key Identifier/);
  assert.match(text, new RegExp(`Serial Number: ${leaf.serialNumber.toUpperCase()}[\\s\\S]*Key Compromise`));
  assert.match(text, /Serial Number: 0A1B/);

  const info = parseCrl(crl);
  assert.equal(info.version, 2);
  assert.equal(info.issuer, leaf.issuer);
  assert.equal(info.crlNumber, '42');
  assert.equal(info.authorityKeyIdentifier, leaf.authorityKeyIdentifier);
  assert.equal(info.signatureAlgorithm, 'ES256');
  assert.deepEqual([info.thisUpdate, info.nextUpdate], [thisUpdate, nextUpdate]);
  assert.deepEqual(
    info.revoked.map((r) => [r.serialNumber, r.revocationDate.toISOString(), r.reason]),
    [
      [leaf.serialNumber, '2026-04-01T08:00:00.000Z', 'keyCompromise'],
      ['0a1b', '2026-03-01T00:00:00.000Z', undefined],
    ],
  );
  assert.deepEqual(info.criticalExtensions, []);

  const big = parseCrl(await caCrl({ crlNumber: 2n ** 100n }));
  assert.equal(big.crlNumber, (2n ** 100n).toString());
});

test('an OpenSSL-made CRL is read and applied; one with an unknown critical extension is not used', async () => {
  const dir = mkdtempSync(join(workDir, 'openssl-ca-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
  run(['req', '-x509', '-new', '-key', 'ca.key', '-utf8', '-subj', '/C=CN/O=测试CA/CN=CA', '-days', '30', '-out', 'ca.pem']);
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ee.key']);
  run(['req', '-new', '-key', 'ee.key', '-subj', '/CN=ee', '-out', 'ee.csr']);
  run(['x509', '-req', '-in', 'ee.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x0A1B', '-days', '20', '-out', 'ee.pem']);
  run(['x509', '-req', '-in', 'ee.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x0A1C', '-days', '20', '-out', 'ee2.pem']);
  writeFileSync(join(dir, 'index.txt'), 'R\t301231000000Z\t260101000000Z,keyCompromise\t0A1B\tunknown\t/CN=ee\n');
  writeFileSync(join(dir, 'crlnumber'), '07\n');
  const config = (extra: string) =>
    `[ca]\ndefault_ca = t\n[t]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 30\ncrl_extensions = ext\n[ext]\nauthorityKeyIdentifier = keyid:always\n${extra}`;
  writeFileSync(join(dir, 'plain.cnf'), config(''));
  writeFileSync(join(dir, 'critical.cnf'), config('1.2.3.4 = critical,ASN1:NULL\n'));
  run(['ca', '-gencrl', '-config', 'plain.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'plain.crl']);
  run(['ca', '-gencrl', '-config', 'critical.cnf', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'critical.crl']);

  const read = (file: string, label: string) => pemBlock(readFileSync(join(dir, file), 'utf8'), label);
  const ca = parseCertificate(read('ca.pem', 'CERTIFICATE'));
  const revokedCert = parseCertificate(read('ee.pem', 'CERTIFICATE'));
  const goodCert = parseCertificate(read('ee2.pem', 'CERTIFICATE'));
  const plain = parseCrl(read('plain.crl', 'X509 CRL'));
  assert.equal(plain.crlNumber, '7');
  assert.equal(plain.issuer, 'CN=CA,O=测试CA,C=CN');
  // OpenSSL stamps the CRL with the real clock, so the check runs at "now" too.
  const now = new Date(plain.thisUpdate.getTime() + day);
  const revoked = await checkRevocation(revokedCert, ca, [plain], now);
  assert.equal(revoked.status, 'revoked');
  assert.equal(revoked.reason, 'keyCompromise');
  assert.deepEqual(revoked.revocationDate, new Date('2026-01-01T00:00:00Z'));
  assert.equal((await checkRevocation(goodCert, ca, [plain], now)).status, 'good');

  const critical = parseCrl(read('critical.crl', 'X509 CRL'));
  assert.ok(critical.criticalExtensions.includes('1.2.3.4'));
  assert.equal((await checkRevocation(goodCert, ca, [critical], now)).status, 'unknown');
});

test('checkRevocation: good, revoked, revoked only after `at`, and removeFromCRL', async () => {
  const chain = await chainPromise;
  const leaf = parseCertificate(chain.leaf);
  const ca = parseCertificate(chain.ca);

  const good = await checkRevocation(leaf, ca, [await caCrl()], at);
  assert.equal(good.status, 'good');
  assert.deepEqual(good.crl, { thisUpdate, nextUpdate, crlNumber: '2' });

  const revokedAt = new Date(at.getTime() - 30 * day);
  const revoked = await checkRevocation(
    leaf,
    ca,
    [await caCrl({ revoked: [{ serialNumber: leaf.serialNumber, revocationDate: revokedAt, reason: 'cessationOfOperation' }] })],
    at,
  );
  assert.equal(revoked.status, 'revoked');
  assert.equal(revoked.reason, 'cessationOfOperation');
  assert.deepEqual(revoked.revocationDate, revokedAt);

  // Revoked a day after `at`: still good at `at`, and the message gives the later date.
  const laterDate = new Date(at.getTime() + day);
  const later = await checkRevocation(
    leaf,
    ca,
    [await caCrl({ thisUpdate: new Date(at.getTime() + 2 * day), revoked: [{ serialNumber: leaf.serialNumber, revocationDate: laterDate }] })],
    at,
  );
  assert.equal(later.status, 'good');
  assert.equal(later.revocationDate, undefined);
  assert.ok(later.message.includes(laterDate.toISOString()));

  const removed = await checkRevocation(
    leaf,
    ca,
    [await caCrl({ revoked: [{ serialNumber: leaf.serialNumber, revocationDate: revokedAt, reason: 'removeFromCRL' }] })],
    at,
  );
  assert.equal(removed.status, 'good');
});

test('checkRevocation: stale CRLs cannot say good; the newest CRL decides; holds on stale CRLs prove nothing', async () => {
  const chain = await chainPromise;
  const leaf = parseCertificate(chain.leaf);
  const ca = parseCertificate(chain.ca);
  const lateAt = new Date(nextUpdate.getTime() + day);
  const entry = (reason: 'keyCompromise' | 'certificateHold') => [{ serialNumber: leaf.serialNumber, revocationDate: thisUpdate, reason }];

  const stale = await checkRevocation(leaf, ca, [await caCrl()], lateAt);
  assert.equal(stale.status, 'unknown');
  assert.deepEqual(stale.crl?.nextUpdate, nextUpdate);
  // A stale CRL still proves a revocation...
  assert.equal((await checkRevocation(leaf, ca, [await caCrl({ revoked: entry('keyCompromise') })], lateAt)).status, 'revoked');
  // ...but not a hold, which may have been released since.
  assert.equal((await checkRevocation(leaf, ca, [await caCrl({ revoked: entry('certificateHold') })], lateAt)).status, 'unknown');

  // A hold on an older CRL, released on the newer one: the newer one decides.
  const older = await caCrl({ revoked: entry('certificateHold'), crlNumber: 2 });
  const newer = await caCrl({ thisUpdate: new Date(thisUpdate.getTime() + day), crlNumber: 3 });
  const released = await checkRevocation(leaf, ca, [older, newer], at);
  assert.equal(released.status, 'good');
  assert.equal(released.crl?.crlNumber, '3');
  assert.equal((await checkRevocation(leaf, ca, [newer, older], at)).crl?.crlNumber, '3');
});

test('checkRevocation uses only CRLs of the issuer, signed with its key, from an issuer allowed to sign CRLs', async () => {
  const chain = await chainPromise;
  const leaf = parseCertificate(chain.leaf);
  const ca = parseCertificate(chain.ca);
  const listed = [{ serialNumber: leaf.serialNumber, revocationDate: thisUpdate }];

  assert.equal((await checkRevocation(leaf, ca, [], at)).status, 'unknown');
  // The root's CRL is about other certificates.
  assert.equal((await checkRevocation(leaf, ca, [chain.rootCrl], at)).status, 'unknown');

  // A signature byte flipped.
  const tampered = (await caCrl({ revoked: listed })).slice();
  tampered[tampered.length - 3]! ^= 1;
  assert.equal((await checkRevocation(leaf, ca, [tampered], at)).status, 'unknown');

  // Same issuer name, another key (an impostor CA).
  const impostorKey = await generateSigningKey('ES256');
  const impostor = await createRootCa({ key: impostorKey, subject: { commonName: 'eLicense Test Issuing CA (ES256)', organizationName: '电子证照测试签发CA' }, notBefore: TEST_TIMES.notBefore, notAfter: TEST_TIMES.notAfter });
  assert.equal(parseCertificate(impostor).subject, ca.subject);
  const forged = await createCrl({ issuerCertificate: impostor, issuerKey: impostorKey, thisUpdate, nextUpdate, revoked: [], crlNumber: 9 });
  assert.equal((await checkRevocation(leaf, ca, [forged], at)).status, 'unknown');

  // A CA whose key usage lacks cRLSign.
  const noCrlSignKey = await generateSigningKey('ES256');
  const noCrlSign = await issueCertificate({
    issuer: chain.root,
    issuerKey: chain.rootKey,
    subjectPublicKey: noCrlSignKey.publicKey,
    subject: { commonName: 'no cRLSign' },
    notBefore: TEST_TIMES.notBefore,
    notAfter: TEST_TIMES.notAfter,
    basicConstraints: { ca: true },
    keyUsage: ['keyCertSign'],
  });
  const child = parseCertificate(
    await issueCertificate({ issuer: noCrlSign, issuerKey: noCrlSignKey, subjectPublicKey: noCrlSignKey.publicKey, subject: { commonName: 'child' }, notBefore: TEST_TIMES.notBefore, notAfter: TEST_TIMES.notAfter, keyUsage: ['digitalSignature'] }),
  );
  const itsCrl = await createCrl({ issuerCertificate: noCrlSign, issuerKey: noCrlSignKey, thisUpdate, nextUpdate, revoked: [], crlNumber: 1 });
  assert.equal((await checkRevocation(child, parseCertificate(noCrlSign), [itsCrl], at)).status, 'unknown');

  // Unparseable CRL bytes are skipped, not thrown.
  assert.equal((await checkRevocation(leaf, ca, [new Uint8Array([1, 2, 3]), await caCrl()], at)).status, 'good');
});

test('createCrl refuses misuse; parseCrl refuses malformed and oversized input', async () => {
  const chain = await chainPromise;
  const other = await generateSigningKey('ES256');
  await assert.rejects(
    createCrl({ issuerCertificate: chain.ca, issuerKey: other, thisUpdate, nextUpdate, revoked: [], crlNumber: 1 }),
    (e: unknown) => isElicenseError(e, 'ERR_KEY_INVALID'),
  );
  await assert.rejects(
    createCrl({ issuerCertificate: chain.ca, issuerKey: chain.caKey, thisUpdate: nextUpdate, nextUpdate: thisUpdate, revoked: [], crlNumber: 1 }),
    (e: unknown) => isElicenseError(e, 'ERR_INVALID_INPUT'),
  );
  await assert.rejects(
    createCrl({ issuerCertificate: chain.ca, issuerKey: chain.caKey, thisUpdate, nextUpdate, revoked: [], crlNumber: -1 }),
    (e: unknown) => isElicenseError(e, 'ERR_INVALID_INPUT'),
  );

  const crl = await caCrl({ revoked: [{ serialNumber: '01', revocationDate: thisUpdate, reason: 'superseded' }] });
  assertThrowsCode(() => parseCrl(new Uint8Array(0)), 'ERR_CRL_INVALID');
  assertThrowsCode(() => parseCrl(crl.subarray(0, crl.length - 2)), 'ERR_CRL_INVALID');
  assertThrowsCode(() => parseCrl(chain.leaf), 'ERR_CRL_INVALID');
  assertThrowsCode(() => parseCrl(new Uint8Array(10 * 1024 * 1024 + 1)), 'ERR_INPUT_TOO_LARGE');

  let seed = 0x9e3779b9;
  const random = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  for (let i = 0; i < 2000; i++) {
    const input = crl.slice();
    for (let m = 0; m <= random(3); m++) input[random(input.length)] = random(256);
    try {
      parseCrl(input);
    } catch (error) {
      assert.ok(isElicenseError(error, 'ERR_CRL_INVALID'), `mutation ${i}: ${String(error)}`);
    }
  }
});
