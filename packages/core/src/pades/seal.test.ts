import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../bytes.js';
import { toPem } from '../crypto/pem.js';
import { cmsDigestAlgorithm, parseCmsSignedData, signCmsDetached } from '../cms/index.js';
import type { Signer } from '../crypto/signer.js';
import { sm3 } from '../crypto/sm3.js';
import { DOMESTIC_JWS_ALGORITHMS } from '../jws/header.js';
import { signLicenseCompact } from '../jws/sign-license.js';
import type { LicenseCredential } from '../license/credential.js';
import { defaultLicenseTypeRegistry } from '../license/registry.js';
import { sampleOfficeLicense } from '../license/testing.js';
import { TEST_TIMES, ISSUING_OFFICE } from '../pki/testing.js';
import { drawOfficialSeal, renderLicensePdf, type OfficialSealOptions } from '../pdf/render/index.js';
import { preparePdfSignature } from '../pdf/sign/index.js';
import { analyzePdfSignatures, digestSignedChunks } from '../pdf/verify/index.js';
import { officialSealPicture } from '../seal/seal-picture.js';
import { buildSealPki, makeSeal, sealTrust, type SealPki } from '../seal/testing.js';
import type { TrustedSeal } from '../trust/trust-list.js';
import type { TrustInput } from '../verify/options.js';
import type { VerificationReport } from '../verify/report.js';
import { verifyLicenseJws } from '../verify/verify-license-jws.js';
import { issueLicensePdf, verifyLicensePdf } from './index.js';
import { readSealAttribute, sealAttribute, SEAL_ATTRIBUTE_OID } from './seal-attribute.js';

const font = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')));
const type = defaultLicenseTypeRegistry.get('11100000000013338W032');
const signingTime = new Date('2026-05-20T02:00:00Z');
const LOOK: OfficialSealOptions = { organizationName: ISSUING_OFFICE.organizationName, centerText: '电子证照专用章', font };
const OTHER_LOOK: OfficialSealOptions = { ...LOOK, organizationName: '吉林省某某局' };

let pki: SealPki;
let signer: Signer;
let seal: Uint8Array;
let credential: LicenseCredential;
let signedJson: string;

function registration(status: TrustedSeal['status']): TrustedSeal {
  const picture = officialSealPicture(LOOK);
  return {
    esID: '22010000000001',
    name: '吉林省住房和城乡建设厅电子证照专用章',
    type: 1,
    pictureSm3: toHex(sm3(picture.data)),
    validStart: '2026-01-01T00:00:00Z',
    validEnd: '2028-01-01T00:00:00Z',
    status,
  };
}

function verifyPdf(pdf: Uint8Array, trust: TrustInput): Promise<VerificationReport> {
  return verifyLicensePdf(pdf, { at: TEST_TIMES.at, status: 'waived', algorithms: DOMESTIC_JWS_ALGORITHMS, trust, crls: pki.crls });
}

function problems(report: VerificationReport): string {
  return report.checks.filter((c) => c.indication !== 'TOTAL_PASSED').map((c) => `${c.id} ${c.indication} ${c.subIndication ?? ''} ${c.message}`).join('\n');
}

function check(report: VerificationReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `${id} is reported`);
  return found;
}

async function issue(options: { sesSeal?: Uint8Array; look?: OfficialSealOptions; pdfSigner?: Signer } = {}): Promise<Uint8Array> {
  const pdfSigner = options.pdfSigner ?? signer;
  const look = options.look ?? LOOK;
  const seal = { organizationName: look.organizationName, ...(look.centerText ? { centerText: look.centerText } : {}) };
  return issueLicensePdf({ credential, type, signedJson, qrText: 'https://verify.elicense.example/v1', font, signer: pdfSigner, signingTime, seal, ...(options.sesSeal ? { sesSeal: options.sesSeal } : {}) });
}

before(async () => {
  pki = await buildSealPki();
  signer = pki.signer;
  seal = await makeSeal(pki, { picture: officialSealPicture(LOOK) });
  credential = sampleOfficeLicense(type);
  signedJson = await signLicenseCompact(credential, signer);
});

test('a sealed license PDF carries the SESeal as a signed attribute and verifies every seal check', async () => {
  const pdf = await issue({ sesSeal: seal });
  const report = await verifyPdf(pdf, await sealTrust(pki, [registration('active')]));
  assert.equal(report.indication, 'TOTAL_PASSED', problems(report));
  for (const id of ['seal.present', 'seal.format', 'seal.signature', 'seal.validity', 'seal.signer-in-seal', 'trust.seal-status', 'seal.issuer', 'seal.appearance', 'seal.cert.chain', 'seal.cert.revocation']) {
    assert.equal(check(report, id).indication, 'TOTAL_PASSED', id);
  }
  // The attribute is signed: it sits in the SignerInfo's signed attributes, the SESeal byte for byte.
  const cms = (await analyzePdfSignatures(pdf)).signatures[0]!.cms!;
  const info = parseCmsSignedData(cms).signerInfos[0]!;
  const binding = readSealAttribute(info.signedAttributes);
  assert.deepEqual(binding?.seal, seal);
  assert.deepEqual(binding?.appearanceSm3, sm3(new TextEncoder().encode(drawOfficialSeal(LOOK).operators)));
});

test('OpenSSL prints the seal attribute among the signed attributes and verifies the SM2 signature over them', async () => {
  const pdf = await issue({ sesSeal: seal });
  const cms = (await analyzePdfSignatures(pdf)).signatures[0]!.cms!;
  const info = parseCmsSignedData(cms).signerInfos[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'sealed-pdf-'));
  const file = (name: string) => join(dir, name);
  try {
    writeFileSync(file('sig.der'), cms);
    writeFileSync(file('attrs.der'), info.signedAttributesDer!);
    writeFileSync(file('sig.bin'), info.signature);
    writeFileSync(file('leaf.pem'), toPem('CERTIFICATE', pki.chain.leaf));
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', file('sig.der')], { encoding: 'utf8' });
    assert.match(printed, /object: undefined \(2\.999\.38540\.1\)/, 'the seal attribute is among the signed attributes');
    writeFileSync(file('pub.pem'), execFileSync('openssl', ['x509', '-in', file('leaf.pem'), '-pubkey', '-noout']));
    const out = execFileSync('openssl', ['dgst', '-sm3', '-verify', file('pub.pem'), '-sigopt', 'distid:1234567812345678', '-signature', file('sig.bin'), file('attrs.der')], { encoding: 'utf8' });
    assert.match(out, /Verified OK/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a revoked or suspended seal fails even though every certificate is good', async () => {
  const pdf = await issue({ sesSeal: seal });
  const revoked = await verifyPdf(pdf, await sealTrust(pki, [registration('revoked')]));
  assert.equal(revoked.indication, 'TOTAL_FAILED');
  assert.equal(revoked.subIndication, 'REVOKED');
  assert.equal(check(revoked, 'trust.seal-status').subIndication, 'REVOKED');
  assert.equal(check(revoked, 'cert.revocation').indication, 'TOTAL_PASSED');
  const suspended = await verifyPdf(pdf, await sealTrust(pki, [registration('suspended')]));
  assert.equal(suspended.subIndication, 'SIG_CONSTRAINTS_FAILURE');
});

test('a seal whose picture is not the registered picture fails trust.seal-status', async () => {
  const other = await makeSeal(pki, { picture: officialSealPicture(OTHER_LOOK) });
  const pdf = await issue({ sesSeal: other, look: OTHER_LOOK });
  const report = await verifyPdf(pdf, await sealTrust(pki, [registration('active')]));
  assert.equal(report.indication, 'TOTAL_FAILED');
  assert.match(check(report, 'trust.seal-status').message, /picture is not the registered picture/);
});

test('a visible seal that is not the drawing bound to the seal is reported (seal.appearance)', async () => {
  // A signer that binds the registered seal's drawing but shows another office's seal.
  const unsigned = await renderLicensePdf({ credential, type, signedJson: await signLicenseCompact(credential, signer), qr: { text: 'x' }, font });
  const shown = drawOfficialSeal(OTHER_LOOK);
  const staged = await preparePdfSignature(unsigned, {
    signingTime,
    fieldName: '颁证机构签章',
    visible: { page: 0, rect: [400, 100, 520, 220], appearance: { width: shown.size, height: shown.size, operators: shown.operators } },
    docMdp: 1,
    contentsSize: 16384 + seal.length,
  });
  const digest = await digestSignedChunks(staged.coveredChunks(), cmsDigestAlgorithm(signer.alg));
  const pdf = staged.embed(await signCmsDetached({ contentDigest: digest }, signer, { extraSignedAttributes: [sealAttribute(seal, drawOfficialSeal(LOOK).operators)] }));
  const report = await verifyPdf(pdf, await sealTrust(pki, [registration('active')]));
  assert.equal(report.indication, 'TOTAL_FAILED');
  assert.equal(check(report, 'seal.appearance').indication, 'TOTAL_FAILED');
  assert.equal(check(report, 'trust.seal-status').indication, 'TOTAL_PASSED', 'the seal itself is the registered one');
});

test('without a seal: INDETERMINATE when the issuer registers seals, a warning otherwise', async () => {
  const pdf = await issue();
  const registers = await verifyPdf(pdf, await sealTrust(pki, [registration('active')]));
  assert.equal(registers.indication, 'INDETERMINATE', problems(registers));
  assert.equal(check(registers, 'seal.present').subIndication, 'SIG_CONSTRAINTS_FAILURE');
  const none = await verifyPdf(pdf, await sealTrust(pki));
  assert.equal(none.indication, 'TOTAL_PASSED', problems(none));
  assert.ok(none.warnings.some((w) => /no electronic seal/.test(w)));
  assert.ok(!none.checks.some((c) => c.id.startsWith('seal.')));
});

test('a seal registered to another office does not seal this office\'s license (seal.issuer)', async () => {
  const trust = await sealTrust(pki, [registration('active')]);
  const content = 'list' in trust ? trust.list.content : undefined;
  const moved = { list: { ...('list' in trust ? trust.list : ({} as never)), content: { ...content!, issuers: content!.issuers.map((issuer) => ({ ...issuer, code: '11990100MB12345620' })) } } };
  const report = await verifyPdf(await issue({ sesSeal: seal }), moved as TrustInput);
  assert.equal(check(report, 'seal.issuer').indication, 'TOTAL_FAILED');
});

test('issuing refuses a seal that does not list the signer, or whose picture is not the seal drawn', async () => {
  await assert.rejects(issue({ sesSeal: seal, pdfSigner: pki.stranger }), { code: 'ERR_INVALID_INPUT', field: 'sesSeal' } as never);
  await assert.rejects(issue({ sesSeal: seal, look: OTHER_LOOK }), { code: 'ERR_INVALID_INPUT', field: 'sesSeal' } as never);
});

test('a malformed seal attribute is refused with a stable code', () => {
  assert.equal(readSealAttribute([]), undefined);
  assert.throws(() => readSealAttribute([{ oid: SEAL_ATTRIBUTE_OID, values: [new Uint8Array([0x30, 0x03, 0x04, 0x01, 0x00])] }]), { code: 'ERR_ASN1_INVALID' } as never);
  assert.throws(() => readSealAttribute([{ oid: SEAL_ATTRIBUTE_OID, values: [new Uint8Array([0x30, 0x80])] }]), { code: 'ERR_ASN1_INVALID' } as never);
  const good = sealAttribute(seal, 'q Q');
  assert.throws(() => readSealAttribute([good, good]), { code: 'ERR_ASN1_INVALID' } as never);
});

test('a signed JSON license references its seal in the protected header, checked against the registry', async () => {
  const jws = await signLicenseCompact(credential, signer, { seal });
  const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  assert.deepEqual(header['elicense:seal'], { esID: '22010000000001', pictureSm3: toHex(sm3(officialSealPicture(LOOK).data)), sealSm3: toHex(sm3(seal)) });
  assert.equal(header.crit, undefined);
  const verify = async (status: TrustedSeal['status']) =>
    verifyLicenseJws(jws, { at: TEST_TIMES.at, status: 'waived', algorithms: DOMESTIC_JWS_ALGORITHMS, trust: await sealTrust(pki, [registration(status)]), crls: pki.crls });
  const good = await verify('active');
  assert.equal(good.indication, 'TOTAL_PASSED', problems(good));
  assert.equal(check(good, 'trust.seal-status').indication, 'TOTAL_PASSED');
  const revoked = await verify('revoked');
  assert.equal(revoked.subIndication, 'REVOKED');
  const unregistered = await verifyLicenseJws(jws, { at: TEST_TIMES.at, status: 'waived', algorithms: DOMESTIC_JWS_ALGORITHMS, trust: await sealTrust(pki), crls: pki.crls });
  assert.equal(check(unregistered, 'trust.seal-status').subIndication, 'SIG_CONSTRAINTS_FAILURE');
  await assert.rejects(signLicenseCompact(credential, pki.stranger, { seal }), { code: 'ERR_INVALID_INPUT' } as never);
});

test('a malformed seal reference fails the header profile', async () => {
  const { signCompact } = await import('../jws/sign.js');
  const payload = new TextEncoder().encode(JSON.stringify(credential));
  for (const bad of [{ esID: 1 }, { esID: 'x', pictureSm3: 'zz', sealSm3: 'zz' }, 'text', { esID: 'x', pictureSm3: '0'.repeat(64), sealSm3: '0'.repeat(64), extra: 1 }]) {
    const jws = await signCompact(payload, signer, { typ: 'vc+jwt', cty: 'vc', 'elicense:seal': bad });
    const report = await verifyLicenseJws(jws, { at: TEST_TIMES.at, status: 'waived', algorithms: DOMESTIC_JWS_ALGORITHMS, trust: await sealTrust(pki), crls: pki.crls });
    assert.equal(check(report, 'jws.header').subIndication, 'FORMAT_FAILURE', JSON.stringify(bad));
  }
});

test('a seal reference outside the protected header is refused; a dual-signed license references the seal in both headers', async () => {
  const { signFlattened } = await import('../jws/sign.js');
  const { signLicenseMulti } = await import('../jws/sign-license.js');
  const options = async () => ({ at: TEST_TIMES.at, status: 'waived' as const, algorithms: DOMESTIC_JWS_ALGORITHMS, trust: await sealTrust(pki, [registration('active')]), crls: pki.crls });
  const flattened = await signFlattened(new TextEncoder().encode(JSON.stringify(credential)), signer, { typ: 'vc+jwt', cty: 'vc' });
  const unprotected = JSON.stringify({ ...flattened, header: { 'elicense:seal': { esID: '22010000000001', pictureSm3: '0'.repeat(64), sealSm3: '0'.repeat(64) } } });
  assert.equal(check(await verifyLicenseJws(unprotected, await options()), 'jws.header').subIndication, 'FORMAT_FAILURE');
  // The seal lists only the SM2 certificate, so the stranger cannot co-sign under it; the office alone can.
  await assert.rejects(signLicenseMulti(credential, [signer, pki.stranger], { seal }), { code: 'ERR_INVALID_INPUT' } as never);
  const twoSeals = await makeSeal(pki, { picture: officialSealPicture(LOOK), certificates: [pki.chain.leaf, pki.stranger.certificates[0]!] });
  const dual = await signLicenseMulti(credential, [signer, pki.stranger], { seal: twoSeals });
  const report = await verifyLicenseJws(JSON.stringify(dual), await options());
  assert.deepEqual(report.checks.filter((c) => c.id === 'trust.seal-status').map((c) => [c.signature, c.indication]), [[0, 'TOTAL_PASSED'], [1, 'TOTAL_PASSED']]);
});
