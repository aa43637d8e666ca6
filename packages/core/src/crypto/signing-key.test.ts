import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, toHex, utf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import type { SignatureAlgorithm } from './algorithms.js';
import { pemBlock } from './pem.js';
import { parsePublicKey } from './public-key.js';
import { generateSigningKey, sm2SigningKey, webCryptoSigningKey } from './signing-key.js';
import { sm2PublicFromPrivate, sm2Verify } from './sm2.js';
import { verifySignature } from './verify-signature.js';

const workDir = mkdtempSync(join(tmpdir(), 'elicense-signing-key-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

async function assertRejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isElicenseError(e) && e.code === code);
}

/** What `openssl pkey -pubin -inform DER -text` says about an SPKI. */
function opensslDescribe(spki: Uint8Array): string {
  return execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-text', '-noout'], { input: spki }).toString();
}

const CASES: { alg: SignatureAlgorithm; openssl: RegExp; signatureLength?: number }[] = [
  { alg: 'ES256', openssl: /Public-Key: \(256 bit\)[\s\S]*NIST CURVE: P-256/, signatureLength: 64 },
  { alg: 'EdDSA', openssl: /ED25519 Public-Key/, signatureLength: 64 },
  { alg: 'PS256', openssl: /Public-Key: \(2048 bit\)/ },
  { alg: 'SM2SM3', openssl: /Public-Key: \(256 bit\)[\s\S]*ASN1 OID: SM2/, signatureLength: 64 },
];

for (const c of CASES) {
  test(`${c.alg}: a generated key signs verifiably; tampering is detected; OpenSSL reads its SPKI`, async () => {
    const key = await generateSigningKey(c.alg);
    assert.equal(key.alg, c.alg);
    const data = utf8(`电子证照 ${c.alg}`);
    const signature = await key.sign(data);
    if (c.signatureLength !== undefined) assert.equal(signature.length, c.signatureLength);
    assert.equal(await verifySignature(c.alg, key.publicKey, data, signature), true);

    const tamperedData = data.slice();
    tamperedData[0]! ^= 1;
    assert.equal(await verifySignature(c.alg, key.publicKey, tamperedData, signature), false);
    const tamperedSignature = signature.slice();
    tamperedSignature[signature.length - 1]! ^= 1;
    assert.equal(await verifySignature(c.alg, key.publicKey, data, tamperedSignature), false);

    assert.match(opensslDescribe(key.publicKey), c.openssl);
    assert.ok((await key.exportPkcs8()).length > 0);
  });
}

test('PS256: 3072-bit keys on request; the signature length follows the modulus', async () => {
  const key = await generateSigningKey('PS256', { rsaBits: 3072 });
  assert.equal(parsePublicKey(key.publicKey).rsaBits, 3072);
  const data = utf8('3072');
  const signature = await key.sign(data);
  assert.equal(signature.length, 384);
  assert.equal(await verifySignature('PS256', key.publicKey, data, signature), true);
});

test('RS256 keys are never generated; bad rsaBits are refused', async () => {
  await assertRejectsWith(generateSigningKey('RS256'), 'ERR_ALG_UNSUPPORTED');
  await assertRejectsWith(generateSigningKey('PS256', { rsaBits: 1024 }), 'ERR_INVALID_INPUT');
  await assertRejectsWith(generateSigningKey('ES256', { rsaBits: 2048 }), 'ERR_INVALID_INPUT');
});

test('SM2: SPKI and PKCS#8 are byte for byte what OpenSSL writes for the same key', async () => {
  const keyPem = join(workDir, 'sm2.pem');
  execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', keyPem]);
  // The genpkey file itself: `openssl pkey -outform DER` would rewrite an SM2 key as SEC1.
  const opensslPkcs8 = pemBlock(readFileSync(keyPem, 'utf8'), 'PRIVATE KEY');
  const opensslSpki = new Uint8Array(execFileSync('openssl', ['pkey', '-in', keyPem, '-pubout', '-outform', 'DER']));
  const text = execFileSync('openssl', ['pkey', '-in', keyPem, '-text', '-noout']).toString();
  const privHex = /priv:\s*([0-9a-f:\s]+?)\s*pub:/i.exec(text)![1]!.replace(/[:\s]/g, '');
  const d = BigInt(`0x${privHex}`).toString(16).padStart(64, '0');
  const key = sm2SigningKey(fromHex(d));
  assert.equal(toHex(key.publicKey), toHex(opensslSpki));
  assert.equal(toHex(await key.exportPkcs8()), toHex(opensslPkcs8));
});

test('SM2: the signing key signs with ID 1234567812345678', async () => {
  const d = crypto.getRandomValues(new Uint8Array(32));
  d[0] = 0x7f;
  const key = sm2SigningKey(d);
  const data = utf8('ID check');
  const signature = await key.sign(data);
  const point = sm2PublicFromPrivate(d);
  assert.equal(sm2Verify(point, data, signature, utf8('1234567812345678')), true);
  assert.equal(sm2Verify(point, data, signature, new Uint8Array(0)), false);
});

test('webCryptoSigningKey refuses keys that do not fit the algorithm', async () => {
  const p256 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const p256Spki = new Uint8Array(await crypto.subtle.exportKey('spki', p256.publicKey));
  const p384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ed = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const edSpki = new Uint8Array(await crypto.subtle.exportKey('spki', ed.publicKey));

  assert.equal(webCryptoSigningKey('ES256', p256.privateKey, p256Spki).alg, 'ES256');
  assert.throws(() => webCryptoSigningKey('ES256', p384.privateKey, p256Spki), (e: unknown) => isElicenseError(e, 'ERR_KEY_INVALID'));
  assert.throws(() => webCryptoSigningKey('ES256', ed.privateKey, p256Spki), (e: unknown) => isElicenseError(e, 'ERR_KEY_INVALID'));
  assert.throws(() => webCryptoSigningKey('ES256', p256.privateKey, edSpki), (e: unknown) => isElicenseError(e, 'ERR_KEY_INVALID'));
  assert.throws(() => webCryptoSigningKey('ES256', p256.publicKey, p256Spki), (e: unknown) => isElicenseError(e, 'ERR_KEY_INVALID'));
  assert.throws(() => webCryptoSigningKey('SM2SM3', p256.privateKey, p256Spki), (e: unknown) => isElicenseError(e, 'ERR_ALG_UNSUPPORTED'));
});

test('a non-extractable WebCrypto key signs but cannot be exported', async () => {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const key = webCryptoSigningKey('EdDSA', pair.privateKey, spki);
  const signature = await key.sign(utf8('x'));
  assert.equal(await verifySignature('EdDSA', spki, utf8('x'), signature), true);
  await assertRejectsWith(key.exportPkcs8(), 'ERR_KEY_INVALID');
});

test('a generated key exports PKCS#8 that OpenSSL reads back to the same public key', async () => {
  for (const alg of ['ES256', 'EdDSA', 'PS256', 'SM2SM3'] as const) {
    const key = await generateSigningKey(alg);
    const pkcs8 = await key.exportPkcs8();
    const spki = new Uint8Array(execFileSync('openssl', ['pkey', '-inform', 'DER', '-pubout', '-outform', 'DER'], { input: pkcs8 }));
    assert.equal(toHex(spki), toHex(key.publicKey), alg);
  }
});
