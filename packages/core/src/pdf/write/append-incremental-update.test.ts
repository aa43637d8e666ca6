import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PDFContext, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { isElicenseError, type ErrorCode } from '../../errors.js';
import { appendIncrementalUpdate, readPdfTrailer } from './index.js';
import { pathToFileURL } from 'node:url';
import { corpusPath } from '../../../test-support/corpora.js';

const CORPUS = pathToFileURL(corpusPath('pyhanko-testdata/pdf/'));
const corpus = (name: string) => new Uint8Array(readFileSync(new URL(name, CORPUS)));
const work = mkdtempSync(join(tmpdir(), 'elicense-pdf-write-'));

/** qpdf must find nothing to complain about: exit 0 (3 means warnings) and no WARNING lines. */
function assertQpdfClean(pdf: Uint8Array, name: string): void {
  const path = join(work, name);
  writeFileSync(path, pdf);
  const run = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
  assert.equal(run.status, 0, `qpdf --check ${name}: ${run.stdout}${run.stderr}`);
  assert.doesNotMatch(run.stdout + run.stderr, /WARNING/);
}

function qpdfShowObject(pdf: Uint8Array, name: string, objectNumber: number): string {
  const path = join(work, name);
  writeFileSync(path, pdf);
  const run = spawnSync('qpdf', [`--show-object=${objectNumber}`, path], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

async function pdfLibDocument(useObjectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  return doc.save({ useObjectStreams });
}

function marker(text: string): PDFDict {
  const dict = PDFDict.withContext(PDFContext.create());
  dict.set(PDFName.of('Marker'), PDFString.of(text));
  return dict;
}

const inputs: Array<[string, () => Promise<Uint8Array>, 'table' | 'stream']> = [
  ['pyHanko minimal.pdf (xref table)', async () => corpus('minimal.pdf'), 'table'],
  ['pyHanko minimal-xref.pdf (xref stream)', async () => corpus('minimal-xref.pdf'), 'stream'],
  ['pyHanko minimal-hybrid-xref.pdf (table with /XRefStm)', async () => corpus('minimal-hybrid-xref.pdf'), 'table'],
  ['pdf-lib without object streams', () => pdfLibDocument(false), 'table'],
  ['pdf-lib with object streams', () => pdfLibDocument(true), 'stream'],
];

for (const [label, load, kind] of inputs) {
  test(`an update to ${label} keeps the original as a prefix and adds readable objects`, async () => {
    const pdf = await load();
    const before = readPdfTrailer(pdf);
    assert.equal(before.xrefKind, kind);
    const newRef = PDFRef.of(before.size);
    // Rewrite the catalog too: a changed object keeps its number and generation.
    const catalog = (await PDFDocument.load(pdf, { updateMetadata: false })).catalog;
    const changedCatalog = PDFDict.withContext(PDFContext.create());
    for (const [key, value] of catalog.entries()) changedCatalog.set(key, value);
    changedCatalog.set(PDFName.of('Marker'), newRef);

    const updated = appendIncrementalUpdate(pdf, {
      objects: [
        { ref: newRef, object: marker('new object') },
        { ref: before.root, object: changedCatalog },
        { ref: PDFRef.of(before.size + 1), bytes: new TextEncoder().encode('<< /Raw 1 >>') },
      ],
    });
    assert.deepEqual(updated.subarray(0, pdf.length), pdf, 'original bytes are an unchanged prefix');
    assertQpdfClean(updated, `update-${kind}-${before.size}.pdf`);

    const after = readPdfTrailer(updated);
    assert.equal(after.xrefKind, kind, 'the update uses the same kind of cross-reference section');
    assert.ok(after.startxref > pdf.length);
    assert.equal(String(after.root), String(before.root));
    if (before.id !== undefined) assert.equal(String(after.id), String(before.id), '/ID carried over');
    else assert.match(String(after.id), /^\[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]$/, 'a missing /ID is added');
    if (before.info !== undefined) assert.equal(String(after.info), String(before.info));
    assert.ok(after.size >= before.size + 2);

    assert.match(qpdfShowObject(updated, 'show.pdf', newRef.objectNumber), /\/Marker \(new object\)/);
    assert.match(qpdfShowObject(updated, 'show.pdf', before.root.objectNumber), new RegExp(`/Marker ${newRef.objectNumber} 0 R`));
    assert.match(qpdfShowObject(updated, 'show.pdf', before.size + 1), /\/Raw 1/);

    const reread = await PDFDocument.load(updated, { updateMetadata: false });
    assert.equal(reread.getPageCount(), (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount());
    const seen = reread.context.lookup(reread.catalog.get(PDFName.of('Marker')) as PDFRef);
    assert.ok(seen instanceof PDFDict);
    assert.equal((seen.get(PDFName.of('Marker')) as PDFString).decodeText(), 'new object');
  });
}

test('a table update lists /Prev and one subsection per run of object numbers', () => {
  const pdf = corpus('minimal.pdf');
  const { size, startxref } = readPdfTrailer(pdf);
  const updated = appendIncrementalUpdate(pdf, {
    objects: [
      { ref: PDFRef.of(size + 2), object: PDFNumber.of(3) },
      { ref: PDFRef.of(size), object: PDFNumber.of(1) },
      { ref: PDFRef.of(size + 1), object: PDFNumber.of(2) },
      { ref: PDFRef.of(size + 5), object: PDFNumber.of(6) },
    ],
  });
  const tail = new TextDecoder('latin1').decode(updated.subarray(pdf.length));
  assert.match(tail, new RegExp(`\\nxref\\n${size} 3\\n(\\d{10} 00000 n\\r\\n){3}${size + 5} 1\\n\\d{10} 00000 n\\r\\ntrailer`));
  assert.match(tail, new RegExp(`/Prev ${startxref}\\b`));
  assert.match(tail, new RegExp(`/Size ${size + 6}\\b`));
  assertQpdfClean(updated, 'runs.pdf');
});

test('the writer refuses encrypted files, a clash of object numbers and trailer keys it owns', () => {
  const plain = corpus('minimal.pdf');
  const { size } = readPdfTrailer(plain);
  const object = { ref: PDFRef.of(size), object: PDFNumber.of(1) };
  const refusals: Array<[() => unknown, ErrorCode]> = [
    [() => appendIncrementalUpdate(corpus('minimal-aes256.pdf'), { objects: [object] }), 'ERR_INVALID_INPUT'],
    [() => appendIncrementalUpdate(plain, { objects: [object, object] }), 'ERR_INVALID_INPUT'],
    [() => appendIncrementalUpdate(plain, { objects: [] }), 'ERR_INVALID_INPUT'],
    [() => appendIncrementalUpdate(plain, { objects: [{ ref: PDFRef.of(0), object: PDFNumber.of(1) }] }), 'ERR_INVALID_INPUT'],
    [() => appendIncrementalUpdate(plain, { objects: [object], trailer: { Prev: PDFNumber.of(0) } }), 'ERR_INVALID_INPUT'],
  ];
  for (const [attempt, code] of refusals) assert.throws(attempt, (e) => isElicenseError(e, code));
});

test('malformed input is a clear error, not a crash', () => {
  const object = { ref: PDFRef.of(5), object: PDFNumber.of(1) };
  const garbage = [
    new Uint8Array(0),
    new TextEncoder().encode('%PDF-1.7\nnot a pdf at all'),
    new TextEncoder().encode('%PDF-1.7\nstartxref\n999999\n%%EOF\n'),
    new TextEncoder().encode('%PDF-1.7\n1 0 obj << >> endobj\nstartxref\n9\n%%EOF\n'),
    new TextEncoder().encode('%PDF-1.7\nxref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n'),
    corpus('minimal-startxref-hopeless.pdf'),
  ];
  for (const pdf of garbage) {
    assert.throws(() => appendIncrementalUpdate(pdf, { objects: [object] }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'pdf');
  }
});
