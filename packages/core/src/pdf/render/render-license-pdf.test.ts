import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { PNG } from 'pngjs';
import { isElicenseError } from '../../errors.js';
import { buildLicenseCredential } from '../../license/credential.js';
import { defaultLicenseTypeRegistry } from '../../license/registry.js';
import { businessLicense, specialOperationsCertificate } from '../../license/types/index.js';
import { extractEmbeddedLicense } from './extract-embedded-license.js';
import { licenseSealPlacement, renderLicensePdf } from './render-license-pdf.js';
import { sampleLicenses, sampleQrText, type SampleLicense } from './testing.js';

const FONT_PATH = createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf');
const font = new Uint8Array(readFileSync(FONT_PATH));
const dir = mkdtempSync(join(tmpdir(), 'elicense-render-'));
const MAX_PDF_BYTES = 150 * 1024;
let samples: SampleLicense[];

before(async () => {
  samples = await sampleLicenses();
});

function render(sample: SampleLicense, qrText = sampleQrText(sample.credential)) {
  return renderLicensePdf({
    credential: sample.credential,
    type: sample.type,
    signedJson: sample.jws,
    qr: { text: qrText },
    font,
    seal: { centerText: '电子证照专用章' },
  });
}

/** Text as poppler extracts it, in content order, without the whitespace that line wrapping adds. */
function extractedText(pdfPath: string): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

/** The value as printed, computed independently of the renderer: ISO dates as 年月日, lists joined by 、. */
function printed(value: unknown): string {
  const text = Array.isArray(value) ? value.map(printed).join('、') : String(value);
  return text.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$1年$2月$3日').replace(/\s+/g, '');
}

function rasterizeToFile(pdfPath: string, dpi: number): string {
  const prefix = join(dir, `page-${dpi}-${Math.random().toString(36).slice(2)}`);
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-singlefile', pdfPath, prefix]);
  return `${prefix}.png`;
}

/** The text of the one QR code ZBar finds in the image. */
function scanQr(pngPath: string): string {
  return execFileSync('zbarimg', ['-q', '--raw', pngPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\n$/, '');
}

function rasterize(pdfPath: string, dpi: number): PNG {
  return PNG.sync.read(readFileSync(rasterizeToFile(pdfPath, dpi)));
}

test('every shipped type renders one page under 150 KB whose text, QR code and embedded JWS read back', async () => {
  assert.equal(samples.length, 5);
  for (const sample of samples) {
    const name = sample.type.name;
    const pdf = await render(sample);
    assert.ok(pdf.length < MAX_PDF_BYTES, `${name}: ${pdf.length} bytes`);
    const path = join(dir, `${sample.type.code}.pdf`);
    writeFileSync(path, pdf);
    assert.equal((await PDFDocument.load(pdf)).getPageCount(), 1, name);

    const text = extractedText(path);
    const subject = sample.credential.credentialSubject;
    for (const [field, value] of Object.entries(subject.fields)) {
      assert.ok(text.includes(printed(value)), `${name}: ${field} = ${printed(value)} not in the extracted text`);
    }
    for (const value of [name, subject.certificateIdentifier, subject.certificateNumber, subject.certificateHolderName, subject.certificateIssuingAuthorityName, printed(subject.certificateIssuedDate)]) {
      assert.ok(text.includes(printed(value)), `${name}: ${value} not in the extracted text`);
    }
    assert.ok(text.includes(subject.certificateExpiringDate === '长期有效' ? '长期有效' : printed(subject.certificateExpiringDate)), name);

    const pngPath = rasterizeToFile(path, 100);
    const page = PNG.sync.read(readFileSync(pngPath));
    const size = sample.type.renderTemplate?.pageSize ?? { widthMm: 210, heightMm: 297 };
    assert.ok(Math.abs(page.width - (size.widthMm / 25.4) * 100) <= 1 && Math.abs(page.height - (size.heightMm / 25.4) * 100) <= 1, name);
    // ZBar reads the whole 100 dpi page, as a phone camera would see a print: about 3 px per module.
    assert.equal(scanQr(pngPath), sampleQrText(sample.credential), `${name}: QR code`);

    assert.equal(await extractEmbeddedLicense(pdf), sample.jws, name);
  }
});

test('a 600-byte QR text of Chinese and Latin characters decodes from a 300 dpi scan of the 30 mm code', async () => {
  const sample = samples[0]!;
  const qrText = `${sampleQrText(sample.credential)}&n=${'杭州云栖示例科技有限公司'.repeat(10)}&x=${'A'.repeat(600 - 420)}`;
  assert.ok(new TextEncoder().encode(qrText).length >= 590);
  const path = join(dir, 'long-qr.pdf');
  writeFileSync(path, await render(sample, qrText));
  assert.equal(scanQr(rasterizeToFile(path, 300)), qrText);
});

test('the subset font keeps every glyph outline intact', async () => {
  const doc = await PDFDocument.load(await render(samples[1]!));
  const descriptors = [...doc.context.enumerateIndirectObjects()].flatMap(([, object]) =>
    object instanceof PDFDict && object.has(PDFName.of('FontFile2')) ? [object] : [],
  );
  assert.equal(descriptors.length, 1);
  const fontFile = descriptors[0]!.lookup(PDFName.of('FontFile2'));
  assert.ok(fontFile instanceof PDFRawStream);
  const subset = fontkit.create(decodePDFRawStream(fontFile).decode());
  assert.ok(subset.numGlyphs > 50);
  let drawn = 0;
  for (let id = 1; id < subset.numGlyphs; id++) {
    // Before the loca fix most glyphs decoded as garbage or threw here.
    const commands = (subset.getGlyph(id).path as unknown as { commands: unknown[] }).commands;
    if (commands.length > 0) drawn++;
  }
  assert.ok(drawn >= subset.numGlyphs - 3, `${drawn} of ${subset.numGlyphs - 1} glyphs have outlines`);
});

test('the seal is painted red over the issuing authority, at the place licenseSealPlacement gives', async () => {
  const sample = samples[3]!;
  const path = join(dir, 'seal.pdf');
  writeFileSync(path, await render(sample));
  const page = rasterize(path, 100);
  const [x1, y1, x2, y2] = licenseSealPlacement({ credential: sample.credential, type: sample.type, font }).rect;
  const scale = 100 / 72;
  const red = (x: number, y: number) => {
    const px = Math.round(x * scale);
    const py = Math.round(page.height - y * scale);
    const i = (py * page.width + px) * 4;
    return page.data[i]! > 180 && page.data[i + 1]! < 90 && page.data[i + 2]! < 90;
  };
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  assert.ok(red(cx, cy + 2), 'the star at the centre');
  // The rim: just inside the left and right edges of the placement rectangle.
  assert.ok(red(x1 + 1.5, cy) && red(x2 - 1.5, cy), 'the rim');
  assert.ok(!red(x1 - 6, cy), 'nothing red outside the seal');
});

test('rendering is deterministic and needs no clock', async () => {
  const a = await render(samples[2]!);
  const b = await render(samples[2]!);
  assert.deepEqual(a, b);
});

test('metadata carries the title and identifier; the JWS is an associated file with its media type', async () => {
  const sample = samples[0]!;
  const doc = await PDFDocument.load(await render(sample));
  const subject = sample.credential.credentialSubject;
  assert.ok(doc.getTitle()?.startsWith('营业执照'));
  assert.ok(doc.getKeywords()?.includes(subject.certificateIdentifier));
  assert.equal(doc.getCreationDate()?.toISOString(), '2024-01-14T16:00:00.000Z');
  const xmp = doc.catalog.lookup(PDFName.of('Metadata'));
  assert.ok(xmp instanceof PDFRawStream);
  const xml = new TextDecoder().decode(xmp.contents);
  assert.ok(xml.includes(`<elicense:identifier>${subject.certificateIdentifier}</elicense:identifier>`));
  assert.ok(xml.includes(`<dc:identifier>${sample.credential.id}</dc:identifier>`));

  const spec = doc.context.lookup(doc.catalog.lookup(PDFName.of('AF'), PDFArray).get(0), PDFDict);
  assert.equal(spec.get(PDFName.of('AFRelationship')), PDFName.of('Data'));
  const file = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
  assert.ok(file instanceof PDFRawStream);
  assert.equal(file.dict.get(PDFName.of('Subtype')), PDFName.of('application/vc+jwt'));

  const path = join(dir, 'attachment.pdf');
  writeFileSync(path, await render(sample));
  assert.match(execFileSync('pdfdetach', ['-list', path], { encoding: 'utf8' }), /1: license\.jws/);
  execFileSync('pdfdetach', ['-save', '1', '-o', join(dir, 'license.jws'), path]);
  assert.equal(readFileSync(join(dir, 'license.jws'), 'utf8'), sample.jws);
});

test('a value too long for the page is printed in smaller type and cut with ……, still on one page', async () => {
  const sample = samples[0]!;
  const scope = `${'技术服务、技术开发、技术咨询、技术交流、'.repeat(199)}完。`.slice(0, 4000);
  const credential = buildLicenseCredential(
    {
      typeCode: businessLicense.code,
      issuer: { name: sample.credential.issuer.name, code: sample.credential.credentialSubject.certificateIssuingAuthorityCode },
      holder: businessLicense.sample.holder,
      number: 'DEMO2024999999',
      serial: '2024999999',
      issuedDate: '2024-01-15',
      validFrom: '2024-01-15',
      fields: { ...businessLicense.sample.fields, 经营范围: scope },
    },
    defaultLicenseTypeRegistry,
  );
  await assert.rejects(
    renderLicensePdf({ credential, type: businessLicense, signedJson: sample.jws, qr: { text: 'x' }, font }),
    (error) => isElicenseError(error, 'ERR_INVALID_INPUT') && error.field === 'signedJson',
  );
  // The renderer checks the JWS is of this license; the signature itself is the verifier's business.
  const unsigned = `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(credential)).toString('base64url')}.c2ln`;
  const pdf = await renderLicensePdf({ credential, type: businessLicense, signedJson: unsigned, qr: { text: 'x' }, font });
  assert.ok(pdf.length < MAX_PDF_BYTES, `${pdf.length} bytes`);
  assert.equal((await PDFDocument.load(pdf)).getPageCount(), 1);
  const path = join(dir, 'long.pdf');
  writeFileSync(path, pdf);
  const text = extractedText(path);
  assert.ok(text.includes(scope.slice(0, 200)));
  assert.ok(text.includes('……'));
  assert.ok(text.includes(credential.credentialSubject.certificateIdentifier), 'the identifier line is not pushed off');
});

test('bad input fails with stable codes', async () => {
  const sample = samples[3]!;
  const base = { credential: sample.credential, type: sample.type, signedJson: sample.jws, qr: { text: 'x' }, font };
  const rejects = (input: object, code: string, field?: string) =>
    assert.rejects(renderLicensePdf({ ...base, ...input } as Parameters<typeof renderLicensePdf>[0]), (error) => {
      return isElicenseError(error) && error.code === code && (field === undefined || error.field === field);
    });
  await rejects({ type: businessLicense }, 'ERR_INVALID_INPUT', 'credential.credentialSubject.certificateTypeCode');
  await rejects({ signedJson: samples[0]!.jws }, 'ERR_INVALID_INPUT', 'signedJson');
  await rejects({ signedJson: 'not a jws' }, 'ERR_JWS_INVALID');
  await rejects({ qr: { text: 'x'.repeat(1201) } }, 'ERR_INPUT_TOO_LARGE', 'qr.text');
  await rejects({ font: new Uint8Array(100) }, 'ERR_INVALID_INPUT', 'font');
  await rejects({ seal: { color: 'red' } }, 'ERR_INVALID_INPUT', 'color');
  const rare = { ...sample.type, sample: specialOperationsCertificate.sample };
  const credential = { ...sample.credential, credentialSubject: { ...sample.credential.credentialSubject, fields: { ...sample.credential.credentialSubject.fields, 操作类别: '\u{F0000}' } } };
  await rejects({ type: rare, credential }, 'ERR_INVALID_INPUT', 'font');
});

test('extractEmbeddedLicense rejects what is not a license PDF, and stops inflating a bomb', async () => {
  await assert.rejects(extractEmbeddedLicense(new TextEncoder().encode('%PDF-1.7 nonsense')), (e) => isElicenseError(e, 'ERR_PDF_INVALID'));
  const empty = await PDFDocument.create();
  empty.addPage();
  await assert.rejects(extractEmbeddedLicense(await empty.save()), (e) => isElicenseError(e, 'ERR_PDF_INVALID'));

  const bomb = await PDFDocument.create();
  bomb.addPage();
  await bomb.attach(new Uint8Array(8 * 1024 * 1024).fill(0x41), 'license.jws', { mimeType: 'application/vc+jwt' });
  const bytes = await bomb.save();
  assert.ok(bytes.length < 64 * 1024);
  await assert.rejects(extractEmbeddedLicense(bytes), (e) => isElicenseError(e, 'ERR_INPUT_TOO_LARGE'));
});

test('the JWS is read back after an incremental update appended to the file', async () => {
  const sample = samples[4]!;
  const pdf = await render(sample);
  // What a signature does to the file: new objects and a new trailer after the original bytes.
  const doc = await PDFDocument.load(pdf);
  doc.setTitle('updated');
  const updated = await doc.save({ useObjectStreams: false });
  const appended = new Uint8Array([...pdf, ...new TextEncoder().encode('\n'), ...updated.subarray(updated.indexOf(0x0a) + 1)]);
  assert.equal(await extractEmbeddedLicense(appended), sample.jws);
  assert.ok(readdirSync(dir).length > 0);
});
