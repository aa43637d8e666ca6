import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PDFDict } from 'pdf-lib';
import { PDFName, PDFRef, PDFRawStream } from 'pdf-lib';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { createSigner } from '../crypto/signer.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { DOMESTIC_JWS_ALGORITHMS } from '../jws/header.js';
import { signLicenseCompact } from '../jws/sign-license.js';
import { buildLicenseCredential } from '../license/credential.js';
import { defaultLicenseTypeRegistry } from '../license/registry.js';
import { createTimeStampingCertificate } from '../pki/ca.js';
import { buildTestChain, ISSUING_OFFICE, TEST_TIMES, type TestChain } from '../pki/testing.js';
import { appendIncrementalUpdate, readPdfTrailer } from '../pdf/write/index.js';
import { signTrustList } from '../trust/sign-trust-list.js';
import type { TrustedStatusIssuer } from '../trust/trust-list.js';
import { verifyTrustList, type VerifiedTrustList } from '../trust/verify-trust-list.js';
import { createTimeStampAuthority } from '../tsp/index.js';
import type { VerificationReport } from '../verify/report.js';
import { renderLicensePdf } from '../pdf/render/index.js';
import { authorityTimestamper, issueLicensePdf, signPdf, verifyLicensePdf, type Timestamper } from './index.js';

const font = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')));
const type = defaultLicenseTypeRegistry.get('11100000000013338W032');
const { at } = TEST_TIMES;
const signingTime = new Date('2026-05-20T02:00:00Z');

let chain: TestChain;
let timestamper: Timestamper;
let tsaCertificate: Uint8Array;
let trust: VerifiedTrustList;

async function license(serial: string) {
  const credential = buildLicenseCredential(
    {
      typeCode: type.code,
      issuer: { name: ISSUING_OFFICE.organizationName, code: ISSUING_OFFICE.organizationCode },
      holder: type.sample.holder,
      number: String(type.sample.fields[type.linkedFields!.number!]),
      serial,
      issuedDate: '2026-05-20',
      validFrom: '2026-05-20',
      fields: type.sample.fields,
    },
    defaultLicenseTypeRegistry,
  );
  return credential;
}

async function issue(serial: string, signerChain: TestChain, extra: { lta?: boolean } = {}): Promise<Uint8Array> {
  const credential = await license(serial);
  const signer = createSigner(signerChain.leafKey, [signerChain.leaf, signerChain.ca]);
  return issueLicensePdf({
    credential,
    type,
    signedJson: await signLicenseCompact(credential, signer),
    qrText: `https://verify.elicense.example/v1?id=${credential.credentialSubject.certificateIdentifier}`,
    font,
    signer,
    signingTime,
    ...(extra.lta
      ? {
          timestamper,
          validationData: { certificates: [signerChain.ca, signerChain.root, tsaCertificate], crls: [signerChain.rootCrl, signerChain.caCrl] },
          archiveTimestamp: true,
        }
      : {}),
  });
}

function verify(pdf: Uint8Array, options: { trust?: VerifiedTrustList; crls?: Uint8Array[] } = {}): Promise<VerificationReport> {
  return verifyLicensePdf(pdf, {
    at,
    status: 'waived',
    algorithms: DOMESTIC_JWS_ALGORITHMS,
    ...(options.trust ? { trust: { list: options.trust } } : {}),
    ...(options.crls ? { crls: options.crls } : {}),
  });
}

/** A trust list naming the issuing office under `root`, signed by `operator`'s leaf key. */
async function trustListFor(root: Uint8Array, operator: TestChain, timestampAuthorities: TrustedStatusIssuer[] = []): Promise<VerifiedTrustList> {
  const signed = await signTrustList(
    {
      sequence: 1,
      issued: '2026-05-01T00:00:00Z',
      nextUpdate: '2026-08-01T00:00:00Z',
      operator: { name: '演示省电子证照共享平台', code: '11990000MB3456783T' },
      issuers: [{ name: ISSUING_OFFICE.organizationName, code: ISSUING_OFFICE.organizationCode, certificates: [root], licenseTypes: [type.code] }],
      statusIssuers: [],
      timestampAuthorities,
    },
    createSigner(operator.leafKey, [operator.leaf]),
  );
  return verifyTrustList(signed, { at, operatorCertificates: [operator.leaf] });
}

function problems(report: VerificationReport): string {
  return report.checks.filter((c) => c.indication !== 'TOTAL_PASSED').map((c) => `${c.id}[${c.signature ?? '-'}] ${c.indication} ${c.subIndication ?? ''} ${c.message}`).join('\n');
}

before(async () => {
  chain = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const tsaKey = await generateSigningKey('ES256');
  tsaCertificate = await createTimeStampingCertificate({
    issuerCertificate: chain.ca,
    issuerKey: chain.caKey,
    subjectPublicKey: tsaKey.publicKey,
    subject: { commonName: 'eLicense Test TSA', organizationName: '电子证照测试时间戳服务', country: 'CN' },
    notBefore: TEST_TIMES.notBefore,
    notAfter: TEST_TIMES.notAfter,
  });
  timestamper = authorityTimestamper(
    createTimeStampAuthority({ signer: createSigner(tsaKey, [tsaCertificate, chain.ca]), policy: '1.2.156.999.1', now: () => signingTime }),
  );
  const operatorChain = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  trust = await trustListFor(chain.root, operatorChain, [{ name: '电子证照测试时间戳服务', code: '11990000MB3456783T', certificates: [chain.root] }]);
});

test('a B-LTA license PDF verifies TOTAL_PASSED: certification signature with seal, signature timestamp, DSS, document timestamp', async () => {
  const pdf = await issue('2026000001', chain, { lta: true });
  const report = await verify(pdf, { trust });
  assert.equal(report.indication, 'TOTAL_PASSED', problems(report));
  assert.equal(report.format, 'pdf');
  assert.equal(report.license?.typeCode, type.code);
  assert.deepEqual(report.signatures.map((s) => [s.pdf?.kind, s.pdf?.level ?? null]), [['certification', 'B-LTA'], ['timestamp', null]]);
  assert.equal(report.signatures[0]!.pdf?.timestampTime, signingTime.toISOString());
  assert.equal(report.signatures[1]!.pdf?.wholeFile, true);
  assert.equal(report.signatures[0]!.pdf?.wholeFile, false, 'the DSS and the document timestamp came after the certification');
  for (const id of ['pdf.byte-range', 'pdf.modifications', 'cms.message-digest', 'cms.signature', 'tsp.message-imprint', 'cert.chain', 'cert.revocation', 'trust.issuer-authorized-for-type', 'pdf.embedded-license', 'license.schema']) {
    assert.ok(report.checks.some((c) => c.id === id && c.indication === 'TOTAL_PASSED'), `${id} passed`);
  }
});

test('poppler pdfsig reads our signatures and finds the ES256 signature valid', async () => {
  const pdf = await issue('2026000002', chain, { lta: true });
  const dir = mkdtempSync(join(tmpdir(), 'pades-'));
  try {
    writeFileSync(join(dir, 'license.pdf'), pdf);
    const out = execFileSync('pdfsig', ['-nocert', join(dir, 'license.pdf')], { encoding: 'utf8' });
    assert.match(out, /Signature #1:[\s\S]*?Signature Validation: Signature is Valid\./);
    assert.match(out, /Signature #1:[\s\S]*?Signature Type: ETSI\.CAdES\.detached/);
    assert.match(out, /Signature #2:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('B-B with each algorithm verifies; without a trust list it is INDETERMINATE', async () => {
  for (const alg of ['ES256', 'PS256', 'EdDSA', 'SM2SM3'] as SignatureAlgorithm[]) {
    const own = await buildTestChain({ root: alg, ca: alg, leaf: alg });
    const ownTrust = await trustListFor(own.root, own);
    const pdf = await issue('2026000003', own);
    const report = await verify(pdf, { trust: ownTrust, crls: [own.rootCrl, own.caCrl] });
    assert.equal(report.indication, 'TOTAL_PASSED', `${alg}: ${problems(report)}`);
    assert.equal(report.signatures[0]!.alg, alg);
    assert.equal(report.signatures[0]!.pdf?.level, 'B-B');
    const untrusted = await verify(pdf);
    assert.equal(untrusted.indication, 'INDETERMINATE', alg);
    assert.equal(untrusted.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
    if (alg === 'SM2SM3') {
      const international = await verifyLicensePdf(pdf, { at, status: 'waived', trust: { list: ownTrust }, crls: [own.rootCrl, own.caCrl] });
      assert.equal(international.indication, 'INDETERMINATE', 'SM2 not enabled: never valid');
      assert.ok(international.checks.some((c) => c.id === 'cms.algorithm' && c.subIndication === 'CRYPTO_CONSTRAINTS_FAILURE'));
    }
  }
});

test('a changed byte in the signed range fails the message digest', async () => {
  const pdf = await issue('2026000004', chain);
  const text = Buffer.from(pdf).toString('latin1');
  const at0 = text.indexOf('/Producer');
  assert.ok(at0 > 0);
  const tampered = pdf.slice();
  tampered[at0 + 3] = tampered[at0 + 3]! ^ 0x01;
  const report = await verify(tampered, { trust, crls: [chain.rootCrl, chain.caCrl] });
  assert.equal(report.indication, 'TOTAL_FAILED', problems(report));
  assert.ok(report.checks.some((c) => c.id === 'cms.message-digest' && c.indication === 'TOTAL_FAILED'));
});

test('an incremental update that replaces the page content after certification fails pdf.modifications', async () => {
  const pdf = await issue('2026000005', chain, { lta: true });
  const trailer = readPdfTrailer(pdf);
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = doc.getPage(0);
  const pageRef = doc.getPages()[0]!.ref;
  const contentRef = PDFRef.of(trailer.size);
  const stream = PDFRawStream.of(doc.context.obj({}) as PDFDict, new TextEncoder().encode('BT /F1 48 Tf 100 400 Td (VOID) Tj ET'));
  const pageDict = page.node.clone();
  pageDict.set(PDFName.of('Contents'), contentRef);
  const attacked = appendIncrementalUpdate(pdf, { objects: [{ ref: contentRef, object: stream }, { ref: pageRef, object: pageDict }] });
  const report = await verify(attacked, { trust });
  assert.equal(report.indication, 'TOTAL_FAILED', problems(report));
  const modification = report.checks.find((c) => c.id === 'pdf.modifications' && c.indication === 'TOTAL_FAILED');
  assert.ok(modification, problems(report));
  assert.match(modification.message, new RegExp(`${pageRef.objectNumber} 0`));
});

test('hostile input: not a PDF, a truncated PDF, and an unsigned PDF are format failures, never valid', async () => {
  const pdf = await issue('2026000006', chain);
  for (const bytes of [new TextEncoder().encode('%PDF-1.7\nnot really'), pdf.subarray(0, pdf.length / 2)]) {
    const report = await verify(bytes, { trust });
    assert.equal(report.indication, 'TOTAL_FAILED');
    assert.equal(report.valid, false);
  }
});

test('the page must show what the embedded license says: a page for another holder fails pdf.page-matches-license', async () => {
  const credential = await license('2026000007');
  const signer = createSigner(chain.leafKey, [chain.leaf, chain.ca]);
  const other = { ...credential, credentialSubject: { ...credential.credentialSubject, certificateHolderName: '钱多多' } };
  const unsigned = await renderLicensePdf({ credential, type, signedJson: await signLicenseCompact(other, signer), qr: { text: 'https://verify.elicense.example/v1' }, font });
  const report = await verify(await signPdf(unsigned, { signer, signingTime, docMdp: 1 }), { trust, crls: [chain.rootCrl, chain.caCrl] });
  assert.equal(report.indication, 'TOTAL_FAILED', problems(report));
  const check = report.checks.find((c) => c.id === 'pdf.page-matches-license')!;
  assert.equal(check.indication, 'TOTAL_FAILED');
  assert.match(check.message, /持证主体 "钱多多"/);

  const good = await verify(await issue('2026000008', chain), { trust, crls: [chain.rootCrl, chain.caCrl] });
  assert.equal(good.checks.find((c) => c.id === 'pdf.page-matches-license')?.indication, 'TOTAL_PASSED');
});
