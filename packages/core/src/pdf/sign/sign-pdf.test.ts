import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PDFDocument, rgb } from 'pdf-lib';
import { concatBytes, equalBytes } from '../../bytes.js';
import { isElicenseError, type ErrorCode } from '../../errors.js';
import { corpusPath } from '../../../test-support/corpora.js';
import { addDss, prepareDocumentTimestamp, preparePdfSignature, vriKey, type StagedPdfSignature } from './index.js';

const ROOT = new URL('../../../../../', import.meta.url);
const corpus = (name: string) => new Uint8Array(readFileSync(corpusPath(`pyhanko-testdata/pdf/${name}`)));
const PKI = new URL('test-vectors/pki/', ROOT).pathname;
const work = mkdtempSync(join(tmpdir(), 'elicense-pdf-sign-'));
const SIGNING_TIME = new Date('2026-03-01T08:00:00Z');

let fileCounter = 0;
function saved(pdf: Uint8Array): string {
  const path = join(work, `doc-${fileCounter++}.pdf`);
  writeFileSync(path, pdf);
  return path;
}

function assertQpdfClean(pdf: Uint8Array): void {
  const run = spawnSync('qpdf', ['--check', saved(pdf)], { encoding: 'utf8' });
  assert.equal(run.status, 0, `qpdf --check: ${run.stdout}${run.stderr}`);
  assert.doesNotMatch(run.stdout + run.stderr, /WARNING/);
}

/** qpdf's JSON view of every object, keyed `obj:n 0 R`. */
function qpdfObjects(pdf: Uint8Array): Record<string, { value?: Record<string, unknown>; stream?: { dict: Record<string, unknown> } }> {
  const out = execFileSync('qpdf', ['--json=2', '--json-key=qpdf', saved(pdf)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return (JSON.parse(out) as { qpdf: [unknown, Record<string, never>] }).qpdf[1];
}

interface PdfsigEntry {
  field: string;
  type: string;
  ranges: string;
  total: boolean;
  validation: string;
}

/** pdfsig's listing, one entry per signature in document order. It exits non-zero when any is invalid. */
function pdfsig(pdf: Uint8Array): PdfsigEntry[] {
  const run = spawnSync('pdfsig', ['-nocert', saved(pdf)], { encoding: 'utf8' });
  return run.stdout
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      field: /Signature Field Name: (.*)$/m.exec(block)?.[1] ?? '',
      type: /Signature Type: (.*)$/m.exec(block)?.[1] ?? '',
      ranges: /Signed Ranges: (.*)$/m.exec(block)?.[1] ?? '',
      total: /^\s+- Total document signed$/m.test(block),
      validation: /Signature Validation: (.*)$/m.exec(block)?.[1] ?? '',
    }));
}

/** Ranges as pdfsig prints them: [start - end] per covered part. */
const rangesText = (s: StagedPdfSignature) => `[0 - ${s.byteRange[1]}], [${s.byteRange[2]} - ${s.byteRange[2] + s.byteRange[3]}]`;

/** A DER SEQUENCE (256 bytes or more) standing in for a CMS: pdfsig lists it but cannot verify it. */
function fakeDer(length: number, fill = 7): Uint8Array {
  assert.ok(length >= 260 && length < 65_540);
  const der = new Uint8Array(length).fill(fill);
  der.set([0x30, 0x82, (length - 4) >> 8, (length - 4) & 0xff]);
  return der;
}

/** A CMS SignedData made by OpenSSL over the covered bytes with a test issuer key (ES256). */
function opensslCms(staged: StagedPdfSignature): Uint8Array {
  const input = join(work, `covered-${fileCounter++}.bin`);
  writeFileSync(input, concatBytes(...staged.coveredChunks()));
  return new Uint8Array(
    execFileSync('openssl', [
      'cms', '-sign', '-binary', '-outform', 'DER', '-md', 'sha256', '-nosmimecap', '-in', input,
      '-signer', `${PKI}issuer-44541j-es256.cert.pem`, '-inkey', `${PKI}issuer-44541j-es256.key.pem`,
      '-certfile', `${PKI}intl-issuing-ca.cert.pem`,
    ]),
  );
}

/** A one-page license-like PDF as the renderer makes it with pdf-lib. */
async function renderedPdf(useObjectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawRectangle({ x: 50, y: 50, width: 495, height: 742, borderColor: rgb(0.6, 0, 0), borderWidth: 2 });
  return doc.save({ useObjectStreams });
}

const red = (width: number, height: number) => ({ width, height, operators: `1 0 0 rg 0 0 ${width} ${height} re f` });

const documents: Array<[string, () => Promise<Uint8Array>]> = [
  ['a pdf-lib PDF with object streams', () => renderedPdf(true)],
  ['a pdf-lib PDF with an xref table', () => renderedPdf(false)],
  ['pyHanko minimal.pdf', async () => corpus('minimal.pdf')],
  ['pyHanko minimal-xref.pdf (xref stream)', async () => corpus('minimal-xref.pdf')],
  ['pyHanko minimal-hybrid-xref.pdf', async () => corpus('minimal-hybrid-xref.pdf')],
];

for (const [label, load] of documents) {
  test(`certification, approval, DSS and document timestamp on ${label} keep earlier signatures intact`, async () => {
    const original = await load();

    const certification = await preparePdfSignature(original, { signingTime: SIGNING_TIME, fieldName: '颁证机构签章', docMdp: 2, reason: '颁发电子证照' });
    assert.deepEqual(certification.prepared.subarray(0, original.length), original);
    const certified = certification.embed(fakeDer(3000));
    assert.equal(certified.length, certification.prepared.length, 'embedding moves no byte');
    assertQpdfClean(certified);
    // The field name is a UTF-16 hex string now; reading it back finds the field signed.
    await assert.rejects(preparePdfSignature(certified, { signingTime: SIGNING_TIME, fieldName: '颁证机构签章' }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'fieldName');

    const approval = await preparePdfSignature(certified, {
      signingTime: SIGNING_TIME,
      fieldName: 'Approval',
      visible: { page: 0, rect: [20, 20, 140, 80], appearance: red(120, 60) },
    });
    const approved = approval.embed(fakeDer(2500));
    assert.deepEqual(approved.subarray(0, certified.length), certified, 'the certified revision is an unchanged prefix');
    assertQpdfClean(approved);

    const withDss = await addDss(approved, { certificates: [fakeDer(800, 1)], crls: [fakeDer(300, 2)], ocsps: [fakeDer(400, 3)] });
    assert.deepEqual(withDss.subarray(0, approved.length), approved);
    assertQpdfClean(withDss);

    const stamp = await prepareDocumentTimestamp(withDss);
    const stamped = stamp.embed(fakeDer(4000));
    assert.deepEqual(stamped.subarray(0, withDss.length), withDss);
    assertQpdfClean(stamped);

    const listed = pdfsig(stamped);
    assert.deepEqual(
      listed.map(({ field, type, ranges, total }) => ({ field, type, ranges, total })),
      [
        { field: '颁证机构签章', type: 'ETSI.CAdES.detached', ranges: rangesText(certification), total: false },
        { field: 'Approval', type: 'ETSI.CAdES.detached', ranges: rangesText(approval), total: false },
        // pdfsig 22 names no type for ETSI.RFC3161 but reads its field and ranges.
        { field: stamp.fieldName, type: listed[2]?.type ?? '', ranges: rangesText(stamp), total: true },
      ],
    );
    assert.equal(pdfsig(approved)[1]?.total, true, 'each signature covers the whole file when it is the last');

    const objects = qpdfObjects(stamped);
    const signatures = Object.values(objects).filter((o) => o.value?.['/Type'] === '/Sig' || o.value?.['/Type'] === '/DocTimeStamp');
    assert.deepEqual(signatures.map((s) => [s.value?.['/Type'], s.value?.['/SubFilter']]), [
      ['/Sig', '/ETSI.CAdES.detached'],
      ['/Sig', '/ETSI.CAdES.detached'],
      ['/DocTimeStamp', '/ETSI.RFC3161'],
    ]);
    const [first] = signatures;
    assert.equal(first?.value?.['/Reason'], 'u:颁发电子证照');
    assert.equal(first?.value?.['/M'], "u:D:20260301080000+00'00'");
    assert.deepEqual(first?.value?.['/Reference'], [
      { '/TransformMethod': '/DocMDP', '/TransformParams': { '/P': 2, '/Type': '/TransformParams', '/V': '/1.2' }, '/Type': '/SigRef' },
    ]);
    const catalog = Object.values(objects).find((o) => o.value?.['/Type'] === '/Catalog')?.value;
    assert.ok(catalog?.['/DSS'], 'the catalog names the DSS');
    const acroForm = objects[`obj:${String(catalog?.['/AcroForm'])}`]?.value;
    assert.equal(acroForm?.['/SigFlags'], 3);
    assert.equal((acroForm?.['/Fields'] as unknown[]).length >= 3, true);
  });
}

test('an OpenSSL CMS over the covered bytes is a valid signature for pdfsig, before and after DSS and a timestamp', async () => {
  const original = await renderedPdf(true);
  const staged = await preparePdfSignature(original, { signingTime: SIGNING_TIME, docMdp: 1, reason: 'license issued' });
  const signed = staged.embed(opensslCms(staged));
  assert.deepEqual(pdfsig(signed).map((s) => [s.type, s.total, s.validation]), [['ETSI.CAdES.detached', true, 'Signature is Valid.']]);

  const extended = (await prepareDocumentTimestamp(await addDss(signed, { certificates: [new Uint8Array(readFileSync(`${PKI}intl-root-ca.cert.pem`))] }))).embed(fakeDer(300));
  const [certification] = pdfsig(extended);
  assert.deepEqual([certification?.total, certification?.validation], [false, 'Signature is Valid.']);

  const second = await preparePdfSignature(await renderedPdf(false), { signingTime: SIGNING_TIME, fieldName: 'First' });
  const once = second.embed(opensslCms(second));
  const third = await preparePdfSignature(once, { signingTime: SIGNING_TIME, fieldName: 'Second' });
  const twice = third.embed(opensslCms(third));
  assert.deepEqual(pdfsig(twice).map((s) => [s.field, s.total, s.validation]), [
    ['First', false, 'Signature is Valid.'],
    ['Second', true, 'Signature is Valid.'],
  ]);
});

test('after a P=1 certification only DSS and document timestamps may follow', async () => {
  const certified = (await preparePdfSignature(corpus('minimal.pdf'), { signingTime: SIGNING_TIME, docMdp: 1 })).embed(fakeDer(500));
  await assert.rejects(preparePdfSignature(certified, { signingTime: SIGNING_TIME }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'pdf');
  const withDss = await addDss(certified, { certificates: [fakeDer(300)] });
  const stamped = (await prepareDocumentTimestamp(withDss)).embed(fakeDer(300));
  assertQpdfClean(stamped);
  assert.equal(pdfsig(stamped).length, 2);
  const catalog = Object.values(qpdfObjects(stamped)).find((o) => o.value?.['/Type'] === '/Catalog')?.value;
  assert.match(String((catalog?.['/Perms'] as Record<string, unknown>)['/DocMDP']), /^\d+ 0 R$/);
});

test('only the first signature may certify', async () => {
  const signed = (await preparePdfSignature(corpus('minimal.pdf'), { signingTime: SIGNING_TIME })).embed(fakeDer(500));
  await assert.rejects(preparePdfSignature(signed, { signingTime: SIGNING_TIME, docMdp: 2 }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'docMdp');
  const certified = (await preparePdfSignature(corpus('minimal.pdf'), { signingTime: SIGNING_TIME, docMdp: 3 })).embed(fakeDer(500));
  await assert.rejects(preparePdfSignature(certified, { signingTime: SIGNING_TIME, docMdp: 3 }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'docMdp');
  assert.equal(pdfsig((await preparePdfSignature(certified, { signingTime: SIGNING_TIME })).embed(fakeDer(500))).length, 2, 'P=3 allows approval signatures');
});

test('an existing empty signature field is signed in place; a signed or non-signature field is refused', async () => {
  const pdf = corpus('minimal-with-field.pdf');
  const before = Object.keys(qpdfObjects(pdf)).length;
  const staged = await preparePdfSignature(pdf, { signingTime: SIGNING_TIME, fieldName: 'Sig1', visible: { page: 0, rect: [0, 0, 1, 1], appearance: red(50, 20) } });
  const signed = staged.embed(fakeDer(900));
  assertQpdfClean(signed);
  assert.deepEqual(pdfsig(signed).map((s) => [s.field, s.total]), [['Sig1', true]]);
  // The signature dictionary and the appearance stream are the only new objects.
  assert.equal(Object.keys(qpdfObjects(signed)).length, before + 2);
  await assert.rejects(preparePdfSignature(signed, { signingTime: SIGNING_TIME, fieldName: 'Sig1' }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'fieldName');
  await assert.rejects(
    preparePdfSignature(corpus('minimal-with-simple-form.pdf'), { signingTime: SIGNING_TIME, fieldName: existingTextField(corpus('minimal-with-simple-form.pdf')) }),
    (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'fieldName',
  );
});

function existingTextField(pdf: Uint8Array): string {
  const field = Object.values(qpdfObjects(pdf)).find((o) => o.value?.['/FT'] === '/Tx')?.value?.['/T'];
  assert.equal(typeof field, 'string');
  return String(field).replace(/^u:/, '');
}

test('a visible signature shows its appearance where asked, as poppler renders it', async () => {
  const pdf = await renderedPdf(true);
  const signed = (await preparePdfSignature(pdf, { signingTime: SIGNING_TIME, visible: { page: 0, rect: [100, 600, 300, 700], appearance: red(40, 20) } })).embed(fakeDer(500));
  const prefix = join(work, 'render');
  execFileSync('pdftoppm', ['-r', '18', '-f', '1', '-l', '1', saved(signed), prefix]);
  // 18 dpi: one pixel is 4 points; the page is 149 x 211 pixels, y measured from the top.
  const image = parsePpm(readFileSync(`${prefix}-1.ppm`));
  const pixel = (xPt: number, yPt: number) => image.rgb(Math.round(xPt / 4), Math.round((842 - yPt) / 4));
  assert.deepEqual(pixel(200, 650), [255, 0, 0], 'inside the widget');
  assert.deepEqual(pixel(400, 650), [255, 255, 255], 'outside the widget');
  assertQpdfClean(signed);
});

function parsePpm(bytes: Uint8Array) {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 32)));
  assert.ok(header);
  const width = Number(header[1]);
  const offset = header[0].length;
  return { rgb: (x: number, y: number) => [...bytes.subarray(offset + (y * width + x) * 3, offset + (y * width + x) * 3 + 3)] };
}

test('the placeholder: fixed ByteRange, covered chunks are views, oversize or non-DER contents are refused', async () => {
  const staged = await preparePdfSignature(corpus('minimal.pdf'), { signingTime: SIGNING_TIME, contentsSize: 1000 });
  const [a, b, c, d] = staged.byteRange;
  assert.equal(a, 0);
  assert.equal(c + d, staged.prepared.length);
  assert.equal(staged.prepared[b], 0x3c);
  assert.equal(staged.prepared[c - 1], 0x3e);
  assert.equal(c - b, 2 + 2 * 1000);
  assert.equal(staged.contentsCapacity, 1000);
  const chunks = staged.coveredChunks();
  assert.equal(chunks[0]?.buffer, staged.prepared.buffer, 'no copies');
  assert.equal(chunks[1]?.byteOffset, c);
  const text = new TextDecoder('latin1').decode(staged.prepared);
  assert.match(text, new RegExp(`/ByteRange \\[0 ${b} ${c} ${d}\\] *\\n`));

  const der = fakeDer(1000, 0xab);
  const embedded = staged.embed(der);
  assert.ok(equalBytes(concatBytes(...staged.coveredChunks()), concatBytes(embedded.subarray(0, b), embedded.subarray(c))), 'covered bytes unchanged');
  assert.equal(new TextDecoder().decode(embedded.subarray(b + 1, b + 9)), '308203e4');
  assert.equal(staged.prepared[b + 1], 0x30, 'prepared itself stays a placeholder');

  assert.throws(() => staged.embed(fakeDer(1001)), (e) => isElicenseError(e, 'ERR_INPUT_TOO_LARGE') && e.field === 'contentsSize');
  assert.throws(() => staged.embed(new TextEncoder().encode('-----BEGIN PKCS7-----')), (e) => isElicenseError(e, 'ERR_ASN1_INVALID'));
  assert.throws(() => staged.embed(concatBytes(fakeDer(300), new Uint8Array(3))), (e) => isElicenseError(e, 'ERR_ASN1_INVALID'));
  await assert.rejects(preparePdfSignature(corpus('minimal.pdf'), { signingTime: SIGNING_TIME, contentsSize: 1 << 30 }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
});

test('bad options and unsignable files are clear errors', async () => {
  const pdf = corpus('minimal.pdf');
  const refusals: Array<[Promise<unknown>, ErrorCode, string]> = [
    [preparePdfSignature(pdf, { signingTime: new Date(NaN) }), 'ERR_INVALID_INPUT', 'signingTime'],
    [preparePdfSignature(pdf, { signingTime: SIGNING_TIME, fieldName: 'a.b' }), 'ERR_INVALID_INPUT', 'fieldName'],
    [preparePdfSignature(pdf, { signingTime: SIGNING_TIME, visible: { page: 3, rect: [0, 0, 10, 10], appearance: red(10, 10) } }), 'ERR_INVALID_INPUT', 'page'],
    [preparePdfSignature(pdf, { signingTime: SIGNING_TIME, visible: { page: 0, rect: [0, 0, 10, 10], appearance: red(0, 10) } }), 'ERR_INVALID_INPUT', 'appearance.width'],
    [preparePdfSignature(pdf, { signingTime: SIGNING_TIME, docMdp: 4 as 1 }), 'ERR_INVALID_INPUT', 'docMdp'],
    [preparePdfSignature(corpus('minimal-aes256.pdf'), { signingTime: SIGNING_TIME }), 'ERR_INVALID_INPUT', 'pdf'],
    [preparePdfSignature(corpus('circular-page-tree.pdf'), { signingTime: SIGNING_TIME, visible: { page: 5, rect: [0, 0, 1, 1], appearance: red(1, 1) } }), 'ERR_INVALID_INPUT', 'pdf'],
    [preparePdfSignature(new TextEncoder().encode('%PDF-1.7\ngarbage'), { signingTime: SIGNING_TIME }), 'ERR_INVALID_INPUT', 'pdf'],
  ];
  for (const [attempt, code, field] of refusals) await assert.rejects(attempt, (e) => isElicenseError(e, code) && e.field === field);
});

test('addDss extends an existing DSS, writes each value once and indexes it per signature', async () => {
  const staged = await preparePdfSignature(corpus('minimal.pdf'), { signingTime: SIGNING_TIME, contentsSize: 600 });
  const cms = fakeDer(500);
  const signed = staged.embed(cms);
  const key = vriKey(concatBytes(cms, new Uint8Array(staged.contentsCapacity - cms.length)));
  assert.match(key, /^[0-9A-F]{40}$/);

  const [cert, ca, crl, ocsp] = [fakeDer(700, 1), fakeDer(650, 2), fakeDer(300, 3), fakeDer(280, 4)];
  const first = await addDss(signed, { certificates: [cert], crls: [crl] });
  const second = await addDss(first, { certificates: [cert, ca], ocsps: [ocsp], vri: { [key]: { certificates: [cert, ca], ocsps: [ocsp] } } });
  assert.deepEqual(second.subarray(0, first.length), first);
  assertQpdfClean(second);
  assert.equal(pdfsig(second)[0]?.ranges, rangesText(staged));

  const objects = qpdfObjects(second);
  const catalog = Object.values(objects).find((o) => o.value?.['/Type'] === '/Catalog')?.value;
  const dss = objects[`obj:${String(catalog?.['/DSS'])}`]?.value as Record<string, string[]>;
  assert.equal(dss['/Certs']?.length, 2, 'the repeated certificate is not written again');
  assert.equal(dss['/CRLs']?.length, 1);
  assert.equal(dss['/OCSPs']?.length, 1);
  const vri = (dss as unknown as { '/VRI': Record<string, Record<string, string[]>> })['/VRI'][`/${key}`];
  assert.deepEqual(vri?.['/Cert'], dss['/Certs']);
  assert.deepEqual(vri?.['/OCSP'], dss['/OCSPs']);

  await assert.rejects(addDss(signed, { vri: { abc: { certificates: [cert] } } }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
});

test('addDss extends a third-party DSS held in indirect arrays', async () => {
  const pdf = corpus('pades-lta-dss-indirect-arrs-test.pdf');
  const certsRef = () => {
    const objects = qpdfObjects(pdf);
    const catalog = Object.values(objects).find((o) => o.value?.['/Type'] === '/Catalog')?.value;
    return (objects[`obj:${String(catalog?.['/DSS'])}`]?.value as Record<string, unknown>)['/Certs'];
  };
  const arrayRef = certsRef();
  assert.match(String(arrayRef), /^\d+ 0 R$/, 'the fixture keeps /Certs in an array object');
  const countBefore = (qpdfObjects(pdf)[`obj:${String(arrayRef)}`]?.value as unknown as unknown[]).length;
  const extended = await addDss(pdf, { certificates: [fakeDer(640, 9)] });
  assertQpdfClean(extended);
  assert.equal((qpdfObjects(extended)[`obj:${String(arrayRef)}`]?.value as unknown as unknown[]).length, countBefore + 1);
  assert.ok(pdfsig(extended).length >= 1);
});

test('every pyHanko fixture either signs cleanly or is refused with a clear error', async () => {
  const dir = corpusPath('pyhanko-testdata/pdf/');
  const qpdfStatus = (path: string) => spawnSync('qpdf', ['--check', path]).status;
  let signedCount = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.pdf'))) {
    const pdf = corpus(name);
    let staged: StagedPdfSignature;
    try {
      staged = await preparePdfSignature(pdf, { signingTime: SIGNING_TIME, contentsSize: 300 });
    } catch (e) {
      assert.ok(isElicenseError(e, 'ERR_INVALID_INPUT'), `${name}: ${String(e)}`);
      continue;
    }
    const signed = staged.embed(fakeDer(300));
    assert.deepEqual(signed.subarray(0, pdf.length), pdf, name);
    // A file qpdf finds clean stays clean; damaged fixtures keep the complaints they came with.
    if (qpdfStatus(`${dir}${name}`) === 0) assert.equal(qpdfStatus(saved(signed)), 0, name);
    signedCount++;
  }
  assert.ok(signedCount >= 50, `${signedCount} fixtures signed`);
});
