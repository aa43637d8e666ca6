/**
 * Rules about form fields after signing: new visible signature fields after a certification (the
 * sneaky signature attack), appearance streams rewritten in place, signatures outside the AcroForm,
 * FieldMDP locks, and form filling at P=2.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzePdfSignatures, type PdfSignatureAnalysis } from './analyze.js';
import { appendUpdate, buildPdf, docMdpReference, fillByteRange, latin1Bytes, signatureDictionary, signedDocument, signedDocumentObjects, stream } from './testing.js';

async function analyze(pdf: string): Promise<PdfSignatureAnalysis> {
  return analyzePdfSignatures(latin1Bytes(pdf));
}

function structure(result: PdfSignatureAnalysis, signature = 0) {
  const found = result.signatures[signature]?.checks.find((c) => c.id === 'pdf.structure');
  assert.ok(found, `no pdf.structure check for signature ${signature}`);
  return found;
}

function modifications(result: PdfSignatureAnalysis, signature = 0) {
  const found = result.signatures[signature]?.checks.find((c) => c.id === 'pdf.modifications');
  assert.ok(found, `no pdf.modifications check for signature ${signature}`);
  return found;
}

const APPEARANCE = stream('BT /F1 12 Tf 20 100 Td (Forged licence) Tj ET', '/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /Font << /F1 7 0 R >> >> ');

/** Adds a signed signature field 8 (value 9, appearance 10) with `rect` to the signed document `p`. */
function newSignedField(p: 1 | 2 | 3 | null, rect: string): string {
  const objects = signedDocumentObjects(p);
  return fillByteRange(
    appendUpdate(signedDocument(p), {
      1: objects[1]!.replace('/Fields [5 0 R]', '/Fields [5 0 R 8 0 R]'),
      3: objects[3]!.replace('/Annots [5 0 R]', '/Annots [5 0 R 8 0 R]'),
      8: `<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect ${rect} /F 4 /P 3 0 R /V 9 0 R /AP << /N 10 0 R >> >>`,
      9: signatureDictionary(),
      10: APPEARANCE,
    }),
  );
}

describe('sneaky signature: new visible signature fields', () => {
  it('refuses a new visible signature field after a P=2 certification', async () => {
    const result = await analyze(newSignedField(2, '[0 0 200 200]'));
    const c = modifications(result);
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.equal(c.subIndication, 'FORMAT_FAILURE');
    assert.match(c.message, /new signature field "Sig2" has a visible widget; after a certification only invisible/);
    assert.equal(modifications(result, 1).indication, 'TOTAL_PASSED', 'the second signature itself has nothing after it');
  });

  it('refuses it at P=3 too, where annotations would be allowed', async () => {
    assert.equal(modifications(await analyze(newSignedField(3, '[0 0 200 200]'))).indication, 'TOTAL_FAILED');
  });

  it('counts a /Rect that is not four direct numbers as visible', async () => {
    assert.equal(modifications(await analyze(newSignedField(2, '[0 0 200 (wide)]'))).indication, 'TOTAL_FAILED');
  });

  it('allows the same field when invisible, and after approval signatures only', async () => {
    const invisible = modifications(await analyze(newSignedField(2, '[0 0 0 0]')));
    assert.equal(invisible.indication, 'TOTAL_PASSED', invisible.message);
    const uncertified = modifications(await analyze(newSignedField(null, '[0 0 200 200]')));
    assert.equal(uncertified.indication, 'TOTAL_PASSED', uncertified.message);
  });
});

/** The signed document `p` with an empty visible signature field 8 whose appearance stream is 10. */
function withEmptyField(p: 1 | 2 | 3 | null, catalogExtra = ''): { objects: Record<number, string>; pdf: string } {
  const objects = signedDocumentObjects(p);
  objects[1] = objects[1]!.replace('/Fields [5 0 R]', '/Fields [5 0 R 8 0 R]').replace('/Type /Catalog', `/Type /Catalog ${catalogExtra}`);
  objects[3] = objects[3]!.replace('/Annots [5 0 R]', '/Annots [5 0 R 8 0 R]');
  objects[8] = '<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [10 150 190 180] /F 4 /P 3 0 R /AP << /N 10 0 R >> >>';
  objects[10] = stream('', '/Type /XObject /Subtype /Form /BBox [0 0 180 30] ');
  return { objects, pdf: fillByteRange(buildPdf(objects)) };
}

function signEmptyFieldInPlace(base: { objects: Record<number, string>; pdf: string }): string {
  return fillByteRange(
    appendUpdate(base.pdf, {
      8: base.objects[8]!.replace('/AP', '/V 9 0 R /AP'),
      9: signatureDictionary(),
      10: stream('BT /F1 9 Tf 2 10 Td (Signed by the office) Tj ET', '/Type /XObject /Subtype /Form /BBox [0 0 180 30] /Resources << /Font << /F1 11 0 R >> >> '),
      11: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>',
    }),
  );
}

describe('appearance streams of a field signed now', () => {
  it('allows rewriting the empty field\'s own appearance stream in place, with the new objects it needs', async () => {
    const result = await analyze(signEmptyFieldInPlace(withEmptyField(2)));
    const c = modifications(result);
    assert.equal(c.indication, 'TOTAL_PASSED', c.message);
    const allowed = c.details!.allowedChanges as string[];
    assert.ok(allowed.some((line) => /object 10 0 .*rewritten in place \(used by nothing else\)/.test(line)), allowed.join('\n'));
    assert.ok(allowed.some((line) => /object 11 0 .*appearance of the field signed now/.test(line)));
  });

  it('refuses the rewrite when something else also uses that appearance stream', async () => {
    const c = modifications(await analyze(signEmptyFieldInPlace(withEmptyField(2, '/Shown 10 0 R'))));
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /object 10 0 .*overwritten in place, though also used by 1 0 R/);
  });

  it('refuses replacing an indirect appearance dictionary that something else also uses', async () => {
    const base = withEmptyField(2, '/Shown 12 0 R');
    base.objects[8] = base.objects[8]!.replace('/AP << /N 10 0 R >>', '/AP 12 0 R');
    base.objects[12] = '<< /N 10 0 R >>';
    base.pdf = fillByteRange(buildPdf(base.objects));
    const pdf = fillByteRange(
      appendUpdate(base.pdf, {
        8: base.objects[8]!.replace('/AP 12 0 R', '/V 9 0 R /AP << /N 13 0 R >>'),
        9: signatureDictionary(),
        13: stream('BT (Signed) Tj ET', '/Type /XObject /Subtype /Form /BBox [0 0 180 30] '),
      }),
    );
    const c = modifications(await analyze(pdf));
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /appearance dictionary 12 0 R is also used by 1 0 R/);
  });
});

describe('signatures outside the AcroForm', () => {
  it('finds a signed widget that only a page reaches, and fails its structure', async () => {
    const objects = signedDocumentObjects(null);
    objects[1] = objects[1]!.replace('/Fields [5 0 R]', '/Fields []');
    const result = await analyze(fillByteRange(buildPdf(objects)));
    assert.equal(result.signatures.length, 1);
    assert.equal(structure(result).indication, 'TOTAL_FAILED');
    assert.match(structure(result).message, /not in the AcroForm \/Fields tree/);
    assert.equal(result.signatures[0]!.field, 'Sig1');
  });

  it('follows the widget\'s /Parent to the field that holds the signature', async () => {
    const objects = signedDocumentObjects(null);
    objects[1] = objects[1]!.replace('/AcroForm << /Fields [5 0 R] /SigFlags 3 >>', '');
    objects[5] = '<< /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /Parent 8 0 R >>';
    objects[8] = '<< /FT /Sig /T (Hidden) /V 6 0 R /Kids [5 0 R] >>';
    const result = await analyze(fillByteRange(buildPdf(objects)));
    assert.deepEqual(
      result.signatures.map((s) => s.field),
      ['Hidden'],
    );
    assert.equal(structure(result).indication, 'TOTAL_FAILED');
  });

  it('never counts a signature dictionary that nothing reaches, and lists it', async () => {
    const objects = signedDocumentObjects(null);
    objects[5] = objects[5]!.replace('/V 6 0 R ', '');
    const result = await analyze(fillByteRange(buildPdf(objects)));
    assert.equal(result.signatures.length, 0);
    assert.deepEqual(result.unreachableSignatures, [{ num: 6, gen: 0, revision: 0 }]);
    const documentStructure = result.documentChecks[0]!;
    assert.equal(documentStructure.indication, 'TOTAL_PASSED');
    assert.ok((documentStructure.details!.warnings as string[]).some((w) => /no field reaches \(ignored\): 6 0 R/.test(w)));
  });

  it('lists a signature whose field a later revision removed from the form and the page', async () => {
    const objects = signedDocumentObjects(null);
    const removed = appendUpdate(signedDocument(null), {
      1: objects[1]!.replace('/Fields [5 0 R]', '/Fields []'),
      3: objects[3]!.replace('/Annots [5 0 R]', '/Annots []'),
    });
    const result = await analyze(removed);
    assert.equal(result.signatures.length, 0);
    assert.deepEqual(
      result.unreachableSignatures.map((u) => u.num),
      [6],
    );
  });
});

/** A P=2 certification whose signature dictionary carries `lock`, with an empty invisible field Sig2 signed afterwards. */
function signLaterField(fieldMdp: string, fieldLock = ''): string {
  const objects = signedDocumentObjects(2);
  objects[1] = objects[1]!.replace('/Fields [5 0 R]', '/Fields [5 0 R 8 0 R]');
  objects[3] = objects[3]!.replace('/Annots [5 0 R]', '/Annots [5 0 R 8 0 R]');
  objects[5] = objects[5]!.replace('/V 6 0 R', `/V 6 0 R ${fieldLock}`);
  objects[6] = signatureDictionary(docMdpReference(2).replace(/\]$/, `${fieldMdp}]`));
  objects[8] = '<< /FT /Sig /T (Sig2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>';
  const signed = fillByteRange(buildPdf(objects));
  return fillByteRange(appendUpdate(signed, { 8: objects[8].replace('/P 3 0 R', '/P 3 0 R /V 9 0 R'), 9: signatureDictionary() }));
}

const fieldMdp = (action: string, fields = '') =>
  `<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams /Action /${action} ${fields} /V /1.2 >> >>`;

describe('FieldMDP', () => {
  it('refuses signing a field that the certification locks with /Include', async () => {
    const result = await analyze(signLaterField(fieldMdp('Include', '/Fields [(Sig2)]')));
    assert.deepEqual(result.signatures[0]!.fieldLock, { action: 'Include', fields: ['Sig2'], source: 'FieldMDP' });
    const c = modifications(result);
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /object 8 0 \(part of form field "Sig2"\) changed: field is locked by the FieldMDP transform of signature field "Sig1" \(\/Action \/Include\)/);
  });

  it('allows it when the lock excludes the field, or names another', async () => {
    for (const lock of [fieldMdp('Exclude', '/Fields [(Sig2)]'), fieldMdp('Include', '/Fields [(Other)]')]) {
      const c = modifications(await analyze(signLaterField(lock)));
      assert.equal(c.indication, 'TOTAL_PASSED', c.message);
    }
  });

  it('reads the field\'s /Lock dictionary when the signature carries no FieldMDP reference', async () => {
    const result = await analyze(signLaterField('', '/Lock << /Type /SigFieldLock /Action /All >>'));
    assert.equal(result.signatures[0]!.fieldLock?.source, 'Lock');
    const c = modifications(result);
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /locked by the \/Lock dictionary of signature field "Sig1" \(\/Action \/All\)/);
  });

  it('still allows an invisible new signature field under /Action /All (document timestamps)', async () => {
    const objects = signedDocumentObjects(2);
    objects[6] = signatureDictionary(docMdpReference(2).replace(/\]$/, `${fieldMdp('All')}]`));
    const signed = fillByteRange(buildPdf(objects));
    const pdf = fillByteRange(
      appendUpdate(signed, {
        1: objects[1]!.replace('/Fields [5 0 R]', '/Fields [5 0 R 8 0 R]'),
        3: objects[3]!.replace('/Annots [5 0 R]', '/Annots [5 0 R 8 0 R]'),
        8: '<< /FT /Sig /T (Timestamp) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 9 0 R >>',
        9: signatureDictionary().replace('/Type /Sig', '/Type /DocTimeStamp').replace('ETSI.CAdES.detached', 'ETSI.RFC3161'),
      }),
    );
    const c = modifications(await analyze(pdf));
    assert.equal(c.indication, 'TOTAL_PASSED', c.message);
  });
});

describe('form filling at P=2', () => {
  it('refuses filling in a text field, and says that ISO 32000-1 would allow it', async () => {
    const objects = signedDocumentObjects(2);
    objects[1] = objects[1]!.replace('/Fields [5 0 R]', '/Fields [5 0 R 8 0 R]');
    objects[3] = objects[3]!.replace('/Annots [5 0 R]', '/Annots [5 0 R 8 0 R]');
    objects[8] = '<< /FT /Tx /T (Holder) /Type /Annot /Subtype /Widget /Rect [10 150 190 180] /F 4 /P 3 0 R /V (Zhang San) >>';
    const pdf = appendUpdate(fillByteRange(buildPdf(objects)), { 8: objects[8].replace('(Zhang San)', '(Li Si)') });
    const c = modifications(await analyze(pdf));
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /form field "Holder" \(\/Tx\) filled in or changed: ISO 32000-1 allows form filling at DocMDP P>=2, but this verifier refuses it/);
  });
});

describe('signature values in fields not typed /Sig', () => {
  it('finds the signature and fails its structure', async () => {
    const objects = signedDocumentObjects(null);
    objects[5] = objects[5]!.replace('/FT /Sig', '/FT /Tx');
    const result = await analyze(fillByteRange(buildPdf(objects)));
    assert.equal(result.signatures.length, 1);
    assert.equal(structure(result).indication, 'TOTAL_FAILED');
    assert.match(structure(result).message, /typed \/Tx, not \/Sig/);
    assert.deepEqual(result.unreachableSignatures, []);
  });
});
