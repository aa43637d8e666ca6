import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { rawSignatureToDer } from '../crypto/ecdsa-der.js';
import { toPem } from '../crypto/pem.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { createIssuerCertificate, createIssuingCa, createRootCa, issueCertificate } from './ca.js';
import { parseCertificate } from './certificate.js';
import { validateCertificatePath } from './path.js';
import { buildTestChain, ISSUING_OFFICE, TEST_TIMES, type ChainAlgorithms } from './testing.js';

const workDir = mkdtempSync(join(tmpdir(), 'elicense-pki-ca-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

const SM2_DISTID = ['-vfyopt', 'distid:1234567812345678'];
const AT_EPOCH = String(TEST_TIMES.at.getTime() / 1000);

function openssl(args: string[], cwd: string): { status: number | null; out: string } {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

async function assertRejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isElicenseError(e) && e.code === code);
}

const CHAINS: { name: string; algs: ChainAlgorithms }[] = [
  { name: 'ES256', algs: { root: 'ES256', ca: 'ES256', leaf: 'ES256' } },
  { name: 'EdDSA', algs: { root: 'EdDSA', ca: 'EdDSA', leaf: 'EdDSA' } },
  { name: 'PS256', algs: { root: 'PS256', ca: 'PS256', leaf: 'PS256' } },
  { name: 'SM2SM3', algs: { root: 'SM2SM3', ca: 'SM2SM3', leaf: 'SM2SM3' } },
  { name: 'mixed SM2 root → ES256 CA → Ed25519 leaf', algs: { root: 'SM2SM3', ca: 'ES256', leaf: 'EdDSA' } },
];

for (const { name, algs } of CHAINS) {
  test(`${name}: root → issuing CA → issuing office; OpenSSL verifies it and reads the Chinese subject; the path validates with a CRL per level`, async () => {
    const chain = await buildTestChain(algs);
    const dir = join(workDir, name.replace(/\W+/g, '-'));
    mkdirSync(dir);
    writeFileSync(join(dir, 'root.pem'), toPem('CERTIFICATE', chain.root));
    writeFileSync(join(dir, 'ca.pem'), toPem('CERTIFICATE', chain.ca));
    writeFileSync(join(dir, 'leaf.pem'), toPem('CERTIFICATE', chain.leaf));

    const sm2Root = algs.root === 'SM2SM3';
    const sm2Ca = algs.ca === 'SM2SM3';
    if (!sm2Root && !sm2Ca) {
      const full = openssl(['verify', '-attime', AT_EPOCH, '-CAfile', 'root.pem', '-untrusted', 'ca.pem', 'leaf.pem'], dir);
      assert.equal(full.status, 0, full.out);
      assert.match(full.out, /leaf\.pem: OK/);
    } else {
      // OpenSSL 3.0 applies -vfyopt distid only to the certificate named on the command line, so a
      // three-level SM2 chain fails at depth 1 (openssl/openssl#23471). Each link is verified alone.
      const rootToCa = openssl(['verify', ...(sm2Root ? SM2_DISTID : []), '-attime', AT_EPOCH, '-CAfile', 'root.pem', 'ca.pem'], dir);
      assert.equal(rootToCa.status, 0, rootToCa.out);
      assert.match(rootToCa.out, /ca\.pem: OK/);
      const caToLeaf = openssl(
        ['verify', ...(sm2Ca ? SM2_DISTID : []), '-attime', AT_EPOCH, '-partial_chain', '-CAfile', 'ca.pem', 'leaf.pem'],
        dir,
      );
      assert.equal(caToLeaf.status, 0, caToLeaf.out);
      assert.match(caToLeaf.out, /leaf\.pem: OK/);
    }
    if (sm2Root) {
      // The SM2 self-signature, checked independently (`openssl verify` ignores it, openssl/openssl#32744).
      const root = parseCertificate(chain.root);
      writeFileSync(join(dir, 'root-tbs.bin'), root.tbs);
      writeFileSync(join(dir, 'root-sig.der'), rawSignatureToDer(root.signature));
      writeFileSync(join(dir, 'root-pub.pem'), toPem('PUBLIC KEY', root.publicKey));
      const self = openssl(
        ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', 'root-pub.pem', '-in', 'root-tbs.bin', '-sigfile', 'root-sig.der', '-pkeyopt', 'distid:1234567812345678'],
        dir,
      );
      assert.equal(self.status, 0, self.out);
      assert.match(self.out, /Signature Verified Successfully/);
    }

    const subject = execFileSync('openssl', ['x509', '-in', 'leaf.pem', '-noout', '-subject', '-nameopt', 'utf8'], { cwd: dir, encoding: 'utf8' });
    assert.match(subject, /O=吉林省住房和城乡建设厅/);
    assert.match(subject, /organizationIdentifier=NTRCN-11220000013544541J/);
    assert.match(subject, /CN=吉林省住房和城乡建设厅电子证照签发/);
    const text = execFileSync('openssl', ['x509', '-in', 'leaf.pem', '-noout', '-text'], { cwd: dir, encoding: 'utf8' });
    assert.match(text, /Basic Constraints: critical\s+CA:FALSE/);
    assert.match(text, /Key Usage: critical\s+Digital Signature, Non Repudiation/);
    assert.match(text, /Subject Key Identifier/);
    assert.match(text, /Authority Key Identifier/);

    const result = await validateCertificatePath({
      leaf: chain.leaf,
      intermediates: [chain.ca],
      trustAnchors: [chain.root],
      at: TEST_TIMES.at,
      crls: [chain.rootCrl, chain.caCrl],
      revocation: 'require',
    });
    assert.equal(result.status, 'valid', JSON.stringify(result.checks));
    assert.deepEqual(
      result.checks.map((c) => [c.id, c.indication]),
      [
        ['cert.chain', 'TOTAL_PASSED'],
        ['cert.validity', 'TOTAL_PASSED'],
        ['cert.constraints', 'TOTAL_PASSED'],
        ['cert.revocation', 'TOTAL_PASSED'],
      ],
    );
    assert.equal(result.path.length, 3);
    assert.equal(result.path[0]!.organizationCode, '11220000013544541J');
    assert.equal(result.path[0]!.signatureAlgorithm, algs.ca);
    assert.equal(result.path[1]!.signatureAlgorithm, algs.root);
    assert.equal(result.anchor?.subject, result.path[2]!.subject);
  });
}

test('the PS256 AlgorithmIdentifier is byte for byte the one OpenSSL writes for SHA-256/MGF1-SHA-256/salt 32', async () => {
  const key = await generateSigningKey('PS256');
  const dir = join(workDir, 'pss');
  mkdirSync(dir);
  writeFileSync(join(dir, 'key.pem'), toPem('PRIVATE KEY', await key.exportPkcs8()));
  execFileSync(
    'openssl',
    ['req', '-x509', '-new', '-key', 'key.pem', '-subj', '/CN=pss', '-days', '2', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sigopt', 'rsa_mgf1_md:sha256', '-outform', 'DER', '-out', 'openssl.der'],
    { cwd: dir },
  );
  const theirs = parseCertificate(readFileSync(join(dir, 'openssl.der')));
  assert.equal(theirs.signatureAlgorithm, 'PS256');
  const ours = parseCertificate(
    await createRootCa({ key, subject: { commonName: 'pss' }, notBefore: TEST_TIMES.notBefore, notAfter: TEST_TIMES.notAfter }),
  );
  const algorithmTlv = (tbs: Uint8Array): string => {
    // TBSCertificate: [0] version (5 bytes), serial, then the AlgorithmIdentifier.
    const headerLength = tbs[1]! & 0x80 ? 2 + (tbs[1]! & 0x7f) : 2;
    let offset = headerLength + 5;
    offset += 2 + tbs[offset + 1]!;
    return toHex(tbs.subarray(offset, offset + 2 + tbs[offset + 1]!));
  };
  assert.equal(algorithmTlv(ours.tbs), algorithmTlv(theirs.tbs));
});

test('every key type of the table can be certified by an issuer of another type', async () => {
  const chain = await buildTestChain({ root: 'ES256', ca: 'SM2SM3', leaf: 'ES256' });
  const keyTypes: Partial<Record<SignatureAlgorithm, string>> = { ES256: 'EC-P256', EdDSA: 'Ed25519', PS256: 'RSA', SM2SM3: 'SM2' };
  const subjects: SignatureAlgorithm[] = ['ES256', 'EdDSA', 'PS256', 'SM2SM3'];
  for (const alg of subjects) {
    const subjectKey = await generateSigningKey(alg);
    const leaf = await createIssuerCertificate({
      issuerCertificate: chain.ca,
      issuerKey: chain.caKey,
      subjectPublicKey: subjectKey.publicKey,
      subject: ISSUING_OFFICE,
      notBefore: TEST_TIMES.notBefore,
      notAfter: TEST_TIMES.notAfter,
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.4'],
    });
    const info = parseCertificate(leaf);
    assert.equal(info.keyType, keyTypes[alg]);
    assert.deepEqual(info.extKeyUsage, ['1.3.6.1.5.5.7.3.4']);
    const result = await validateCertificatePath({
      leaf,
      intermediates: [chain.ca],
      trustAnchors: [chain.root],
      at: TEST_TIMES.at,
      crls: [chain.rootCrl, chain.caCrl],
      revocation: 'require',
    });
    assert.equal(result.status, 'valid', `${alg}: ${JSON.stringify(result.checks)}`);
  }
});

test('serial numbers: 16 random positive bytes by default, or exactly the one given', async () => {
  const key = await generateSigningKey('ES256');
  const { notBefore, notAfter } = TEST_TIMES;
  const serials = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const info = parseCertificate(await createRootCa({ key, subject: { commonName: 'serial' }, notBefore, notAfter }));
    assert.equal(info.serialNumber.length, 32);
    assert.ok(parseInt(info.serialNumber.slice(0, 2), 16) < 0x80);
    serials.add(info.serialNumber);
  }
  assert.equal(serials.size, 8);
  const given = parseCertificate(await createRootCa({ key, subject: { commonName: 'serial' }, notBefore, notAfter, serialNumber: '00ff01' }));
  assert.equal(given.serialNumber, 'ff01');
});

test('misuse is refused with stable codes', async () => {
  const chain = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const other = await generateSigningKey('ES256');
  const { notBefore, notAfter } = TEST_TIMES;
  const base = { issuerCertificate: chain.ca, subjectPublicKey: other.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter };
  // The issuer key must be the key of the issuer certificate.
  await assertRejectsWith(createIssuerCertificate({ ...base, issuerKey: other }), 'ERR_KEY_INVALID');
  // Only CA certificates issue.
  await assertRejectsWith(createIssuerCertificate({ ...base, issuerCertificate: chain.leaf, issuerKey: chain.leafKey }), 'ERR_INVALID_INPUT');
  await assertRejectsWith(createIssuerCertificate({ ...base, issuerKey: chain.caKey, notAfter: notBefore }), 'ERR_INVALID_INPUT');
  await assertRejectsWith(
    createIssuerCertificate({ ...base, issuerKey: chain.caKey, subject: { ...ISSUING_OFFICE, organizationCode: '1122000001354454' } }),
    'ERR_INVALID_INPUT',
  );
  await assertRejectsWith(createIssuerCertificate({ ...base, issuerKey: chain.caKey, subject: { ...ISSUING_OFFICE, country: 'China' } }), 'ERR_INVALID_INPUT');
  await assertRejectsWith(createIssuerCertificate({ ...base, issuerKey: chain.caKey, subjectPublicKey: new Uint8Array([0x30, 0]) }), 'ERR_KEY_INVALID');
  await assertRejectsWith(createRootCa({ key: chain.rootKey, subject: { commonName: 'x' }, notBefore, notAfter, pathLength: -1 }), 'ERR_INVALID_INPUT');
  await assertRejectsWith(createRootCa({ key: chain.rootKey, subject: { commonName: 'x' }, notBefore, notAfter, serialNumber: '00' }), 'ERR_INVALID_INPUT');
  const rs256 = { ...chain.rootKey, alg: 'RS256' as const };
  await assertRejectsWith(
    issueCertificate({ issuer: 'self-signed', issuerKey: rs256, subjectPublicKey: chain.rootKey.publicKey, subject: { commonName: 'x' }, notBefore, notAfter }),
    'ERR_ALG_UNSUPPORTED',
  );
  // An issuing CA under a CA chain is fine; under an end-entity it is not.
  await assertRejectsWith(
    createIssuingCa({ issuerCertificate: chain.leaf, issuerKey: chain.leafKey, subjectPublicKey: other.publicKey, subject: { commonName: 'x' }, notBefore, notAfter }),
    'ERR_INVALID_INPUT',
  );
});
