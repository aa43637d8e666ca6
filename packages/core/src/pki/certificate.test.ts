import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { equalBytes, toHex } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import { parseSesSignature } from '../seal/index.js';
import { corpusPath } from '../../test-support/corpora.js';
import { toPem } from '../crypto/pem.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { createRootCa } from './ca.js';
import { certificateFromPem, certificatesFromPem, parseCertificate } from './certificate.js';
import { buildTestChain, ISSUING_OFFICE, TEST_TIMES } from './testing.js';

const workDir = mkdtempSync(join(tmpdir(), 'elicense-pki-cert-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

function assertThrowsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => isElicenseError(e) && e.code === code);
}

/** A self-signed certificate made by the openssl CLI (P-256 key), DER. */
function opensslCertificate(name: string, subj: string, extra: string[] = []): Uint8Array {
  const key = join(workDir, `${name}.key`);
  const out = join(workDir, `${name}.der`);
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  execFileSync('openssl', ['req', '-x509', '-new', '-key', key, '-utf8', '-subj', subj, '-days', '30', '-outform', 'DER', '-out', out, ...extra]);
  return new Uint8Array(readFileSync(out));
}

const chainPromise = buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });

test('parseCertificate reads every field the validator and the report need', async () => {
  const chain = await chainPromise;
  const leaf = parseCertificate(chain.leaf);
  const ca = parseCertificate(chain.ca);
  const root = parseCertificate(chain.root);

  assert.equal(leaf.version, 3);
  assert.equal(leaf.subject, 'CN=吉林省住房和城乡建设厅电子证照签发,organizationIdentifier=NTRCN-11220000013544541J,O=吉林省住房和城乡建设厅,C=CN');
  assert.equal(leaf.issuer, ca.subject);
  assert.deepEqual(
    leaf.subjectRdns.map((a) => [a.type, a.shortName, a.value]),
    [
      ['2.5.4.6', 'C', 'CN'],
      ['2.5.4.10', 'O', '吉林省住房和城乡建设厅'],
      ['2.5.4.97', 'organizationIdentifier', 'NTRCN-11220000013544541J'],
      ['2.5.4.3', 'CN', '吉林省住房和城乡建设厅电子证照签发'],
    ],
  );
  assert.equal(leaf.organizationName, ISSUING_OFFICE.organizationName);
  assert.equal(leaf.organizationCode, ISSUING_OFFICE.organizationCode);
  assert.deepEqual([leaf.notBefore, leaf.notAfter], [TEST_TIMES.notBefore, TEST_TIMES.notAfter]);
  assert.equal(leaf.keyType, 'EC-P256');
  assert.ok(equalBytes(leaf.publicKey, chain.leafKey.publicKey));
  assert.equal(leaf.signatureAlgorithm, 'ES256');
  assert.equal(leaf.signature.length, 64);
  assert.deepEqual(leaf.basicConstraints, { ca: false });
  assert.deepEqual(leaf.keyUsage, ['digitalSignature', 'nonRepudiation']);
  assert.equal(leaf.extKeyUsage, undefined);
  assert.equal(leaf.authorityKeyIdentifier, ca.subjectKeyIdentifier);
  assert.match(leaf.subjectKeyIdentifier ?? '', /^[0-9a-f]{40}$/);
  assert.deepEqual(leaf.crlDistributionPoints, ['http://crl.example.test/ca.crl']);
  assert.deepEqual([...leaf.criticalExtensions].sort(), ['2.5.29.15', '2.5.29.19']);
  assert.equal(leaf.selfIssued, false);
  assert.match(leaf.serialNumber, /^[0-9a-f]+$/);

  assert.deepEqual(ca.basicConstraints, { ca: true, pathLen: 0 });
  assert.deepEqual(ca.keyUsage, ['keyCertSign', 'cRLSign']);
  assert.equal(root.selfIssued, true);
  assert.equal(root.authorityKeyIdentifier, root.subjectKeyIdentifier);
  assert.equal(root.organizationCode, undefined);

  // tbs is the exact TBSCertificate TLV inside the received bytes, and the CA's signature covers it.
  const offset = chain.leaf.indexOf(0x30, 1);
  assert.ok(equalBytes(leaf.tbs, chain.leaf.subarray(offset, offset + leaf.tbs.length)));
  assert.equal(await verifySignature('ES256', ca.publicKey, leaf.tbs, leaf.signature), true);
});

test('OpenSSL-made certificates: UTF8 Chinese names, a bare USCC as organizationIdentifier, escaping and multi-valued RDNs', () => {
  const bare = parseCertificate(
    opensslCertificate('bare', '/C=CN/O=吉林省住房和城乡建设厅/organizationIdentifier=11220000013544541J/CN=签发'),
  );
  assert.equal(bare.organizationName, '吉林省住房和城乡建设厅');
  assert.equal(bare.organizationCode, '11220000013544541J');
  assert.equal(bare.subject, 'CN=签发,organizationIdentifier=11220000013544541J,O=吉林省住房和城乡建设厅,C=CN');

  const vat = parseCertificate(opensslCertificate('vat', '/C=CN/O=x/organizationIdentifier=VATCN-11220000013544541J/CN=y'));
  assert.equal(vat.organizationCode, undefined);

  const escaped = parseCertificate(opensslCertificate('escaped', '/O=a\\,b/CN=x+UID=u', ['-multivalue-rdn']));
  assert.equal(escaped.subject, 'CN=x+UID=u,O=a\\,b');
  assert.equal(escaped.selfIssued, true);
  assert.equal(escaped.keyType, 'EC-P256');
  assert.equal(escaped.signatureAlgorithm, 'ES256');
});

test('signature algorithms outside the table are reported with their OID, not guessed', () => {
  const sha384 = parseCertificate(opensslCertificate('sha384', '/CN=sha384', ['-sha384']));
  assert.deepEqual(sha384.signatureAlgorithm, { unsupported: '1.2.840.10045.4.3.3' });
  // The signature value is kept as found.
  assert.equal(sha384.signature[0], 0x30);

  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(workDir, 'rsa.key')]);
  const pss = (name: string, saltLength: string, mgf: string): Uint8Array => {
    const out = join(workDir, `${name}.der`);
    execFileSync('openssl', [
      'req', '-x509', '-new', '-key', join(workDir, 'rsa.key'), '-subj', `/CN=${name}`, '-days', '2', '-sha256',
      '-sigopt', 'rsa_padding_mode:pss', '-sigopt', `rsa_pss_saltlen:${saltLength}`, '-sigopt', `rsa_mgf1_md:${mgf}`,
      '-outform', 'DER', '-out', out,
    ]);
    return new Uint8Array(readFileSync(out));
  };
  assert.equal(parseCertificate(pss('pss-32', '32', 'sha256')).signatureAlgorithm, 'PS256');
  assert.deepEqual(Object.keys(parseCertificate(pss('pss-20', '20', 'sha256')).signatureAlgorithm), ['unsupported']);
  assert.deepEqual(Object.keys(parseCertificate(pss('pss-mgf1', '32', 'sha1')).signatureAlgorithm), ['unsupported']);

  const rsaOut = join(workDir, 'rs256.der');
  execFileSync('openssl', ['req', '-x509', '-new', '-key', join(workDir, 'rsa.key'), '-subj', '/CN=rs256', '-days', '2', '-sha256', '-outform', 'DER', '-out', rsaOut]);
  const rs256 = parseCertificate(new Uint8Array(readFileSync(rsaOut)));
  assert.equal(rs256.signatureAlgorithm, 'RS256');
  assert.equal(rs256.keyType, 'RSA');
});

test('PEM helpers read one or several certificates and ignore text around them', async () => {
  const chain = await chainPromise;
  const pem = `test-only PKI\n${toPem('CERTIFICATE', chain.leaf)}comment\n${toPem('PUBLIC KEY', chain.leafKey.publicKey)}${toPem('CERTIFICATE', chain.ca)}`;
  assert.deepEqual(
    certificatesFromPem(pem).map((c) => c.subject),
    [parseCertificate(chain.leaf).subject, parseCertificate(chain.ca).subject],
  );
  assert.equal(certificateFromPem(pem).subject, parseCertificate(chain.leaf).subject);
  assertThrowsCode(() => certificateFromPem(toPem('PUBLIC KEY', chain.leafKey.publicKey)), 'ERR_INVALID_INPUT');
});

test('malformed certificates are ERR_CERT_INVALID (never a TypeError); oversized ones ERR_INPUT_TOO_LARGE', async () => {
  const { leaf } = await chainPromise;
  assertThrowsCode(() => parseCertificate(new Uint8Array(0)), 'ERR_CERT_INVALID');
  assertThrowsCode(() => parseCertificate(new Uint8Array([0x30, 0x00])), 'ERR_CERT_INVALID');
  assertThrowsCode(() => parseCertificate(leaf.subarray(0, leaf.length - 1)), 'ERR_CERT_INVALID');
  assertThrowsCode(() => parseCertificate(Uint8Array.from([...leaf, 0])), 'ERR_CERT_INVALID');
  assertThrowsCode(() => parseCertificate(new TextEncoder().encode('-----BEGIN CERTIFICATE-----')), 'ERR_CERT_INVALID');
  assertThrowsCode(() => parseCertificate(new Uint8Array(64 * 1024 + 1)), 'ERR_INPUT_TOO_LARGE');
  assertThrowsCode(() => parseCertificate('not bytes' as unknown as Uint8Array), 'ERR_INVALID_INPUT');

  // The outer signatureAlgorithm must repeat TBSCertificate.signature (ecdsa-with-SHA256 → SHA384 here).
  const info = parseCertificate(leaf);
  const outer = leaf.slice();
  outer[4 + info.tbs.length + 2 + 9] = 0x03;
  assertThrowsCode(() => parseCertificate(outer), 'ERR_CERT_INVALID');

  // A non-minimal length (0x81 for a short length) is BER, not DER.
  const nonMinimal = Uint8Array.from([0x30, 0x81, 0x03, 0x02, 0x01, 0x00]);
  assertThrowsCode(() => parseCertificate(nonMinimal), 'ERR_CERT_INVALID');
});

test('fuzz: 3000 mutated certificates either parse or fail with ERR_CERT_INVALID', async () => {
  const chain = await chainPromise;
  const seeds = [chain.leaf, chain.ca, chain.root];
  let seed = 0x2545f491;
  const random = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  let parsed = 0;
  for (let i = 0; i < 3000; i++) {
    const input = seeds[i % seeds.length]!.slice();
    const mutations = 1 + random(3);
    for (let m = 0; m < mutations; m++) input[random(input.length)] = random(256);
    const cut = random(10) === 0 ? input.subarray(0, random(input.length)) : input;
    try {
      parseCertificate(cut);
      parsed++;
    } catch (error) {
      assert.ok(isElicenseError(error, 'ERR_CERT_INVALID'), `mutation ${i}: ${String(error)} (${toHex(cut).slice(0, 40)}…)`);
    }
  }
  assert.ok(parsed > 0);
});

test('key types outside the table are reported as unsupported, not refused', () => {
  const out = join(workDir, 'p384.der');
  execFileSync('openssl', ['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', join(workDir, 'p384.key')]);
  execFileSync('openssl', ['req', '-x509', '-new', '-key', join(workDir, 'p384.key'), '-subj', '/CN=p384', '-days', '2', '-sha256', '-outform', 'DER', '-out', out]);
  const info = parseCertificate(new Uint8Array(readFileSync(out)));
  assert.equal(info.keyType, 'unsupported');
  assert.equal(info.signatureAlgorithm, 'ES256');
});

test('an Ed25519 certificate made here reads back and OpenSSL names its algorithm', async () => {
  const key = await generateSigningKey('EdDSA');
  const path = join(workDir, 'ed.pem');
  const der = await createRootCa({ key, subject: { commonName: 'ed' }, notBefore: TEST_TIMES.notBefore, notAfter: TEST_TIMES.notAfter });
  writeFileSync(path, toPem('CERTIFICATE', der));
  const text = execFileSync('openssl', ['x509', '-in', path, '-noout', '-text'], { encoding: 'utf8' });
  assert.match(text, /Signature Algorithm: ED25519/);
  const info = parseCertificate(der);
  assert.equal(info.keyType, 'Ed25519');
  assert.equal(info.signatureAlgorithm, 'EdDSA');
  assert.deepEqual(info.basicConstraints, { ca: true });
});

test('a real Yunnan CA SM2 certificate parses: raw text in an unknown non-critical extension, UTF-8 in an IA5String', () => {
  const signedValue = execFileSync('unzip', ['-p', corpusPath('ofd-sealed/ofdrw-converter--zsbk.ofd'), 'Doc_0/Signs/Sign_0/SignedValue.dat']);
  const der = parseSesSignature(new Uint8Array(signedValue)).signerCertificate;
  const info = parseCertificate(der);
  assert.match(info.subject, /emailAddress=电子邮箱/);
  assert.match(info.subject, /O=115300000151003540云南省住房和城乡建设厅/);
  assert.ok(info.extensions.includes('1.2.5.29.1'));
  assert.equal(info.criticalExtensions.includes('1.2.5.29.1'), false);
});
