import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';
import { PNG } from 'pngjs';
import { equalBytes, toHex } from '../bytes.js';
import { computeDigest } from '../cms/index.js';
import { toPem } from '../crypto/pem.js';
import { createSigner, type Signer } from '../crypto/signer.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { isElicenseError } from '../errors.js';
import { DOMESTIC_JWS_ALGORITHMS } from '../jws/header.js';
import { signLicenseCompact } from '../jws/sign-license.js';
import { createIssuerCertificate } from '../pki/ca.js';
import { defaultLicenseTypeRegistry } from '../license/registry.js';
import { sampleOfficeLicense } from '../license/testing.js';
import { buildTestChain, TEST_TIMES, type TestChain } from '../pki/testing.js';
import { sampleQrText } from '../pdf/render/testing.js';
import { analyzePdfSignatures } from '../pdf/verify/index.js';
import { appendIncrementalUpdate } from '../pdf/write/index.js';
import { buildSealPki, sealTrust, type SealPki } from '../seal/testing.js';
import type { TrustInput } from '../verify/options.js';
import type { VerificationReport } from '../verify/report.js';
import { createAnnotatedCopy, issueLicensePdf, readAnnotatedCopy, verifyLicensePdf, type CopyAnnotation } from './index.js';

const font = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')));
const { at } = TEST_TIMES;
const type = defaultLicenseTypeRegistry.get('11100000000013338W032');
const PLATFORM = { commonName: '演示省电子证照共享平台加注签章', organizationName: '演示省电子证照共享平台', organizationCode: '11990000MB3456783T', country: 'CN' } as const;
const annotation: CopyAnnotation = {
  purposeCode: '11220000013544541J4000112006000',
  purposeName: '建筑施工企业安全生产许可证延续',
  recipientName: '吉林省政务服务一体化审批系统',
  expires: new Date('2026-06-30T15:59:00Z'),
  copyId: 'JZ-2026-000123',
  issuedAt: new Date('2026-05-21T02:00:00Z'),
};
const EXPIRY_PRINTED = '2026年06月30日 23:59';

let office: SealPki;
let trust: TrustInput;
let platformChain: TestChain;
let platform: Signer;
let platformLeaf: Uint8Array;
let original: Uint8Array;
let copy: Uint8Array;

/** A license of the office's, valid at the test time (the render samples' ran out in January 2026). */
async function issueOriginal(): Promise<Uint8Array> {
  const credential = sampleOfficeLicense(type);
  return issueLicensePdf({
    credential,
    type,
    signedJson: await signLicenseCompact(credential, office.signer),
    qrText: sampleQrText(credential),
    font,
    signer: office.signer,
    signingTime: new Date('2026-05-20T02:00:00Z'),
  });
}

function verifyOriginal(pdf: Uint8Array): Promise<VerificationReport> {
  return verifyLicensePdf(pdf, { at, status: 'waived', algorithms: DOMESTIC_JWS_ALGORITHMS, trust, crls: office.crls });
}

function problems(report: VerificationReport): string {
  return report.checks.filter((c) => c.indication !== 'TOTAL_PASSED').map((c) => `${c.id}[${c.signature ?? '-'}] ${c.indication} ${c.message}`).join('\n');
}

function inTempDir<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'annotated-copy-'));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tool(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') assert.fail(`${command} is not installed (Debian: poppler-utils / libnss3-tools; .ci/run installs them)`);
    throw error;
  }
}

before(async () => {
  office = await buildSealPki();
  trust = await sealTrust(office);
  // The platform has its own PKI: the copy is certified by the repository, not by the issuing office.
  platformChain = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const key = await generateSigningKey('ES256');
  platformLeaf = await createIssuerCertificate({
    issuerCertificate: platformChain.ca,
    issuerKey: platformChain.caKey,
    subjectPublicKey: key.publicKey,
    subject: PLATFORM,
    notBefore: TEST_TIMES.notBefore,
    notAfter: TEST_TIMES.notAfter,
  });
  platform = createSigner(key, [platformLeaf, platformChain.ca]);
  original = await issueOriginal();
  copy = await createAnnotatedCopy({ licensePdf: original, annotation, font, signer: platform, signingTime: annotation.issuedAt });
});

test('the copy is certified by the platform (DocMDP P=1) and its signature verifies; it does not pass for the license itself', async () => {
  const analysis = await analyzePdfSignatures(copy);
  assert.equal(analysis.signatures.length, 1);
  const [signature] = analysis.signatures;
  assert.equal(signature!.kind, 'certification');
  assert.deepEqual(signature!.docMdp, { permission: 1, certified: true });
  assert.equal(signature!.coverage?.wholeFile, true);
  assert.deepEqual(signature!.checks.filter((c) => c.indication !== 'TOTAL_PASSED'), []);

  const report = await verifyLicensePdf(copy, { at, status: 'waived' });
  const own = report.checks.filter((c) => c.signature === 0);
  for (const id of ['pdf.byte-range', 'pdf.modifications', 'cms.message-digest', 'cms.signature']) {
    assert.equal(own.find((c) => c.id === id)?.indication, 'TOTAL_PASSED', `${id}: ${problems(report)}`);
  }
  assert.equal(report.signatures[0]!.signer?.organizationCode, PLATFORM.organizationCode);
  assert.notEqual(report.signatures[0]!.signer?.organizationCode, report.license?.issuerCode);
  // The copy carries no license.jws of its own: the verifier must not take it for the license.
  assert.equal(report.valid, false);
  assert.equal(report.checks.find((c) => c.id === 'pdf.embedded-license')?.indication, 'TOTAL_FAILED');
});

test('the original comes back byte for byte and verifies exactly as before', async () => {
  const read = await readAnnotatedCopy(copy);
  assert.ok(equalBytes(read.originalPdf, original));
  assert.equal(toHex(await computeDigest('SHA-256', read.originalPdf)), toHex(await computeDigest('SHA-256', original)));
  const before = await verifyOriginal(original);
  assert.equal(before.indication, 'TOTAL_PASSED', problems(before));
  const after = await verifyOriginal(read.originalPdf);
  assert.deepEqual(after, before);

  assert.deepEqual(read.annotation, {
    ...annotation,
    licenseIdentifier: before.license!.identifier,
    originalSha256: toHex(await computeDigest('SHA-256', original)),
  });
});

test('pdftotext reads the notice (purpose, expiry, code, system, copy id), and the license text exactly as on the original', () => {
  const [copyText, originalText] = inTempDir((dir) =>
    [copy, original].map((pdf, n) => {
      writeFileSync(join(dir, `${n}.pdf`), pdf);
      return tool('pdftotext', [join(dir, `${n}.pdf`), '-']);
    }),
  );
  assert.match(copyText!, new RegExp(`仅供办理“${annotation.purposeName}”使用，有效期至${EXPIRY_PRINTED}`));
  for (const fact of [annotation.purposeCode, annotation.recipientName, annotation.copyId]) assert.ok(copyText!.includes(fact), fact);
  // The notice is one block; without it the text is the original's, character for character: the
  // diagonal watermark (empty /ActualText) scatters nothing through the field table's text.
  const start = copyText!.indexOf('电子证照加注件');
  const end = copyText!.indexOf('original-license.pdf\n') + 'original-license.pdf\n'.length;
  assert.ok(start >= 0 && end > start, copyText);
  assert.equal(copyText!.slice(0, start) + copyText!.slice(end), originalText);
  assert.ok(originalText!.includes('赵德华'));
});

test('poppler pdfsig finds the copy signature valid and, with the platform root in NSS, trusted', () => {
  const out = inTempDir((dir) => {
    writeFileSync(join(dir, 'copy.pdf'), copy);
    writeFileSync(join(dir, 'root.pem'), toPem('CERTIFICATE', platformChain.root));
    const db = `sql:${dir}`;
    tool('certutil', ['-N', '-d', db, '--empty-password']);
    tool('certutil', ['-A', '-d', db, '-n', 'platform-root', '-t', 'CT,C,C', '-i', join(dir, 'root.pem')]);
    return tool('pdfsig', ['-nssdir', db, join(dir, 'copy.pdf')]);
  });
  assert.match(out, /Signature #1:[\s\S]*Signature Field Name: 加注件签章/);
  assert.match(out, /Signature Validation: Signature is Valid\./);
  assert.match(out, /Certificate Validation: Certificate is Trusted\./);
  assert.match(out, /Total document signed/);
  assert.doesNotMatch(out, /Signature #2/);
});

test('rendered, the stamp shows and the license under it stays visible; the copy is under twice the original', () => {
  const render = (pdf: Uint8Array, name: string) =>
    inTempDir((dir) => {
      writeFileSync(join(dir, 'in.pdf'), pdf);
      tool('pdftoppm', ['-r', '100', '-png', '-singlefile', join(dir, 'in.pdf'), join(dir, 'page')]);
      const png = readFileSync(join(dir, 'page.png'));
      writeFileSync(join(tmpdir(), name), png);
      return PNG.sync.read(png);
    });
  const plain = render(original, 'annotated-copy-original.png');
  const stamped = render(copy, 'annotated-copy.png');
  assert.deepEqual([stamped.width, stamped.height], [plain.width, plain.height]);
  let dark = 0;
  let stillDark = 0;
  let newRed = 0;
  for (let i = 0; i < plain.data.length; i += 4) {
    const [r, g, b] = [plain.data[i]!, plain.data[i + 1]!, plain.data[i + 2]!];
    const [r2, g2, b2] = [stamped.data[i]!, stamped.data[i + 1]!, stamped.data[i + 2]!];
    if (r + g + b < 200) {
      dark++;
      // Multiplied ink only darkens; allow for anti-aliasing differences.
      if (r2 + g2 + b2 <= r + g + b + 30) stillDark++;
    }
    if (r > 200 && g > 200 && b > 200 && r2 > 150 && g2 < 120 && b2 < 120) newRed++;
  }
  // Multiply and translucency: every dark stroke of the license (text, table, QR) is still dark.
  assert.ok(stillDark / dark > 0.995, `${dark - stillDark} of ${dark} dark pixels lost`);
  // And the stamp is there: the notice text and frame in solid red where the page was white.
  assert.ok(newRed > 2000, `${newRed} red pixels`);
  assert.ok(copy.length < 2 * original.length, `copy ${copy.length} bytes, original ${original.length}`);
});

test('an incremental update that swaps the attached original breaks the copy signature and readAnnotatedCopy refuses it', async () => {
  const other = await issueOriginal();
  assert.ok(!equalBytes(other, original));
  const doc = await PDFDocument.load(copy, { updateMetadata: false });
  const names = doc.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict).lookup(PDFName.of('Names'), PDFArray);
  const spec = doc.context.lookup(names.get(3), PDFDict);
  const fileRef = spec.lookup(PDFName.of('EF'), PDFDict).get(PDFName.of('F')) as PDFRef;
  const stream = PDFRawStream.of(doc.context.obj({ Type: 'EmbeddedFile', Subtype: 'application/pdf' }) as PDFDict, other);
  const attacked = appendIncrementalUpdate(copy, { objects: [{ ref: fileRef, object: stream }] });

  await assert.rejects(readAnnotatedCopy(attacked), (error) => isElicenseError(error, 'ERR_PDF_INVALID') && /SHA-256/.test(error.message));
  const analysis = await analyzePdfSignatures(attacked);
  assert.equal(analysis.signatures[0]!.checks.find((c) => c.id === 'pdf.modifications')?.indication, 'TOTAL_FAILED');
});

test('hostile and wrong input: clear errors, never a copy', async () => {
  await assert.rejects(readAnnotatedCopy(original), (error) => isElicenseError(error, 'ERR_PDF_INVALID') && /not an annotated copy/.test(error.message));
  await assert.rejects(readAnnotatedCopy(new TextEncoder().encode('%PDF-1.7\nnot really')), (error) => isElicenseError(error, 'ERR_PDF_INVALID'));
  await assert.rejects(readAnnotatedCopy(copy.subarray(0, copy.length / 3)), (error) => isElicenseError(error, 'ERR_PDF_INVALID'));

  const base = { licensePdf: original, annotation, font, signer: platform, signingTime: annotation.issuedAt };
  await assert.rejects(createAnnotatedCopy({ ...base, licensePdf: copy }), (error) => isElicenseError(error, 'ERR_PDF_INVALID') && /license\.jws/.test(error.message));
  await assert.rejects(createAnnotatedCopy({ ...base, licensePdf: new TextEncoder().encode('not a pdf') }), (error) => isElicenseError(error, 'ERR_PDF_INVALID'));
  const wrong: [Partial<CopyAnnotation>, string][] = [
    [{ expires: annotation.issuedAt }, 'annotation.expires'],
    [{ expires: new Date(Number.NaN) }, 'annotation.expires'],
    [{ purposeName: '' }, 'annotation.purposeName'],
    [{ purposeName: '建设\n工程' }, 'annotation.purposeName'],
    [{ copyId: 'x'.repeat(65) }, 'annotation.copyId'],
    [{ recipientName: '系统\u{1F600}' }, 'font'],
  ];
  for (const [change, field] of wrong) {
    await assert.rejects(createAnnotatedCopy({ ...base, annotation: { ...annotation, ...change } }), (error) => isElicenseError(error, 'ERR_INVALID_INPUT') && error.field === field, field);
  }
});
