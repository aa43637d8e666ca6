/**
 * Independent check: OpenSSL, not our code, verifies the seal maker's signature over DER(SES_SealInfo)
 * and the signer's over DER(TBS_Sign), with SM3 and distinguishing ID 1234567812345678 (STANDARDS-CN
 * §2.3). The signed bytes and the signature values are cut out of the DER with `openssl asn1parse`,
 * and the public keys come out of the certificates with `openssl x509`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8 } from '../bytes.js';
import { corpusPath } from '../../test-support/corpora.js';
import { signSesSignature } from './sign-ses-signature.js';
import { buildSealPki, makeSeal } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'elicense-seal-openssl-'));
const file = (name: string) => join(dir, name);

interface Item {
  readonly offset: number;
  readonly depth: number;
  readonly headerLength: number;
  readonly length: number;
  readonly kind: string;
}

/** The top-level items of a DER file, as OpenSSL reads them. */
function topLevelItems(path: string): Item[] {
  const out = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', path]).toString();
  return out
    .split('\n')
    .map((line) => /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(?:prim|cons):\s+(\S+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ offset: Number(m[1]), depth: Number(m[2]), headerLength: Number(m[3]), length: Number(m[4]), kind: m[5]! }))
    .filter((item) => item.depth === 1);
}

const whole = (bytes: Uint8Array, item: Item) => bytes.subarray(item.offset, item.offset + item.headerLength + item.length);
/** A BIT STRING's value without its unused-bits octet: here the DER SEQUENCE { r, s }. */
const bits = (bytes: Uint8Array, item: Item) => bytes.subarray(item.offset + item.headerLength + 1, item.offset + item.headerLength + item.length);

function publicKeyPem(certificateDer: Uint8Array, name: string): string {
  writeFileSync(file(`${name}.cer`), certificateDer);
  const pem = file(`${name}.pub.pem`);
  execFileSync('openssl', ['x509', '-inform', 'DER', '-in', file(`${name}.cer`), '-pubkey', '-noout', '-out', pem]);
  return pem;
}

function opensslVerifies(pubPem: string, message: Uint8Array, signature: Uint8Array, name: string): boolean {
  writeFileSync(file(`${name}.msg`), message);
  writeFileSync(file(`${name}.sig`), signature);
  const run = spawnSync('openssl', ['dgst', '-sm3', '-verify', pubPem, '-sigopt', 'distid:1234567812345678', '-signature', file(`${name}.sig`), file(`${name}.msg`)]);
  return run.status === 0 && run.stdout.toString().includes('Verified OK');
}

/** SESeal v4 = { eSealInfo, cert, signAlgID, signedValue }; checks the maker signature and returns the items. */
function checkSeal(seal: Uint8Array, name: string, makerCertificate: Uint8Array): void {
  writeFileSync(file(`${name}.esl`), seal);
  const [info, , alg, value] = topLevelItems(file(`${name}.esl`));
  assert.equal(info?.kind, 'SEQUENCE');
  assert.equal(alg?.kind, 'OBJECT');
  assert.equal(value?.kind, 'BIT');
  const pub = publicKeyPem(makerCertificate, `${name}-maker`);
  assert.equal(opensslVerifies(pub, whole(seal, info!), bits(seal, value!), `${name}-seal`), true, 'OpenSSL verifies the maker signature');
  const changed = whole(seal, info!).slice();
  changed[changed.length - 1]! ^= 1;
  assert.equal(opensslVerifies(pub, changed, bits(seal, value!), `${name}-seal-changed`), false);
}

test('OpenSSL verifies our seal maker signature over DER(SES_SealInfo) and our SES signature over DER(TBS_Sign)', async () => {
  const pki = await buildSealPki();
  const seal = await makeSeal(pki, { extDatas: [{ oid: '1.2.3.4', value: utf8('x') }] });
  checkSeal(seal, 'ours', pki.maker.certificates[0]!);

  const signature = await signSesSignature({ seal, signer: pki.signer, data: utf8('document'), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', timeInfo: new Date('2026-05-20T02:00:00Z') });
  writeFileSync(file('ours.dat'), signature);
  const [toSign, cert, alg, value] = topLevelItems(file('ours.dat'));
  assert.equal(cert?.kind, 'OCTET');
  assert.equal(alg?.kind, 'OBJECT');
  const pub = publicKeyPem(pki.chain.leaf, 'signer');
  assert.equal(opensslVerifies(pub, whole(signature, toSign!), bits(signature, value!), 'ours-tbs'), true, 'OpenSSL verifies the SES signature');
  // With OpenSSL 3.0's default empty ID it must not verify: the ID is really in Z_A.
  writeFileSync(file('tbs.msg'), whole(signature, toSign!));
  writeFileSync(file('tbs.sig'), bits(signature, value!));
  assert.notEqual(spawnSync('openssl', ['dgst', '-sm3', '-verify', pub, '-signature', file('tbs.sig'), file('tbs.msg')]).status, 0);
  // The certificate in the signature is the signer's, byte for byte.
  assert.deepEqual(new Uint8Array(readFileSync(file('ours.dat'))).subarray(cert!.offset + cert!.headerLength, cert!.offset + cert!.headerLength + cert!.length), pki.chain.leaf);
});

test('the same OpenSSL procedure accepts a real government seal (淄博市周村区自然资源局), so it checks what GB/T 38540 signs', () => {
  const der = new Uint8Array(execFileSync('unzip', ['-p', corpusPath('ofd-sealed/ofdrw-layout--keyword.ofd'), 'Doc_0/Signs/Sign_1/Seal.esl']));
  writeFileSync(file('real.esl'), der);
  const [, cert] = topLevelItems(file('real.esl'));
  checkSeal(der, 'real', der.subarray(cert!.offset + cert!.headerLength, cert!.offset + cert!.headerLength + cert!.length));
});
