import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { analyzePdfSignatures, type PdfSignatureAnalysis } from './analyze.js';
import { appendUpdate, buildPdf, fillByteRange, latin1Bytes, signatureDictionary, signedDocument, signedDocumentObjects, stream } from './testing.js';

async function analyze(pdf: string, limits = {}): Promise<PdfSignatureAnalysis> {
  return analyzePdfSignatures(latin1Bytes(pdf), limits);
}

function check(result: PdfSignatureAnalysis, id: string, signature = 0) {
  const found = result.signatures[signature]?.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check for signature ${signature}`);
  return found;
}

describe('analyzePdfSignatures on a whole-file signature', () => {
  it('finds the certification signature, its DocMDP level, CMS and coverage', async () => {
    const pdf = signedDocument(2);
    const result = await analyze(pdf);
    assert.equal(result.documentChecks[0]!.indication, 'TOTAL_PASSED');
    assert.equal(result.signatures.length, 1);
    const sig = result.signatures[0]!;
    assert.equal(sig.kind, 'certification');
    assert.equal(sig.field, 'Sig1');
    assert.equal(sig.subFilter, 'ETSI.CAdES.detached');
    assert.deepEqual(sig.docMdp, { permission: 2, certified: true });
    assert.equal(sig.signedRevision, 0);
    assert.equal(sig.signingTimeM, '2026-01-01T00:00:00.000Z');
    assert.deepEqual([...sig.cms!], [0x30, 0x03, 0x02, 0x01, 0x00]);
    assert.equal(sig.coverage!.wholeFile, true);
    assert.equal(sig.coverage!.coveredBytes, pdf.length - (sig.byteRange!.start2 - sig.byteRange!.length1));
    const [a, b] = sig.signedChunks!;
    assert.equal(a!.length + b!.length, sig.coverage!.coveredBytes);
    assert.equal(pdf.charAt(a!.length), '<', 'the hole starts with the hex string');
    assert.equal(pdf.charAt(sig.byteRange!.start2 - 1), '>', 'and ends with it');
    assert.ok(sig.checks.every((c) => c.indication === 'TOTAL_PASSED' && c.signature === 0));
  });
});

describe('ByteRange attacks', () => {
  it('refuses a second hole (six numbers)', async () => {
    const pdf = fillByteRange(buildPdf(signedDocumentObjects(2)), ([a, b, c, d]) => [a!, b! - 40, b! - 20, 10, c!, d!]);
    const result = await analyze(pdf);
    const c = check(result, 'pdf.byte-range');
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.equal(c.subIndication, 'HASH_FAILURE');
    assert.match(c.message, /not 4/);
  });

  it('refuses a range that does not end at a revision end', async () => {
    const pdf = fillByteRange(buildPdf(signedDocumentObjects(2)), ([a, b, c, d]) => [a!, b!, c!, d! - 7]);
    const c = check(await analyze(pdf), 'pdf.byte-range');
    assert.equal(c.subIndication, 'HASH_FAILURE');
    assert.match(c.message, /not the end of any revision/);
  });

  it('refuses a hole that is not this signature\'s /Contents', async () => {
    const pdf = fillByteRange(buildPdf(signedDocumentObjects(2)), ([a, b, c, d]) => [a!, b! + 2, c!, d!]);
    const c = check(await analyze(pdf), 'pdf.byte-range');
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /delimited|not this signature/);
  });

  it('refuses a range past the end of the file', async () => {
    const pdf = fillByteRange(buildPdf(signedDocumentObjects(2)), ([a, b, c, d]) => [a!, b!, c!, d! + 100]);
    assert.match(check(await analyze(pdf), 'pdf.byte-range').message, /past the end/);
  });

  it('refuses non-zero bytes after the CMS in /Contents', async () => {
    const objects = signedDocumentObjects(2);
    objects[6] = objects[6]!.replace('3003020100000', '3003020100ff0');
    const result = await analyze(fillByteRange(buildPdf(objects)));
    const c = check(result, 'pdf.structure');
    assert.equal(c.subIndication, 'FORMAT_FAILURE');
    assert.match(c.message, /non-zero byte/);
  });
});

describe('modification analysis', () => {
  const signed = signedDocument(2);

  it('fails when an update replaces the page content', async () => {
    const pdf = appendUpdate(signed, { 4: stream('BT /F1 12 Tf 20 100 Td (Forged licence) Tj ET') });
    const result = await analyze(pdf);
    const c = check(result, 'pdf.modifications');
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.equal(c.subIndication, 'FORMAT_FAILURE');
    assert.match(c.message, /revision 1: object 4 0 \(stream\) changed: redefined \(.*stream data changed/);
    assert.equal(result.signatures[0]!.coverage!.wholeFile, false);
    assert.equal(check(result, 'pdf.byte-range').indication, 'TOTAL_PASSED');
  });

  it('fails when a FreeText annotation is added after a P=2 certification', async () => {
    const freeText = '<< /Type /Annot /Subtype /FreeText /Rect [20 90 180 120] /Contents (VOID) /DA (/Helv 12 Tf 0 g) >>';
    const page = signedDocumentObjects(2)[3]!.replace('/Annots [5 0 R]', '/Annots [5 0 R 8 0 R]');
    const result = await analyze(appendUpdate(signed, { 3: page, 8: freeText }));
    const c = check(result, 'pdf.modifications');
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /\/FreeText annotation/);
  });

  it('allows the same FreeText annotation under P=3', async () => {
    const freeText = '<< /Type /Annot /Subtype /FreeText /Rect [20 90 180 120] /Contents (note) /DA (/Helv 12 Tf 0 g) >>';
    const page = signedDocumentObjects(3)[3]!.replace('/Annots [5 0 R]', '/Annots [5 0 R 8 0 R]');
    const result = await analyze(appendUpdate(signedDocument(3), { 3: page, 8: freeText }));
    assert.equal(check(result, 'pdf.modifications').indication, 'TOTAL_PASSED');
  });

  it('allows an update that only adds a DSS', async () => {
    const catalog = signedDocumentObjects(2)[1]!.replace('/Type /Catalog', '/Type /Catalog /DSS 8 0 R');
    const pdf = appendUpdate(signed, {
      1: catalog,
      8: '<< /Certs [9 0 R] /VRI << /ABCDEF 10 0 R >> >>',
      9: stream('certificate bytes'),
      10: '<< /Cert [9 0 R] /TU (D:20260101000000Z) >>',
    });
    const result = await analyze(pdf);
    const c = check(result, 'pdf.modifications');
    assert.equal(c.indication, 'TOTAL_PASSED', c.message);
    assert.ok((c.details!.allowedChanges as string[]).some((line) => /object 9 0 .*DSS/.test(line)));
  });

  it('fails when the DSS update also changes a font', async () => {
    const catalog = signedDocumentObjects(2)[1]!.replace('/Type /Catalog', '/Type /Catalog /DSS 8 0 R');
    const pdf = appendUpdate(signed, { 1: catalog, 8: '<< /Certs [7 0 R] >>', 7: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>' });
    const c = check(await analyze(pdf), 'pdf.modifications');
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /object 7 0 \(dictionary \/Type \/Font \/Type1\) changed/);
  });

  it('allows an approval signature in a new field after P=2, and refuses it after P=1', async () => {
    const build = (p: 1 | 2) => {
      const objects = signedDocumentObjects(p);
      const update = appendUpdate(signedDocument(p), {
        1: objects[1]!.replace('/Fields [5 0 R]', '/Fields [5 0 R 8 0 R]'),
        3: objects[3]!.replace('/Annots [5 0 R]', '/Annots [5 0 R 8 0 R]'),
        8: '<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 9 0 R >>',
        9: signatureDictionary(),
      });
      return fillByteRange(update);
    };
    const allowed = await analyze(build(2));
    assert.equal(allowed.signatures.length, 2);
    assert.equal(check(allowed, 'pdf.modifications', 0).indication, 'TOTAL_PASSED', check(allowed, 'pdf.modifications', 0).message);
    assert.equal(allowed.signatures[1]!.kind, 'approval');
    assert.equal(allowed.signatures[1]!.signedRevision, 1);
    assert.equal(check(allowed, 'pdf.byte-range', 1).indication, 'TOTAL_PASSED');
    const refused = await analyze(build(1));
    const c = check(refused, 'pdf.modifications', 0);
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /P=1/);
  });

  it('fails when an xref entry is redirected to a shadow object with another number', async () => {
    const base = appendUpdate(signed, { 8: stream('BT (shadow) Tj ET') });
    const shadowAt = base.indexOf('8 0 obj');
    const pdf = appendUpdate(base, { 4: stream('unused') }, { offsetOverrides: { 4: shadowAt } });
    const c = check(await analyze(pdf), 'pdf.modifications');
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /object 4 0 .*points at a different or unreadable object/);
    const structure = (await analyze(pdf)).documentChecks[0]!;
    assert.equal(structure.subIndication, 'FORMAT_FAILURE');
    assert.match(structure.message, /xref entry for 4 0 points at object 8 0/);
  });

  it('fails when a signed object is deleted, and when its number is then reused', async () => {
    const deleted = appendUpdate(signed, {}, { freed: [7] });
    assert.match(check(await analyze(deleted), 'pdf.modifications').message, /object 7 1 .*deleted/);
    const reused = appendUpdate(deleted, { 7: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>' });
    const c = check(await analyze(reused), 'pdf.modifications');
    assert.match(c.message, /reused|generation changed/);
  });

  it('allows an identical rewrite of a signed object and says so', async () => {
    const objects = signedDocumentObjects(2);
    const pdf = appendUpdate(signed, { 7: objects[7]!.replace(/ /g, '  ') });
    const c = check(await analyze(pdf), 'pdf.modifications');
    assert.equal(c.indication, 'TOTAL_PASSED');
    assert.match((c.details!.allowedChanges as string[])[0]!, /identical content/);
  });

  it('fails when an update fills a reference the signed revision left dangling', async () => {
    const objects = signedDocumentObjects(null);
    objects[3] = objects[3]!.replace('/Contents 4 0 R', '/Contents [4 0 R 8 0 R]');
    const pdf = appendUpdate(fillByteRange(buildPdf(objects)), { 8: stream('BT (added later) Tj ET') });
    const c = check(await analyze(pdf), 'pdf.modifications');
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /object 8 0 \(stream\) added/);
  });

  it('fails when the trailer gains a key after signing', async () => {
    const pdf = appendUpdate(signed, {}, { trailerExtra: '/FooBar 4 0 R' });
    assert.match(check(await analyze(pdf), 'pdf.modifications').message, /trailer \/FooBar added/);
  });
});

describe('hostile structure', () => {
  it('reports a /Prev loop as a format failure', async () => {
    const pdf = signedDocument(2);
    const selfPrev = appendUpdate(pdf, {}, { prev: pdf.length });
    const result = await analyze(selfPrev);
    assert.equal(result.documentChecks[0]!.subIndication, 'FORMAT_FAILURE');
    assert.match(result.documentChecks[0]!.message, /PDF_REFERENCE_LOOP/);
  });

  it('refuses deep nesting without overflowing the stack', async () => {
    const objects = signedDocumentObjects(2);
    objects[7] = '['.repeat(200_000) + ']'.repeat(200_000);
    const result = await analyze(fillByteRange(buildPdf(objects)));
    assert.equal(result.documentChecks[0]!.indication, 'TOTAL_FAILED');
    assert.match(result.documentChecks[0]!.message, /PDF_LIMIT_EXCEEDED: nesting deeper than 64/);
  });

  it('stops a deflate bomb at the decoded-size cap', async () => {
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024));
    const objstm = `<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`;
    // The bomb is an object stream the cross-reference stream needs, so loading must decode it.
    const header = '%PDF-1.7\n';
    const bodyStart = header.length;
    const obj1 = '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n';
    const obj3Start = bodyStart + obj1.length;
    const obj3Head = `3 0 obj\n${objstm}`;
    const obj3 = obj3Head + latin1String(bomb) + '\nendstream\nendobj\n';
    const xrefAt = obj3Start + obj3.length;
    const rows = [
      [0, 0, 0],
      [1, bodyStart, 0],
      [2, 3, 0],
      [1, obj3Start, 0],
      [1, xrefAt, 0],
    ];
    const data = new Uint8Array(rows.flatMap(([t, f2, f3]) => [t!, (f2! >> 24) & 255, (f2! >> 16) & 255, (f2! >> 8) & 255, f2! & 255, f3!]));
    const xrefStream = `4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 1] /Root 1 0 R /Length ${data.length} >>\nstream\n${latin1String(data)}\nendstream\nendobj\n`;
    const pdf = `${header}${obj1}${obj3}${xrefStream}startxref\n${xrefAt}\n%%EOF\n`;
    const started = performance.now();
    const result = await analyze(pdf, { maxDecodedStreamBytes: 8 * 1024 * 1024 });
    assert.ok(performance.now() - started < 2000);
    assert.match(result.documentChecks[0]!.message, /PDF_LIMIT_EXCEEDED: stream decodes to more than 8388608 bytes/);
  });

  it('turns garbage into a format failure, never an exception', async () => {
    for (const input of ['', 'hello', '%PDF-1.7\n', '%PDF-1.7\nstartxref\n999999\n%%EOF', '%PDF-1.7\n1 0 obj << /A (unterminated >> endobj\nstartxref\n9\n%%EOF']) {
      const result = await analyze(input);
      assert.equal(result.documentChecks[0]!.subIndication, 'FORMAT_FAILURE', input);
      assert.equal(result.signatures.length, 0);
    }
  });
});

function latin1String(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}
