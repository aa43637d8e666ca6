/**
 * Regression tests on the real sealed OFD files in ../shared/corpora/ofd-sealed (government and vendor
 * seals, STANDARDS-CN §1.6): the SES_Signature and seal inside each are read with `unzip -p`, exactly
 * as stored. Without their trust anchors every cryptographic check passes and the chains are
 * INDETERMINATE; one changed byte in the seal, the signature or the document fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { corpusPath } from '../../test-support/corpora.js';
import { worstOf, type Check } from '../verify/report.js';
import { parseSesSeal } from './parse-ses-seal.js';
import { parseSesSignature } from './parse-ses-signature.js';
import { verifySesSeal } from './verify-ses-seal.js';
import { verifySesSignature } from './verify-ses-signature.js';

const AT = new Date('2026-06-01T00:00:00Z');
const CRYPTO_CHECKS = ['ses.format', 'ses.signature', 'ses.signer-in-seal', 'ses.seal-signature', 'ses.seal-validity', 'ses.data-hash'];

function entry(file: string, path: string): Uint8Array {
  return new Uint8Array(execFileSync('unzip', ['-p', corpusPath(`ofd-sealed/${file}`), path], { maxBuffer: 16 << 20 }));
}

function byId(checks: readonly Check[]): Record<string, Check> {
  return Object.fromEntries(checks.map((c) => [c.id, c]));
}

const VALID_V4: { file: string; sign: number; vendor: string; encoding: 'der' | 'raw'; hasSealFile: boolean }[] = [
  { file: 'ofdrw-converter--999.ofd', sign: 0, vendor: 'GOMAIN', encoding: 'der', hasSealFile: false },
  { file: 'ofdrw-converter--1.ofd', sign: 0, vendor: 'GOMAIN', encoding: 'der', hasSealFile: false },
  { file: 'ofdrw-converter--SignScaleError.ofd', sign: 0, vendor: 'antchain', encoding: 'der', hasSealFile: false },
  { file: 'ofdrw-converter--zsbk.ofd', sign: 0, vendor: 'GOMAIN', encoding: 'der', hasSealFile: true },
  { file: 'ofdrw-converter--zsbk.ofd', sign: 1, vendor: 'GOMAIN', encoding: 'der', hasSealFile: true },
  { file: 'ofdrw-layout--keyword.ofd', sign: 1, vendor: 'SHANDONG.TONGZHIWEIYE', encoding: 'raw', hasSealFile: true },
  { file: 'ofdrw-sign--v4signed.ofd', sign: 0, vendor: 'GOMAIN', encoding: 'der', hasSealFile: false },
];

for (const sample of VALID_V4) {
  const dir = `Doc_0/Signs/Sign_${sample.sign}`;
  test(`${sample.file} Sign_${sample.sign} (${sample.vendor}): every cryptographic check passes, INDETERMINATE without trust`, async () => {
    const der = entry(sample.file, `${dir}/SignedValue.dat`);
    const xml = entry(sample.file, `${dir}/Signature.xml`);
    const parsed = parseSesSignature(der);
    assert.equal(parsed.version, 4);
    assert.equal(parsed.seal.header.vendorId, sample.vendor);
    assert.equal(parsed.signature.encoding, sample.encoding);
    assert.equal(parsed.propertyInfo, `/${dir}/Signature.xml`);
    if (sample.hasSealFile) assert.deepEqual(parseSesSeal(entry(sample.file, `${dir}/Seal.esl`)).der, parsed.seal.der, 'Seal.esl is the embedded seal');

    const result = await verifySesSignature(der, { at: AT, data: xml });
    const checks = byId(result.checks);
    for (const id of CRYPTO_CHECKS) assert.equal(checks[id]?.indication, 'TOTAL_PASSED', `${id}: ${checks[id]?.message}`);
    for (const id of ['cert.chain', 'seal.cert.chain']) assert.equal(checks[id]?.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND', id);
    assert.deepEqual(worstOf(result.checks), { indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });

    const flipped = (bytes: Uint8Array, at: number) => {
      const out = bytes.slice();
      out[at]! ^= 0x01;
      return out;
    };
    const pictureAt = Buffer.from(der).indexOf(Buffer.from(parsed.seal.picture.data.subarray(0, 32))) + 40;
    const badSeal = byId((await verifySesSignature(flipped(der, pictureAt), { at: AT, data: xml })).checks);
    assert.equal(badSeal['ses.seal-signature']?.indication, 'TOTAL_FAILED');
    const badSignature = await verifySesSignature(flipped(der, der.length - 8), { at: AT, data: xml });
    assert.equal(worstOf(badSignature.checks).indication, 'TOTAL_FAILED');
    const badData = byId((await verifySesSignature(der, { at: AT, data: flipped(xml, xml.length >> 1) })).checks);
    assert.equal(badData['ses.data-hash']?.subIndication, 'HASH_FAILURE');
  });
}

test('ofdrw-reader--SESV4SignDoc.ofd: signed in 2026 with a test seal that expired in 2022, so the seal fails', async () => {
  const der = entry('ofdrw-reader--SESV4SignDoc.ofd', 'Doc_0/Signs/Sign_0/SignedValue.dat');
  const checks = byId((await verifySesSignature(der, { at: AT, data: entry('ofdrw-reader--SESV4SignDoc.ofd', 'Doc_0/Signs/Sign_0/Signature.xml') })).checks);
  for (const id of ['ses.signature', 'ses.signer-in-seal', 'ses.seal-signature', 'ses.data-hash']) assert.equal(checks[id]?.indication, 'TOTAL_PASSED', id);
  assert.equal(checks['ses.seal-validity']?.subIndication, 'EXPIRED');
});

test('ofdrw-converter--n.ofd: the v1 (GM/T 0031-2014) seal verifies under the v1 rule; its non-conformant TBS_Sign does not', async () => {
  const esl = entry('ofdrw-converter--n.ofd', 'Doc_0/Signs/Sign_0/Seal.esl');
  const seal = parseSesSeal(esl);
  assert.equal(seal.version, 1);
  assert.deepEqual(seal.header, { id: 'ES', version: 1, vendorId: 'dms360.cn' });
  assert.equal(seal.picture.type, 'PNG');
  const sealChecks = byId((await verifySesSeal(esl, { at: new Date('2024-06-01T00:00:00Z') })).checks);
  assert.equal(sealChecks['ses.seal-signature']?.indication, 'TOTAL_PASSED', sealChecks['ses.seal-signature']?.message);
  assert.equal(sealChecks['ses.seal-validity']?.indication, 'TOTAL_PASSED');
  const flipped = esl.slice();
  flipped[200]! ^= 0x01;
  assert.equal(byId((await verifySesSeal(flipped, { at: new Date('2024-06-01T00:00:00Z') })).checks)['ses.seal-signature']?.indication, 'TOTAL_FAILED');

  const der = entry('ofdrw-converter--n.ofd', 'Doc_0/Signs/Sign_0/SignedValue.dat');
  const result = await verifySesSignature(der, { at: AT, data: entry('ofdrw-converter--n.ofd', 'Doc_0/Signs/Sign_0/Signature.xml') });
  assert.equal(result.version, 1);
  assert.equal(result.signingTime?.toISOString(), '2020-01-25T07:31:56.377Z');
  const checks = byId(result.checks);
  assert.equal(checks['ses.seal-signature']?.indication, 'TOTAL_PASSED');
  assert.equal(checks['ses.signature']?.indication, 'TOTAL_FAILED', 'STANDARDS-CN §1.6: no method verifies this TBS_Sign');
  assert.equal(worstOf(result.checks).indication, 'TOTAL_FAILED');
});
