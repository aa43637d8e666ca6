import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AuthenticatedSafe, PFX, SafeContents, id_certBag, type SafeBag } from '@peculiar/asn1-pfx';
import { toHex, utf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import type { SignatureAlgorithm } from './algorithms.js';
import { importPkcs12 } from './pkcs12.js';
import { verifySignature } from './verify-signature.js';

const workDir = mkdtempSync(join(tmpdir(), 'elicense-pkcs12-'));
after(() => rmSync(workDir, { recursive: true, force: true }));
const file = (name: string): string => join(workDir, name);
const PASS = 'p12 密码';

function openssl(args: string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
}

async function assertRejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isElicenseError(e) && e.code === code);
}

const certDer = (name: string): Uint8Array => new Uint8Array(openssl(['x509', '-in', file(`${name}.crt`), '-outform', 'DER']));

/** The certificate's SubjectPublicKeyInfo, as OpenSSL extracts it. */
function certSpki(name: string): Uint8Array {
  const pem = openssl(['x509', '-in', file(`${name}.crt`), '-pubkey', '-noout']);
  return new Uint8Array(execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pem }));
}

function exportP12(name: string, out: string, extra: string[] = []): Uint8Array {
  openssl([
    'pkcs12', '-export', '-inkey', file(`${name}.key`), '-in', file(`${name}.crt`), '-passout', `pass:${PASS}`,
    '-out', file(out), ...extra,
  ]);
  return new Uint8Array(readFileSync(file(out)));
}

/**
 * Rewrites the certificate bags of an unencrypted (-certpbe NONE) PKCS#12 file and re-MACs it, to
 * make files OpenSSL never writes. The MAC key derivation (RFC 7292 B.2, SHA-256) is redone here
 * with node:crypto, independently of the code under test.
 */
function rewriteCertBags(p12: Uint8Array, rewrite: (certBags: SafeBag[]) => SafeBag[]): Uint8Array {
  const pfx = AsnConvert.parse(p12, PFX);
  const authSafe = AsnConvert.parse(AsnConvert.parse(pfx.authSafe.content, OctetString), AuthenticatedSafe);
  for (const contentInfo of authSafe) {
    const bags = [...AsnConvert.parse(AsnConvert.parse(contentInfo.content, OctetString), SafeContents)];
    const certBags = bags.filter((bag) => bag.bagId === id_certBag);
    if (certBags.length === 0) continue;
    const rewritten = new SafeContents([...rewrite(certBags), ...bags.filter((bag) => bag.bagId !== id_certBag)]);
    contentInfo.content = AsnConvert.serialize(new OctetString(AsnConvert.serialize(rewritten)));
  }
  const authSafeDer = Buffer.from(AsnConvert.serialize(authSafe));
  pfx.authSafe.content = AsnConvert.serialize(new OctetString(authSafeDer));
  const v = 64;
  const repeat = (b: Buffer): Buffer => Buffer.alloc(Math.ceil(b.length / v) * v, b);
  const password = Buffer.from(`${PASS}\0`, 'utf16le').swap16();
  let key = createHash('sha256')
    .update(Buffer.alloc(v, 3))
    .update(repeat(Buffer.from(pfx.macData.macSalt.buffer)))
    .update(repeat(password))
    .digest();
  for (let i = 1; i < pfx.macData.iterations; i++) key = createHash('sha256').update(key).digest();
  pfx.macData.mac.digest = new OctetString(createHmac('sha256', key).update(authSafeDer).digest());
  return new Uint8Array(AsnConvert.serialize(pfx));
}

// Self-signed certificates with their keys, made the way an issuer would with OpenSSL.
openssl([
  'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-keyout', file('ec.key'), '-nodes',
  '-subj', '/CN=eLicense EC leaf', '-days', '2', '-out', file('ec.crt'),
]);
openssl(['genpkey', '-algorithm', 'ED25519', '-out', file('ed.key')]);
openssl(['req', '-x509', '-key', file('ed.key'), '-subj', '/CN=eLicense Ed25519', '-days', '2', '-out', file('ed.crt')]);
openssl(['genpkey', '-algorithm', 'SM2', '-out', file('sm2.key')]);
openssl([
  'req', '-x509', '-key', file('sm2.key'), '-sm3', '-sigopt', 'distid:1234567812345678', '-subj', '/CN=eLicense SM2',
  '-days', '2', '-out', file('sm2.crt'),
]);
openssl([
  'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-keyout', file('ca.key'), '-nodes',
  '-subj', '/CN=eLicense CA', '-days', '2', '-out', file('ca.crt'),
]);

const CASES: { name: string; alg: SignatureAlgorithm }[] = [
  { name: 'ec', alg: 'ES256' },
  { name: 'ed', alg: 'EdDSA' },
  { name: 'sm2', alg: 'SM2SM3' },
];

for (const c of CASES) {
  test(`${c.name}: an OpenSSL 3 default PKCS#12 imports; the key signs for its certificate`, async () => {
    const { key, certificates } = await importPkcs12(exportP12(c.name, `${c.name}.p12`), PASS);
    assert.equal(key.alg, c.alg);
    assert.equal(certificates.length, 1);
    assert.equal(toHex(certificates[0]!), toHex(certDer(c.name)));
    assert.equal(toHex(key.publicKey), toHex(certSpki(c.name)));
    const data = utf8(`p12 ${c.name}`);
    assert.equal(await verifySignature(c.alg, certSpki(c.name), data, await key.sign(data)), true);
  });
}

test('a chain: the leaf (the key\'s certificate) comes first, then the CA', async () => {
  const p12 = exportP12('ec', 'chain.p12', ['-certfile', file('ca.crt')]);
  const { certificates } = await importPkcs12(p12, PASS);
  assert.deepEqual(certificates.map(toHex), [toHex(certDer('ec')), toHex(certDer('ca'))]);
});

test('the leaf is put first even when the file lists it last', async () => {
  const p12 = exportP12('ec', 'plain-chain.p12', ['-certfile', file('ca.crt'), '-keypbe', 'NONE', '-certpbe', 'NONE']);
  const untouched = await importPkcs12(rewriteCertBags(p12, (bags) => bags), PASS);
  assert.deepEqual(untouched.certificates.map(toHex), [toHex(certDer('ec')), toHex(certDer('ca'))]);
  const reversed = await importPkcs12(rewriteCertBags(p12, (bags) => [...bags].reverse()), PASS);
  assert.deepEqual(reversed.certificates.map(toHex), [toHex(certDer('ec')), toHex(certDer('ca'))]);
});

test('certificates that do not include the key\'s own are refused', async () => {
  const p12 = exportP12('ec', 'plain-chain2.p12', ['-certfile', file('ca.crt'), '-keypbe', 'NONE', '-certpbe', 'NONE']);
  const caOnly = rewriteCertBags(p12, (bags) => bags.slice(1));
  await assertRejectsWith(importPkcs12(caOnly, PASS), 'ERR_KEY_INVALID');
});

test('a wrong passphrase fails the MAC check', async () => {
  const p12 = exportP12('ec', 'wrong.p12');
  await assertRejectsWith(importPkcs12(p12, `${PASS}!`), 'ERR_KEY_DECRYPT_FAILED');
  await assertRejectsWith(importPkcs12(p12, ''), 'ERR_KEY_DECRYPT_FAILED');
});

test('legacy (-legacy: RC2/3DES, SHA-1 MAC) files are refused as invalid; a wrong passphrase is still a wrong passphrase', async () => {
  const p12 = exportP12('ec', 'legacy.p12', ['-legacy']);
  await assertRejectsWith(importPkcs12(p12, PASS), 'ERR_KEY_INVALID');
  await assertRejectsWith(importPkcs12(p12, 'nope'), 'ERR_KEY_DECRYPT_FAILED');
});

test('other MAC digests and ciphers: SHA-1 MAC; SHA-512 MAC with AES-128-CBC', async () => {
  for (const [out, extra] of [
    ['sha1mac.p12', ['-macalg', 'sha1']],
    ['sha512mac.p12', ['-macalg', 'sha512', '-keypbe', 'AES-128-CBC', '-certpbe', 'AES-128-CBC']],
  ] as const) {
    const { key, certificates } = await importPkcs12(exportP12('ec', out, [...extra]), PASS);
    assert.equal(toHex(key.publicKey), toHex(certSpki('ec')), out);
    assert.equal(toHex(certificates[0]!), toHex(certDer('ec')), out);
  }
});

test('unencrypted bags (-keypbe NONE -certpbe NONE) still need the right MAC passphrase', async () => {
  const p12 = exportP12('ed', 'plain.p12', ['-keypbe', 'NONE', '-certpbe', 'NONE']);
  const { key } = await importPkcs12(p12, PASS);
  assert.equal(toHex(key.publicKey), toHex(certSpki('ed')));
  await assertRejectsWith(importPkcs12(p12, 'other'), 'ERR_KEY_DECRYPT_FAILED');
});

test('not a PKCS#12 file', async () => {
  await assertRejectsWith(importPkcs12(certDer('ec'), PASS), 'ERR_KEY_INVALID');
  await assertRejectsWith(importPkcs12(new Uint8Array(10), PASS), 'ERR_KEY_INVALID');
});
