/**
 * Regression tests over the shared corpora (../shared/corpora beside the repository, see each README):
 * RUB-NDS certification attacks, pyHanko's signed fixtures, and malformed files from qpdf and pdf.js.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { corpusPath } from '../../../test-support/corpora.js';
import { analyzePdfSignatures } from './analyze.js';

const CORPORA = corpusPath('').replace(/\/$/, '');

async function analyzeFile(path: string) {
  return analyzePdfSignatures(new Uint8Array(readFileSync(path)));
}

function modificationVerdicts(result: Awaited<ReturnType<typeof analyzeFile>>): string[] {
  return result.signatures.map((s) => s.checks.find((c) => c.id === 'pdf.modifications')!.indication);
}

describe('RUB-NDS PDF-Tester certification attacks', () => {
  const root = join(CORPORA, 'rub-pdf-tester/PDFSigner/src/main/resources/2020/examples');
  const originals = ['1/01_Test_cert_p2_original.pdf', '1/02_Test_cert_p2_sign_original.pdf', '2/01_NDA_cert_p2_original.pdf'];
  const manipulated = ['1/03_Test_cert_p2_sign_manipulate.pdf', '2/03_NDA_cert_p2_sign_manipulate.pdf', '2/04_NDA_cert_p2_sign_sign_manipulate.pdf'];

  for (const file of originals) {
    it(`does not flag the untouched ${file}`, async () => {
      const result = await analyzeFile(join(root, file));
      assert.ok(result.signatures.length > 0);
      for (const s of result.signatures) for (const c of s.checks) assert.equal(c.indication, 'TOTAL_PASSED', `${c.id}: ${c.message}`);
    });
  }

  for (const file of manipulated) {
    it(`flags the certification signature of ${file}`, async () => {
      const result = await analyzeFile(join(root, file));
      const certification = result.signatures.find((s) => s.kind === 'certification');
      assert.ok(certification);
      const c = certification.checks.find((x) => x.id === 'pdf.modifications')!;
      assert.equal(c.indication, 'TOTAL_FAILED');
      assert.equal(c.subIndication, 'FORMAT_FAILURE');
    });
  }

  // The sneaky signature attack in two steps: the second signer's revision also adds an empty signature
  // field "Signature1" whose /Rect is the whole page, and 03/04 later give a field an appearance laid
  // over the certified content. Adding a visible signature field after a certification is refused (as
  // pyHanko's default policy does), so the preparation is caught already, before any appearance exists.
  it('flags the full-page signature field prepared in 2/02_NDA_cert_p2_sign_original.pdf', async () => {
    const result = await analyzeFile(join(root, '2/02_NDA_cert_p2_sign_original.pdf'));
    const certification = result.signatures.find((s) => s.kind === 'certification')!;
    const c = certification.checks.find((x) => x.id === 'pdf.modifications')!;
    assert.equal(c.indication, 'TOTAL_FAILED');
    assert.match(c.message, /new signature field "Signature1" has a visible widget/);
    const approval = result.signatures.find((s) => s.kind === 'approval')!;
    assert.ok(approval.checks.every((x) => x.indication === 'TOTAL_PASSED'));
  });

  it('keeps the PDFDocs certified files structurally valid (their difference is the digest)', async () => {
    for (const file of ['minimal_cert.pdf', 'minimal_cert_invalid.pdf']) {
      const result = await analyzeFile(join(CORPORA, 'rub-pdf-tester/PDFDocs', file));
      assert.deepEqual(modificationVerdicts(result), ['TOTAL_PASSED']);
      assert.equal(result.signatures[0]!.coverage!.wholeFile, true);
    }
  });
});

describe('pyHanko fixtures', () => {
  const pdf = (name: string) => join(CORPORA, 'pyhanko-testdata/pdf', name);

  for (const name of ['one-byterange.pdf', 'signature-gap-too-big.pdf', 'tail-uncovered.pdf', 'weird-byterange.pdf']) {
    it(`fails the ByteRange of coverage-anomalies/${name}`, async () => {
      const result = await analyzeFile(pdf(`coverage-anomalies/${name}`));
      const c = result.signatures[0]!.checks.find((x) => x.id === 'pdf.byte-range')!;
      assert.equal(c.indication, 'TOTAL_FAILED');
      assert.equal(c.subIndication, 'HASH_FAILURE');
    });
  }

  // pyHanko: ModificationLevel.OTHER (disallowed). In the four "sneaky" files the empty field's old
  // appearance (stream, or indirect /AP dictionary) is also reachable from a catalog or trailer /FooBar:
  // replacing or rewriting it is then not a change to the signed field alone.
  for (const name of [
    'form-update-override-appearance-stream-sneaky.pdf',
    'form-update-override-appearance-stream-ap-indirect-sneaky.pdf',
    'form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf',
    'form-update-ap-indirect-sneaky-trailer.pdf',
    'extensions-indirect-not-all-paths.pdf',
  ]) {
    it(`flags the first signature of ${name}`, async () => {
      assert.equal(modificationVerdicts(await analyzeFile(pdf(name)))[0], 'TOTAL_FAILED');
    });
  }

  // pyHanko: FORM_FILLING / LTA_UPDATES (allowed). The two override files rewrite the empty field's
  // appearance stream in place; nothing but that field uses it, so this equals giving it a new stream.
  for (const name of [
    'form-update-override-appearance-stream.pdf',
    'form-update-override-appearance-stream-ap-indirect.pdf',
    'form-update-no-override-appearance-stream-ap-indirect.pdf',
    'form-update-original-ap-type-wrong.pdf',
    'extensions-direct.pdf',
    'extensions-indirect.pdf',
    'extensions-update-direct.pdf',
    'extensions-update-indirect.pdf',
    'minimal-signed-twice-both-created.pdf',
    'minimal-signed-twice-second-created.pdf',
    'minimal-signed-twice-no-sig-type.pdf',
    'minimal-two-fields-signed-twice.pdf',
    'separate-annots-kids-indir.pdf',
    'pades-lta-dss-indirect-arrs-test.pdf',
    'pades-lta-dss-indirect-arrs-test-2.pdf',
  ]) {
    it(`allows the later revisions of ${name}`, async () => {
      const verdicts = modificationVerdicts(await analyzeFile(pdf(name)));
      assert.ok(verdicts.length > 0);
      assert.ok(verdicts.every((v) => v === 'TOTAL_PASSED'), verdicts.join());
    });
  }

  it('fails the structure of a file whose xref entry points at another object', async () => {
    const result = await analyzeFile(pdf('minimal-annotless.pdf'));
    assert.equal(result.documentChecks[0]!.subIndication, 'FORMAT_FAILURE');
  });
});

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else if (!/\.(md|txt|tsv)$/i.test(name)) out.push(path);
  }
  return out;
}

describe('malformed corpora (qpdf, pdf.js)', () => {
  it('every file gives a report in under 2 s without throwing, in bounded memory', async () => {
    const files = [...filesUnder(join(CORPORA, 'qpdf')), ...filesUnder(join(CORPORA, 'pdfjs-malformed'))];
    assert.ok(files.length > 700);
    let slowest = 0;
    let failures = 0;
    for (const file of files) {
      const started = performance.now();
      const result = await analyzeFile(file);
      const elapsed = performance.now() - started;
      slowest = Math.max(slowest, elapsed);
      assert.ok(elapsed < 2000, `${file} took ${elapsed.toFixed(0)} ms`);
      const structure = result.documentChecks[0]!;
      if (structure.indication !== 'TOTAL_PASSED') {
        failures++;
        assert.equal(structure.subIndication, 'FORMAT_FAILURE', file);
      }
    }
    assert.ok(failures > 200, `only ${failures} files reported as malformed`);
    assert.ok(process.memoryUsage().rss < 1024 * 1024 * 1024, 'resident memory above 1 GiB');
  });
});
