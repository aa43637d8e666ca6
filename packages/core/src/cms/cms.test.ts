import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromHex, toHex, utf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { toPem } from '../crypto/pem.js';
import { exportPrivateKeyPem } from '../crypto/pkcs8.js';
import { createSigner } from '../crypto/signer.js';
import { sm3 } from '../crypto/sm3.js';
import { createIssuerCertificate } from '../pki/ca.js';
import { parseCertificate } from '../pki/certificate.js';
import { buildTestChain, ISSUING_OFFICE, TEST_TIMES, type TestChain } from '../pki/testing.js';
import type { Check } from '../verify/report.js';
import { encodeSignedData, encodeSignerInfo } from './build-signed-data.js';
import { sequence } from './der-build.js';
import { issuerAndSerialNumber } from './signer-identifier.js';
import { rawSignatureToDer } from '../crypto/ecdsa-der.js';
import { encodeOid } from '../pki/der.js';
import { digestAlgorithmIdentifier } from './digest-algorithms.js';
import { corpusPath } from '../../test-support/corpora.js';
import {
  CMS_OID,
  addUnsignedAttribute,
  cmsDigestAlgorithm,
  computeDigest,
  parseCmsSignedData,
  prepareCmsSignature,
  signCmsDetached,
  verifyCmsSignature,
  MAX_CMS_BYTES,
} from './index.js';

const run = promisify(execFile);
const ALGS: readonly SignatureAlgorithm[] = ['ES256', 'PS256', 'EdDSA', 'SM2SM3'];
const chains = new Map<SignatureAlgorithm, Promise<TestChain>>();
const chainFor = (alg: SignatureAlgorithm): Promise<TestChain> => {
  if (!chains.has(alg)) chains.set(alg, buildTestChain({ root: alg, ca: alg, leaf: alg }));
  return chains.get(alg)!;
};
const signerFor = async (alg: SignatureAlgorithm) => {
  const chain = await chainFor(alg);
  return createSigner(chain.leafKey, [chain.leaf, chain.ca]);
};
const CONTENT = utf8('%PDF-1.7 电子证照 byte range stand-in\n');

function byId(checks: readonly Check[]): Record<string, Check> {
  return Object.fromEntries(checks.map((c) => [c.id, c]));
}

function allPassed(checks: readonly Check[]): void {
  for (const check of checks) assert.equal(check.indication, 'TOTAL_PASSED', `${check.id}: ${check.message}`);
}

async function withTemp<T>(body: (path: (name: string) => string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'elicense-cms-'));
  try {
    return await body((name) => join(dir, name));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function hasCommand(command: string): Promise<boolean> {
  return run(command, ['--version']).then(
    () => true,
    () => false,
  );
}

test('signCmsDetached: every algorithm verifies with our verifier, all six checks passed', async () => {
  for (const alg of ALGS) {
    const cms = await signCmsDetached({ content: CONTENT }, await signerFor(alg));
    const result = await verifyCmsSignature(cms, { content: CONTENT });
    assert.equal(result.signers.length, 1);
    const signer = result.signers[0]!;
    assert.deepEqual(
      signer.checks.map((c) => c.id),
      ['cms.signer-certificate', 'cms.algorithms', 'cms.signed-attributes', 'cms.message-digest', 'cms.signature', 'cms.signing-certificate'],
    );
    allPassed(result.checks);
    assert.equal(signer.signatureAlgorithm, alg);
    assert.equal(signer.digestAlgorithm, cmsDigestAlgorithm(alg));
    assert.equal(signer.certificate?.subject, parseCertificate((await chainFor(alg)).leaf).subject);
    assert.deepEqual([...signer.signedAttributes].sort(), [CMS_OID.contentType, CMS_OID.messageDigest, CMS_OID.signingCertificateV2].sort());
    assert.equal(result.signedData.encapsulatedContent, undefined, 'detached');
    assert.equal(result.signedData.certificates.length, 2);
  }
});

test('digest algorithms follow the table: SHA-256 for ES256/PS256, SHA-512 for Ed25519 (RFC 8419), SM3 for SM2', async () => {
  assert.equal(cmsDigestAlgorithm('ES256'), 'SHA-256');
  assert.equal(cmsDigestAlgorithm('PS256'), 'SHA-256');
  assert.equal(cmsDigestAlgorithm('EdDSA'), 'SHA-512');
  assert.equal(cmsDigestAlgorithm('SM2SM3'), 'SM3');
  const parsed = parseCmsSignedData(await signCmsDetached({ content: CONTENT }, await signerFor('SM2SM3')));
  const info = parsed.signerInfos[0]!;
  assert.equal(info.digestAlgorithmOid, '1.2.156.10197.1.401');
  assert.equal(info.signatureAlgorithmOid, '1.2.156.10197.1.501', 'the standard SM2-with-SM3 OID, not 1.2.156.10197.1.301.1');
  const pss = parseCmsSignedData(await signCmsDetached({ content: CONTENT }, await signerFor('PS256'))).signerInfos[0]!;
  assert.equal(pss.signatureAlgorithmOid, '1.2.840.113549.1.1.10');
});

test('OpenSSL verifies ES256 and PS256 CMS against the root CA (openssl cms -verify -binary -purpose any)', async () => {
  await withTemp(async (path) => {
    for (const alg of ['ES256', 'PS256'] as const) {
      const chain = await chainFor(alg);
      await writeFile(path('data'), CONTENT);
      await writeFile(path('root.pem'), toPem('CERTIFICATE', chain.root));
      await writeFile(path(`${alg}.der`), await signCmsDetached({ content: CONTENT }, await signerFor(alg)));
      const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path(`${alg}.der`), '-CAfile', path('root.pem'), '-purpose', 'any', '-out', '/dev/null'];
      const ok = await run('openssl', [...args, '-content', path('data')]);
      assert.match(ok.stderr, /Verification successful/);
      await writeFile(path('tampered'), utf8('%PDF-1.7 tampered'));
      await assert.rejects(run('openssl', [...args, '-content', path('tampered')]), /Verification failure/);
    }
  });
});

test('GnuTLS certtool verifies Ed25519 (and ES256, PS256) CMS with the chain', async () => {
  assert.ok(await hasCommand('certtool'), 'certtool is needed (apt-get install gnutls-bin; .ci/run installs it)');
  await withTemp(async (path) => {
    for (const alg of ['EdDSA', 'ES256', 'PS256'] as const) {
      const chain = await chainFor(alg);
      await writeFile(path('data'), CONTENT);
      await writeFile(path('root.pem'), toPem('CERTIFICATE', chain.root));
      await writeFile(path('sig.der'), await signCmsDetached({ content: CONTENT }, await signerFor(alg)));
      const args = ['--p7-verify', '--inder', '--infile', path('sig.der'), '--load-ca-certificate', path('root.pem')];
      const ok = await run('certtool', [...args, '--load-data', path('data')]);
      assert.match(ok.stderr, /Signature status: ok/, alg);
      await writeFile(path('data'), utf8('other'));
      await assert.rejects(run('certtool', [...args, '--load-data', path('data')]), /verification failed/, alg);
    }
  });
});

test('SM2: OpenSSL checks our signature over the signed attributes with distid 1234567812345678 and our SM3 message digest', async () => {
  const chain = await chainFor('SM2SM3');
  const cms = await signCmsDetached({ content: CONTENT }, await signerFor('SM2SM3'));
  const info = parseCmsSignedData(cms).signerInfos[0]!;
  await withTemp(async (path) => {
    await writeFile(path('key.pem'), await exportPrivateKeyPem(chain.leafKey));
    await run('openssl', ['pkey', '-in', path('key.pem'), '-pubout', '-out', path('pub.pem')]);
    await writeFile(path('attrs.der'), info.signedAttributesDer!);
    await writeFile(path('sig.der'), info.signature);
    const verify = ['pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pubin', '-inkey', path('pub.pem'), '-in', path('attrs.der'), '-sigfile', path('sig.der')];
    const { stdout } = await run('openssl', [...verify, '-pkeyopt', 'distid:1234567812345678']);
    assert.match(stdout, /Signature Verified Successfully/);
    // OpenSSL 3.0's default (empty) ID is not the standard one: this is why `openssl cms -verify` rejects SM2 CMS.
    await assert.rejects(run('openssl', verify));
    await writeFile(path('data'), CONTENT);
    const { stdout: dgst } = await run('openssl', ['dgst', '-sm3', '-r', path('data')]);
    const messageDigest = info.signedAttributes!.find((a) => a.oid === CMS_OID.messageDigest)!.values[0]!;
    assert.equal(toHex(messageDigest.subarray(2)), dgst.split(' ')[0]);
  });
});

test('staged signing: the signed attributes go to an outside signer and come back as raw r‖s or DER', async () => {
  const chain = await chainFor('ES256');
  const contentDigest = await computeDigest('SHA-256', CONTENT);
  const prepared = await prepareCmsSignature({ certificates: [chain.leaf, chain.ca], alg: 'ES256', contentDigest, signingTime: new Date('2026-06-01T08:00:00Z') });
  assert.equal(prepared.digestAlgorithm, 'SHA-256');
  assert.equal(prepared.signedAttributes[0], 0x31, 'the SET OF encoding is what gets signed');
  const raw = await chain.leafKey.sign(prepared.signedAttributes);
  const fromRaw = prepared.complete(raw);
  const result = await verifyCmsSignature(fromRaw, { contentDigest });
  allPassed(result.checks);
  assert.equal(result.signers[0]!.signingTime?.toISOString(), '2026-06-01T08:00:00.000Z');

  // An HSM hands back DER SEQUENCE { r, s }: accepted as is, same verification.
  const fromDer = prepared.complete(rawSignatureToDer(raw));
  assert.deepEqual(fromDer, fromRaw);
  assert.throws(() => prepared.complete(new Uint8Array(70)), (e) => isElicenseError(e));

  await assert.rejects(
    prepareCmsSignature({ certificates: [chain.leaf], alg: 'ES256', contentDigest: new Uint8Array(20) }),
    (e) => isElicenseError(e, 'ERR_INVALID_INPUT'),
  );
  await assert.rejects(
    prepareCmsSignature({ certificates: [chain.leaf], alg: 'SM2SM3', content: CONTENT }),
    (e) => isElicenseError(e, 'ERR_KEY_INVALID'),
    'an SM2 signature cannot be prepared for a P-256 certificate',
  );
  await assert.rejects(
    prepareCmsSignature({ certificates: [chain.leaf], alg: 'ES256', content: CONTENT, extraSignedAttributes: [{ oid: CMS_OID.messageDigest, values: [new Uint8Array([4, 0])] }] }),
    (e) => isElicenseError(e, 'ERR_INVALID_INPUT'),
  );
});

test('the ESS signing-certificate-v2 attribute holds SHA-256 of the signer certificate and its issuer and serial', async () => {
  const chain = await chainFor('ES256');
  const cms = await signCmsDetached({ content: CONTENT }, await signerFor('ES256'));
  const attr = parseCmsSignedData(cms).signerInfos[0]!.signedAttributes!.find((a) => a.oid === CMS_OID.signingCertificateV2)!;
  const hex = toHex(attr.values[0]!);
  assert.ok(hex.includes(toHex(await computeDigest('SHA-256', chain.leaf))));
  assert.ok(hex.includes(toHex(parseCertificate(chain.leaf).issuerDer)));
  assert.ok(hex.includes(parseCertificate(chain.leaf).serialNumber));
});

test('tampering fails: changed content, changed signed attribute, swapped certificate, same-key certificate swap', async () => {
  for (const alg of ['ES256', 'SM2SM3'] as const) {
    const chain = await chainFor(alg);
    const cms = await signCmsDetached({ content: CONTENT }, await signerFor(alg));

    const changedContent = byId((await verifyCmsSignature(cms, { content: utf8('%PDF-1.7 changed') })).checks);
    assert.equal(changedContent['cms.message-digest']!.subIndication, 'HASH_FAILURE');
    assert.equal(changedContent['cms.signature']!.indication, 'TOTAL_PASSED', 'the attributes themselves are intact');

    // Flip one bit inside the signing-certificate-v2 hash: a signed attribute, not the message digest.
    const certHash = toHex(await computeDigest('SHA-256', chain.leaf));
    const at = toHex(cms).indexOf(certHash) / 2;
    const changedAttribute = cms.slice();
    changedAttribute[at + 5]! ^= 0x01;
    const attributeChecks = byId((await verifyCmsSignature(changedAttribute, { content: CONTENT })).checks);
    assert.equal(attributeChecks['cms.message-digest']!.indication, 'TOTAL_PASSED');
    assert.equal(attributeChecks['cms.signature']!.subIndication, 'SIG_CRYPTO_FAILURE');
    assert.equal(attributeChecks['cms.signing-certificate']!.indication, 'TOTAL_FAILED');

    // Another certificate with the signer's issuer and serial number: a different key, so nothing binds.
    const leaf = parseCertificate(chain.leaf);
    const otherKey = (await buildTestChain({ root: alg, ca: alg, leaf: alg })).leafKey;
    const impostor = await createIssuerCertificate({
      issuerCertificate: chain.ca, issuerKey: chain.caKey, subjectPublicKey: otherKey.publicKey, subject: ISSUING_OFFICE,
      notBefore: TEST_TIMES.notBefore, notAfter: TEST_TIMES.notAfter, serialNumber: leaf.serialNumber,
    });
    const swapped = withCertificates(cms, [impostor, chain.ca]);
    const swappedChecks = byId((await verifyCmsSignature(swapped, { content: CONTENT })).checks);
    assert.equal(swappedChecks['cms.signer-certificate']!.indication, 'TOTAL_PASSED');
    assert.equal(swappedChecks['cms.signature']!.indication, 'TOTAL_FAILED');
    assert.equal(swappedChecks['cms.signing-certificate']!.indication, 'TOTAL_FAILED');

    // Same key, same serial, different certificate: the signature still verifies, only ESS catches it.
    const reissued = await createIssuerCertificate({
      issuerCertificate: chain.ca, issuerKey: chain.caKey, subjectPublicKey: chain.leafKey.publicKey, subject: { ...ISSUING_OFFICE, commonName: 'substituted' },
      notBefore: TEST_TIMES.notBefore, notAfter: TEST_TIMES.notAfter, serialNumber: leaf.serialNumber,
    });
    const reissuedChecks = byId((await verifyCmsSignature(withCertificates(cms, [reissued, chain.ca]), { content: CONTENT })).checks);
    assert.equal(reissuedChecks['cms.signature']!.indication, 'TOTAL_PASSED');
    assert.equal(reissuedChecks['cms.signing-certificate']!.subIndication, 'SIG_CONSTRAINTS_FAILURE');

    const noCertificates = byId((await verifyCmsSignature(withCertificates(cms, [chain.ca]), { content: CONTENT })).checks);
    assert.equal(noCertificates['cms.signer-certificate']!.subIndication, 'NO_SIGNING_CERTIFICATE_FOUND');
    assert.equal(noCertificates['cms.signature']!.indication, 'INDETERMINATE');
  }
});

/** The same SignerInfo in a SignedData that embeds other certificates. */
function withCertificates(cms: Uint8Array, certificates: readonly Uint8Array[]): Uint8Array {
  const parsed = parseCmsSignedData(cms);
  const info = parsed.signerInfos[0]!;
  return encodeSignedData({
    digestAlgorithm: digestAlgorithmIdentifier(info.digestAlgorithm!),
    contentType: parsed.encapsulatedContentType,
    certificates,
    signerInfo: info.der,
  });
}

test('a digest algorithm that does not fit the signature algorithm, or a detached signature without its content, never passes', async () => {
  const cms = await signCmsDetached({ content: CONTENT }, await signerFor('ES256'));
  // Swap the SignerInfo's SHA-256 identifier for SHA-512 (same length: 0x01 -> 0x03 in the last OID arc).
  const sha256Id = toHex(digestAlgorithmIdentifier('SHA-256'));
  const hex = toHex(cms);
  const signerInfoAt = hex.lastIndexOf(sha256Id);
  const mismatched = fromHex(hex.slice(0, signerInfoAt) + toHex(digestAlgorithmIdentifier('SHA-512')) + hex.slice(signerInfoAt + sha256Id.length));
  const checks = byId((await verifyCmsSignature(mismatched, { content: CONTENT })).checks);
  assert.equal(checks['cms.algorithms']!.indication, 'TOTAL_FAILED');
  assert.equal(checks['cms.algorithms']!.subIndication, 'CRYPTO_CONSTRAINTS_FAILURE');

  const detachedNoContent = byId((await verifyCmsSignature(cms)).checks);
  assert.equal(detachedNoContent['cms.message-digest']!.subIndication, 'SIGNED_DATA_NOT_FOUND');
});

test('addUnsignedAttribute adds a signature time-stamp without disturbing what is signed', async () => {
  await withTemp(async (path) => {
    const chain = await chainFor('ES256');
    const cms = await signCmsDetached({ content: CONTENT }, await signerFor('ES256'));
    const token = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x07]);
    const stamped = addUnsignedAttribute(cms, CMS_OID.signatureTimeStampToken, token);
    const twice = addUnsignedAttribute(stamped, CMS_OID.signatureTimeStampToken, new Uint8Array([0x30, 0x00]));
    const result = await verifyCmsSignature(twice, { content: CONTENT });
    allPassed(result.checks);
    assert.equal(result.signers[0]!.timestampTokens.length, 2);
    assert.ok(result.signers[0]!.timestampTokens.some((t) => toHex(t) === toHex(token)));
    assert.deepEqual(result.signers[0]!.signatureValue, parseCmsSignedData(cms).signerInfos[0]!.signature);
    await writeFile(path('data'), CONTENT);
    await writeFile(path('root.pem'), toPem('CERTIFICATE', chain.root));
    await writeFile(path('sig.der'), twice);
    const { stderr } = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path('sig.der'), '-content', path('data'), '-CAfile', path('root.pem'), '-purpose', 'any', '-out', '/dev/null']);
    assert.match(stderr, /Verification successful/);
    assert.throws(() => addUnsignedAttribute(cms, CMS_OID.signatureTimeStampToken, new Uint8Array([0x30, 0x05])), (e) => isElicenseError(e, 'ERR_ASN1_INVALID'));
    assert.throws(() => addUnsignedAttribute(cms, CMS_OID.signatureTimeStampToken, token, 1), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
  });
});

test('hostile input: clear ElicenseErrors, bounded sizes, zero padding only when asked', async () => {
  const cms = await signCmsDetached({ content: CONTENT }, await signerFor('ES256'));
  const padded = new Uint8Array(cms.length + 4096);
  padded.set(cms);
  assert.throws(() => parseCmsSignedData(padded), (e) => isElicenseError(e, 'ERR_ASN1_INVALID'));
  assert.equal(parseCmsSignedData(padded, { allowZeroPadding: true }).signerInfos.length, 1);
  const garbage = padded.slice();
  garbage[garbage.length - 1] = 1;
  assert.throws(() => parseCmsSignedData(garbage, { allowZeroPadding: true }), (e) => isElicenseError(e, 'ERR_ASN1_INVALID'));
  assert.throws(() => parseCmsSignedData(new Uint8Array(MAX_CMS_BYTES + 1)), (e) => isElicenseError(e, 'ERR_INPUT_TOO_LARGE'));
  for (const bad of [new Uint8Array(0), Uint8Array.of(0x30), Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff), Uint8Array.of(0x30, 0x80, 0, 0), cms.subarray(0, cms.length - 1)]) {
    assert.throws(() => parseCmsSignedData(bad), (e) => isElicenseError(e), toHex(bad.subarray(0, 8)));
  }
  const deep = new Uint8Array(400);
  for (let i = 0; i < 200; i++) [deep[i * 2], deep[i * 2 + 1]] = [0x30, 398 - i * 2 > 127 ? 0 : 398 - i * 2];
  assert.throws(() => parseCmsSignedData(deep), (e) => isElicenseError(e));

  // Every single-byte corruption either parses to a result with a failed or indeterminate check, or is an ElicenseError.
  const random = new Uint32Array(600);
  crypto.getRandomValues(random);
  let failedOrRejected = 0;
  for (let i = 0; i < random.length; i++) {
    const mutated = cms.slice();
    const index = random[i]! % mutated.length;
    mutated[index] = mutated[index]! ^ (1 + (i % 255));
    try {
      const result = await verifyCmsSignature(mutated, { content: CONTENT });
      if (result.checks.some((c) => c.indication !== 'TOTAL_PASSED')) failedOrRejected++;
    } catch (error) {
      assert.ok(isElicenseError(error), `byte ${index}: ${String(error)}`);
      failedOrRejected++;
    }
  }
  // Bytes in the unsigned CA certificate may change without touching the signer: most changes must still be caught.
  assert.ok(failedOrRejected > random.length * 0.6, `${failedOrRejected} of ${random.length} corruptions caught`);
});

test('GB/T 35275 SignedData from a real OFD (keyword.ofd Sign_3) parses; its SM2 signature over the eContent verifies', async () => {
  const ofd = corpusPath('ofd-sealed/ofdrw-layout--keyword.ofd');
  const unzip = async (entry: string) =>
    new Uint8Array((await promisify(execFile)('unzip', ['-p', ofd, entry], { encoding: 'buffer', maxBuffer: 1 << 22 })).stdout);
  const signedValue = await unzip('Doc_0/Signs/Sign_3/SignedValue.dat');
  const signatureXml = await unzip('Doc_0/Signs/Sign_3/Signature.xml');
  const parsed = parseCmsSignedData(signedValue);
  assert.equal(parsed.contentType, CMS_OID.gbSignedData);
  assert.equal(parsed.encapsulatedContentType, CMS_OID.gbData);
  assert.deepEqual(parsed.encapsulatedContent, sm3(signatureXml), 'eContent is SM3(Signature.xml)');
  const result = await verifyCmsSignature(parsed);
  const signer = result.signers[0]!;
  const checks = byId(signer.checks);
  assert.equal(signer.signatureAlgorithm, 'SM2SM3');
  assert.equal(signer.signatureValue.length, 64, 'a bare r‖s, not DER');
  assert.equal(signer.signatureValid, true);
  assert.equal(checks['cms.signature']!.indication, 'TOTAL_PASSED');
  assert.match(signer.certificate!.subject, /淄博市周村区自然资源局/);
  // Without signed attributes it is not a CAdES signature: those checks fail, they never pass.
  assert.equal(checks['cms.signed-attributes']!.indication, 'TOTAL_FAILED');
  assert.equal(checks['cms.signing-certificate']!.indication, 'TOTAL_FAILED');
  const tampered = signedValue.slice();
  tampered[parsed.der.length - 1]! ^= 0x01;
  assert.equal((await verifyCmsSignature(tampered)).signers[0]!.signatureValid, false);
});

test('a detached CAdES CMS made by OpenSSL (ES256, RSA PKCS#1 v1.5) verifies with our verifier', async () => {
  await withTemp(async (path) => {
    const chain = await chainFor('ES256');
    await writeFile(path('key.pem'), await exportPrivateKeyPem(chain.leafKey));
    await writeFile(path('cert.pem'), toPem('CERTIFICATE', chain.leaf));
    await writeFile(path('data'), CONTENT);
    await run('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-in', path('data'), '-signer', path('cert.pem'), '-inkey', path('key.pem'), '-cades', '-outform', 'DER', '-out', path('sig.der')]);
    const result = await verifyCmsSignature(new Uint8Array(await readFile(path('sig.der'))), { content: CONTENT });
    allPassed(result.checks);
    assert.ok(result.signers[0]!.signingTime instanceof Date, 'OpenSSL adds signing-time');

    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path('rsa.key'), '-out', path('rsa.pem'), '-subj', '/CN=rsa', '-days', '2']);
    await run('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-in', path('data'), '-signer', path('rsa.pem'), '-inkey', path('rsa.key'), '-cades', '-outform', 'DER', '-out', path('rsa.der')]);
    const rsa = await verifyCmsSignature(new Uint8Array(await readFile(path('rsa.der'))), { content: CONTENT });
    assert.equal(rsa.signers[0]!.signatureAlgorithm, 'RS256');
    allPassed(rsa.checks);
  });
});

test('SM2 signatures under the SM2-1 OID 1.2.156.10197.1.301.1 are accepted when verifying', async () => {
  const chain = await chainFor('SM2SM3');
  const prepared = await prepareCmsSignature({ certificates: [chain.leaf], alg: 'SM2SM3', content: CONTENT });
  const signature = rawSignatureToDer(await chain.leafKey.sign(prepared.signedAttributes));
  const signerInfo = encodeSignerInfo({
    signerIdentifier: issuerAndSerialNumber(parseCertificate(chain.leaf)),
    digestAlgorithm: digestAlgorithmIdentifier('SM3'),
    signedAttributes: prepared.signedAttributes,
    signatureAlgorithm: sequence(encodeOid('1.2.156.10197.1.301.1')),
    signature,
  });
  const cms = encodeSignedData({ digestAlgorithm: digestAlgorithmIdentifier('SM3'), contentType: CMS_OID.data, certificates: [chain.leaf], signerInfo });
  const result = await verifyCmsSignature(cms, { content: CONTENT });
  assert.equal(result.signers[0]!.signatureAlgorithmOid, '1.2.156.10197.1.301.1');
  assert.equal(result.signers[0]!.signatureAlgorithm, 'SM2SM3');
  allPassed(result.checks);
});
