import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ECPrivateKey } from '@peculiar/asn1-ecc';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { toHex, utf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import type { SignatureAlgorithm } from './algorithms.js';
import { rawSignatureToDer } from './ecdsa-der.js';
import { pemBlock, toPem } from './pem.js';
import { exportPrivateKeyPem, importPrivateKey } from './pkcs8.js';
import { generateSigningKey, type SoftwareSigningKey } from './signing-key.js';
import { sm2PublicFromPrivate } from './sm2.js';

const workDir = mkdtempSync(join(tmpdir(), 'elicense-pkcs8-'));
after(() => rmSync(workDir, { recursive: true, force: true }));
const file = (name: string): string => join(workDir, name);
const PASS = 'correct horse 电池';

function openssl(args: string[], input?: Uint8Array | string): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

async function assertRejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isElicenseError(e) && e.code === code);
}

/** How `openssl` checks a JOSE-form signature for each algorithm. */
function opensslVerifies(alg: SignatureAlgorithm, pubPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  writeFileSync(file('verify.msg'), data);
  const sigFile = file('verify.sig');
  switch (alg) {
    case 'ES256':
      writeFileSync(sigFile, rawSignatureToDer(signature));
      return /Verified OK/.test(openssl(['dgst', '-sha256', '-verify', pubPem, '-signature', sigFile, file('verify.msg')]).toString());
    case 'PS256':
      writeFileSync(sigFile, signature);
      return /Verified OK/.test(
        openssl([
          'dgst', '-sha256', '-verify', pubPem, '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32',
          '-signature', sigFile, file('verify.msg'),
        ]).toString(),
      );
    case 'EdDSA':
      writeFileSync(sigFile, signature);
      return /Signature Verified Successfully/.test(
        openssl(['pkeyutl', '-verify', '-pubin', '-inkey', pubPem, '-rawin', '-in', file('verify.msg'), '-sigfile', sigFile]).toString(),
      );
    case 'SM2SM3':
      writeFileSync(sigFile, rawSignatureToDer(signature));
      return /Verified OK/.test(
        openssl([
          'dgst', '-sm3', '-verify', pubPem, '-sigopt', 'distid:1234567812345678', '-signature', sigFile, file('verify.msg'),
        ]).toString(),
      );
    case 'RS256':
      throw new Error('never signed');
  }
}

interface OpensslKey {
  readonly name: string;
  readonly alg: SignatureAlgorithm;
  readonly pem: string;
  readonly encryptedPem: string;
  readonly pubPem: string;
  readonly spki: Uint8Array;
}

function opensslKey(name: string, alg: SignatureAlgorithm, genpkey: string[]): OpensslKey {
  openssl(['genpkey', ...genpkey, '-out', file(`${name}.pem`)]);
  openssl(['pkey', '-in', file(`${name}.pem`), '-pubout', '-out', file(`${name}.pub.pem`)]);
  const encryptedPem = openssl([
    'pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-v2prf', 'hmacWithSHA256', '-passout', `pass:${PASS}`, '-in', file(`${name}.pem`),
  ]).toString();
  return {
    name,
    alg,
    pem: readFileSync(file(`${name}.pem`), 'utf8'),
    encryptedPem,
    pubPem: file(`${name}.pub.pem`),
    spki: new Uint8Array(openssl(['pkey', '-in', file(`${name}.pem`), '-pubout', '-outform', 'DER'])),
  };
}

const KEYS = [
  opensslKey('ec', 'ES256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
  opensslKey('ed25519', 'EdDSA', ['-algorithm', 'ED25519']),
  opensslKey('rsa', 'PS256', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']),
  opensslKey('sm2', 'SM2SM3', ['-algorithm', 'SM2']),
];
const [EC, , RSA, SM2] = KEYS as [OpensslKey, OpensslKey, OpensslKey, OpensslKey];

async function assertSignsForOpenssl(key: SoftwareSigningKey, k: OpensslKey): Promise<void> {
  const data = utf8(`signed by ${k.name}`);
  assert.equal(opensslVerifies(k.alg, k.pubPem, data, await key.sign(data)), true);
}

for (const k of KEYS) {
  test(`${k.name}: openssl genpkey PKCS#8 imports as ${k.alg}, with OpenSSL's public key, and signs for OpenSSL`, async () => {
    const key = await importPrivateKey(k.pem);
    assert.equal(key.alg, k.alg);
    assert.equal(toHex(key.publicKey), toHex(k.spki));
    await assertSignsForOpenssl(key, k);
  });

  test(`${k.name}: encrypted PKCS#8 (PBES2, HMAC-SHA256, AES-256-CBC) imports with the passphrase only`, async () => {
    const key = await importPrivateKey(k.encryptedPem, { passphrase: PASS });
    assert.equal(toHex(key.publicKey), toHex(k.spki));
    await assertSignsForOpenssl(key, k);
    await assertRejectsWith(importPrivateKey(k.encryptedPem, { passphrase: 'wrong' }), 'ERR_KEY_DECRYPT_FAILED');
    await assertRejectsWith(importPrivateKey(k.encryptedPem), 'ERR_KEY_DECRYPT_FAILED');
  });

  test(`${k.name}: our encrypted export opens with openssl pkey -passin and with importPrivateKey`, async () => {
    const key = await importPrivateKey(k.pem);
    const pem = await exportPrivateKeyPem(key, PASS, { iterations: 1000 });
    assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    writeFileSync(file(`${k.name}.ours.pem`), pem);
    const spki = openssl(['pkey', '-in', file(`${k.name}.ours.pem`), '-passin', `pass:${PASS}`, '-pubout', '-outform', 'DER']);
    assert.equal(toHex(new Uint8Array(spki)), toHex(k.spki));
    const again = await importPrivateKey(pem, { passphrase: PASS });
    assert.equal(toHex(again.publicKey), toHex(k.spki));
    await assertRejectsWith(importPrivateKey(pem, { passphrase: `${PASS}x` }), 'ERR_KEY_DECRYPT_FAILED');
  });
}

test('SM2: our unencrypted PKCS#8 export is byte for byte the openssl genpkey file', async () => {
  const key = await importPrivateKey(SM2.pem);
  assert.equal(await exportPrivateKeyPem(key), SM2.pem);
});

test('default export: PBKDF2-HMAC-SHA256 with 100000 iterations and AES-256-CBC', async () => {
  const pem = await exportPrivateKeyPem(await importPrivateKey(EC.pem), PASS);
  const structure = openssl(['asn1parse'], pem).toString();
  assert.match(structure, /PBES2/);
  assert.match(structure, /PBKDF2/);
  assert.match(structure, /hmacWithSHA256/);
  assert.match(structure, /aes-256-cbc/);
  assert.match(structure, /INTEGER\s+:0186A0/);
  const spki = openssl(['pkey', '-passin', `pass:${PASS}`, '-pubout', '-outform', 'DER'], pem);
  assert.equal(toHex(new Uint8Array(spki)), toHex(EC.spki));
});

test('other PBES2 choices: AES-128 with the default HMAC-SHA1 PRF, AES-192 with HMAC-SHA512', async () => {
  for (const [cipher, prf] of [
    ['aes-128-cbc', 'hmacWithSHA1'],
    ['aes-192-cbc', 'hmacWithSHA512'],
  ] as const) {
    const pem = openssl(['pkcs8', '-topk8', '-v2', cipher, '-v2prf', prf, '-passout', `pass:${PASS}`, '-in', file('ec.pem')]);
    const key = await importPrivateKey(pem.toString(), { passphrase: PASS });
    assert.equal(toHex(key.publicKey), toHex(EC.spki), `${cipher} ${prf}`);
  }
});

test('legacy PKCS#5 v1.5 encryption is refused as an invalid key, not as a wrong passphrase', async () => {
  const pem = openssl(['pkcs8', '-topk8', '-v1', 'PBE-SHA1-3DES', '-passout', `pass:${PASS}`, '-in', file('ec.pem')]);
  await assertRejectsWith(importPrivateKey(pem.toString(), { passphrase: PASS }), 'ERR_KEY_INVALID');
});

test('DER input: plain and encrypted PKCS#8, as bytes', async () => {
  const der = new Uint8Array(openssl(['pkcs8', '-topk8', '-nocrypt', '-in', file('rsa.pem'), '-outform', 'DER']));
  assert.equal(toHex((await importPrivateKey(der)).publicKey), toHex(RSA.spki));
  const encrypted = new Uint8Array(
    openssl(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`, '-in', file('sm2.pem'), '-outform', 'DER']),
  );
  assert.equal(toHex((await importPrivateKey(encrypted, { passphrase: PASS })).publicKey), toHex(SM2.spki));
  const pemBytes = utf8(EC.pem);
  assert.equal(toHex((await importPrivateKey(pemBytes)).publicKey), toHex(EC.spki));
});

test('SEC1 keys: EC PRIVATE KEY for P-256 and SM2 PRIVATE KEY (as OpenSSL labels SM2)', async () => {
  const ecSec1 = openssl(['ec', '-in', file('ec.pem')]).toString();
  assert.match(ecSec1, /BEGIN EC PRIVATE KEY/);
  const ecKey = await importPrivateKey(ecSec1);
  assert.equal(ecKey.alg, 'ES256');
  assert.equal(toHex(ecKey.publicKey), toHex(EC.spki));
  await assertSignsForOpenssl(ecKey, EC);

  const sm2Sec1 = openssl(['ec', '-in', file('sm2.pem')]).toString();
  assert.match(sm2Sec1, /BEGIN SM2 PRIVATE KEY/);
  const sm2Key = await importPrivateKey(sm2Sec1);
  assert.equal(sm2Key.alg, 'SM2SM3');
  assert.equal(toHex(sm2Key.publicKey), toHex(SM2.spki));
  await assertSignsForOpenssl(sm2Key, SM2);
});

test('SEC1 without a curve needs options.alg', async () => {
  const sec1 = AsnConvert.parse(pemBlock(openssl(['ec', '-in', file('sm2.pem')]).toString(), 'SM2 PRIVATE KEY'), ECPrivateKey);
  delete sec1.parameters;
  const bare = toPem('EC PRIVATE KEY', new Uint8Array(AsnConvert.serialize(sec1)));
  await assertRejectsWith(importPrivateKey(bare), 'ERR_KEY_INVALID');
  assert.equal(toHex((await importPrivateKey(bare, { alg: 'SM2SM3' })).publicKey), toHex(SM2.spki));
  await assertRejectsWith(importPrivateKey(bare, { alg: 'ES256' }), 'ERR_KEY_INVALID');
});

test('an SM2 key file whose public key is not its private key is refused', async () => {
  const info = AsnConvert.parse(pemBlock(SM2.pem, 'PRIVATE KEY'), PrivateKeyInfo);
  const ecKey = AsnConvert.parse(info.privateKey.buffer, ECPrivateKey);
  const other = new Uint8Array(32).fill(7);
  ecKey.publicKey = sm2PublicFromPrivate(other).slice().buffer;
  info.privateKey = new OctetString(AsnConvert.serialize(ecKey));
  const forged = toPem('PRIVATE KEY', new Uint8Array(AsnConvert.serialize(info)));
  await assertRejectsWith(importPrivateKey(forged), 'ERR_KEY_INVALID');
});

test('the algorithm table applies: short RSA, mismatched alg, RS256, and non-keys are refused', async () => {
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', file('rsa1024.pem')]);
  await assertRejectsWith(importPrivateKey(readFileSync(file('rsa1024.pem'), 'utf8')), 'ERR_KEY_INVALID');
  await assertRejectsWith(importPrivateKey(EC.pem, { alg: 'PS256' }), 'ERR_KEY_INVALID');
  await assertRejectsWith(importPrivateKey(SM2.pem, { alg: 'ES256' }), 'ERR_KEY_INVALID');
  await assertRejectsWith(importPrivateKey(RSA.pem, { alg: 'RS256' }), 'ERR_ALG_UNSUPPORTED');
  assert.equal((await importPrivateKey(RSA.pem, { alg: 'PS256' })).alg, 'PS256');

  const pkcs1 = openssl(['rsa', '-in', file('rsa.pem'), '-traditional']).toString();
  assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
  await assertRejectsWith(importPrivateKey(pkcs1), 'ERR_KEY_INVALID');
  await assertRejectsWith(importPrivateKey(readFileSync(RSA.pubPem, 'utf8')), 'ERR_KEY_INVALID');
  await assertRejectsWith(importPrivateKey(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])), 'ERR_KEY_INVALID');
  await assertRejectsWith(importPrivateKey(new Uint8Array(16)), 'ERR_KEY_INVALID');
});

test('export refuses an empty passphrase and too few iterations; without a passphrase it writes PRIVATE KEY', async () => {
  const key = await generateSigningKey('EdDSA');
  await assertRejectsWith(exportPrivateKeyPem(key, ''), 'ERR_INVALID_INPUT');
  await assertRejectsWith(exportPrivateKeyPem(key, PASS, { iterations: 999 }), 'ERR_INVALID_INPUT');
  const pem = await exportPrivateKeyPem(key);
  assert.match(pem, /^-----BEGIN PRIVATE KEY-----/);
  const spki = openssl(['pkey', '-pubout', '-outform', 'DER'], pem);
  assert.equal(toHex(new Uint8Array(spki)), toHex(key.publicKey));
});
