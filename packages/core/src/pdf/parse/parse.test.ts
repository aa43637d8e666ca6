import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { FindingLog } from './findings.js';
import { Lexer } from './lexer.js';
import { WorkBudget, resolveLimits } from './limits.js';
import { parseValue, type ParseContext } from './object-parser.js';
import type { PdfStream} from './objects.js';
import { PdfDict, PdfReal, PdfRef, PdfString, type PdfObject } from './objects.js';
import { isPdfError, loadPdf, parsePdfDate } from './index.js';
import { appendUpdate, buildPdf, latin1Bytes, stream } from '../verify/testing.js';

function ctx(limits = {}): ParseContext {
  return { budget: new WorkBudget(resolveLimits(limits)), findings: new FindingLog(), fileOffsets: true };
}

function parse(text: string, limits = {}): PdfObject {
  const c = ctx(limits);
  return parseValue(new Lexer(latin1Bytes(text), c.budget), c);
}

function text(value: PdfObject | undefined): string {
  assert.ok(value instanceof PdfString);
  return String.fromCharCode(...value.bytes);
}

describe('lexer and object parser', () => {
  it('reads literal strings with escapes, nesting and line continuations', () => {
    assert.equal(text(parse('(a\\(b\\)c (nested) \\101\\7\\n\\\\ \\\nend)')), 'a(b)c (nested) A\x07\n\\ end');
    assert.equal(text(parse('(x\r\ny)')), 'x\ny');
  });

  it('reads hex strings with whitespace and an odd final digit', () => {
    assert.equal(text(parse('<48 65 6C6C 6F7>')), 'Hello\x70');
  });

  it('reads trailing zero digits (signature padding) exactly as any other digits', () => {
    // The digit-by-digit reading of ISO 32000-1 §7.3.4.3, to compare with.
    const reference = (digits: string) => {
      const clean = digits.replace(/\s/g, '');
      const padded = clean.length % 2 ? `${clean}0` : clean;
      return Array.from({ length: padded.length / 2 }, (_, i) => String.fromCharCode(parseInt(padded.slice(2 * i, 2 * i + 2), 16))).join('');
    };
    const cases = ['', '0', '00', '000', '7', '70', '700', '7000', 'ab 0', 'a b00', '3082 0000', '308200\n000', '00 00 0', 'f'.repeat(9) + '0'.repeat(31)];
    for (let seed = 1; seed <= 200; seed++) {
      // Deterministic mixes of digits, whitespace and long zero runs, of odd and even lengths.
      let digits = '';
      for (let i = 0, x = seed; i < (seed % 37) + 1; i++, x = (x * 1103515245 + 12345) % 2 ** 31) {
        digits += x % 5 === 0 ? ' ' : x % 3 === 0 ? '0'.repeat(x % 40) : '0123456789abcdefABCDEF'[x % 22]!;
      }
      cases.push(digits);
    }
    for (const digits of cases) assert.equal(text(parse(`<${digits}>`)), reference(digits), JSON.stringify(digits));
  });

  it('reads names with #xx escapes, references, reals and drops null entries', () => {
    const dict = parse('<< /A#20B 12 0 R /N -0.5 /I 7 /Z null /Arr [1 2 3 0 R] >>');
    assert.ok(dict instanceof PdfDict);
    assert.deepEqual(dict.keys(), ['A B', 'N', 'I', 'Arr']);
    assert.ok(dict.get('A B') instanceof PdfRef);
    assert.deepEqual(dict.get('N'), new PdfReal(-0.5));
    assert.equal(dict.get('I'), 7);
    const arr = dict.get('Arr') as PdfObject[];
    assert.deepEqual(arr, [1, 2, new PdfRef(3, 0)], 'integers before a reference stay integers');
  });

  it('records where a hex string lies in the file', () => {
    const value = parse('   <00ff>');
    assert.ok(value instanceof PdfString);
    assert.deepEqual(value.span, { start: 3, end: 9 });
  });

  it('refuses nesting past the limit and unterminated strings, with offsets', () => {
    assert.throws(() => parse('['.repeat(100) + ']'.repeat(100)), (e) => isPdfError(e, 'PDF_LIMIT_EXCEEDED'));
    assert.throws(() => parse('  (never closed'), (e) => isPdfError(e, 'PDF_MALFORMED') && e.offset === 2);
    assert.throws(() => parse('<< /A 1 /B'), (e) => isPdfError(e, 'PDF_MALFORMED'));
  });

  it('refuses strings longer than the limit', () => {
    assert.throws(() => parse(`(${'a'.repeat(2000)})`, { maxStringBytes: 1000 }), (e) => isPdfError(e, 'PDF_LIMIT_EXCEEDED'));
  });

  it('stops at the work budget', () => {
    assert.throws(() => parse(`[${'1 '.repeat(5000)}]`, { maxWork: 1000 }), (e) => isPdfError(e, 'PDF_LIMIT_EXCEEDED'));
  });

  it('parses PDF dates with time zones', () => {
    assert.equal(parsePdfDate("D:20260101080000+08'00'"), '2026-01-01T00:00:00.000Z');
    assert.equal(parsePdfDate('D:2026'), '2026-01-01T00:00:00.000Z');
    assert.equal(parsePdfDate('yesterday'), undefined);
  });
});

const OBJECTS = {
  1: '<< /Type /Catalog /Pages 2 0 R >>',
  2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  3: '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>',
  4: stream('BT (one) Tj ET'),
};

describe('documents and revisions', () => {
  it('reads revisions, their ends and the document at each revision', async () => {
    const first = buildPdf(OBJECTS);
    const second = appendUpdate(first, { 4: stream('BT (two) Tj ET') });
    const doc = await loadPdf(latin1Bytes(second));
    assert.equal(doc.revisions.length, 2);
    assert.equal(doc.revisions[0]!.endOffset, first.length);
    assert.equal(doc.revisions[1]!.endOffset, second.length);
    assert.deepEqual([...doc.revisions[1]!.entries.keys()], [0, 4]);
    const content = (k: number) => String.fromCharCode(...(doc.at(k).get(new PdfRef(4, 0)) as PdfStream).raw);
    assert.equal(content(0), 'BT (one) Tj ET');
    assert.equal(content(1), 'BT (two) Tj ET');
    assert.equal(doc.at(1).pages.length, 1);
    assert.deepEqual(doc.findings, []);
  });

  it('resolves an indirect /Length and notes one that is wrong', async () => {
    const pdf = buildPdf({ ...OBJECTS, 4: '<< /Length 5 0 R >>\nstream\nBT ET\nendstream', 5: '5' });
    const doc = await loadPdf(latin1Bytes(pdf));
    assert.equal((doc.at().get(new PdfRef(4, 0)) as PdfStream).raw.length, 5);
    assert.deepEqual(doc.findings, []);
    const wrong = await loadPdf(latin1Bytes(buildPdf({ ...OBJECTS, 4: '<< /Length 3 >>\nstream\nBT ET\nendstream' })));
    assert.equal((wrong.at().get(new PdfRef(4, 0)) as PdfStream).raw.length, 5);
    assert.match(wrong.findings[0]!.message, /\/Length 3 does not end/);
  });

  it('detects a /Length that refers to its own stream', async () => {
    const doc = await loadPdf(latin1Bytes(buildPdf({ ...OBJECTS, 4: '<< /Length 4 0 R >>\nstream\nBT ET\nendstream' })));
    doc.at().get(new PdfRef(4, 0));
    assert.ok(doc.findings.some((f) => /refers back to its own stream/.test(f.message)));
  });

  it('reads cross-reference streams with the PNG Up predictor and object streams', async () => {
    const header = '%PDF-1.7\n';
    const objstmBody = '1 0 2 40 ';
    const objs = '<< /Type /Catalog /Pages 2 0 R >>      ' + ' ' + '<< /Type /Pages /Kids [] /Count 0 >>';
    const objstmData = deflateSync(latin1Bytes(objstmBody + objs));
    const objstm = `3 0 obj\n<< /Type /ObjStm /N 2 /First ${objstmBody.length} /Filter /FlateDecode /Length ${objstmData.length} >>\nstream\n`;
    const objstmText = objstm + String.fromCharCode(...objstmData) + '\nendstream\nendobj\n';
    const xrefAt = header.length + objstmText.length;
    const rows = [
      [0, 0, 255],
      [2, 3, 0],
      [2, 3, 1],
      [1, header.length, 0],
      [1, xrefAt, 0],
    ];
    // PNG Up: each row is prefixed by filter type 2 and holds differences from the row above.
    const raw: number[] = [];
    let previous = [0, 0, 0, 0];
    for (const [t, f2, f3] of rows) {
      const row = [t!, (f2! >> 8) & 255, f2! & 255, f3!];
      raw.push(2, ...row.map((b, i) => (b - previous[i]! + 256) & 255));
      previous = row;
    }
    const data = deflateSync(new Uint8Array(raw));
    const xref = `4 0 obj\n<< /Type /XRef /Size 5 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >> /Length ${data.length} >>\nstream\n${String.fromCharCode(...data)}\nendstream\nendobj\n`;
    const pdf = `${header}${objstmText}${xref}startxref\n${xrefAt}\n%%EOF\n`;
    const doc = await loadPdf(latin1Bytes(pdf));
    assert.equal(doc.revisions[0]!.sections[0]!.kind, 'stream');
    assert.equal(doc.revisions[0]!.entries.get(1)?.type, 'compressed');
    assert.ok(doc.at().catalog?.has('Pages'));
    const pages = doc.at().dict(doc.at().catalog?.get('Pages'));
    assert.equal(pages?.get('Count'), 0);
    assert.deepEqual(doc.findings, []);
  });

  it('reports a /Prev loop and a startxref that points nowhere', async () => {
    const pdf = buildPdf(OBJECTS);
    const looped = appendUpdate(pdf, {}, { prev: pdf.length });
    await assert.rejects(loadPdf(latin1Bytes(looped)), (e) => isPdfError(e, 'PDF_REFERENCE_LOOP'));
    const nowhere = pdf.replace(/startxref\n\d+/, 'startxref\n3');
    await assert.rejects(loadPdf(latin1Bytes(nowhere)), (e) => isPdfError(e, 'PDF_MALFORMED'));
  });

  it('recovers a file with broken cross-references only when asked, and says so', async () => {
    const broken = buildPdf(OBJECTS).replace(/startxref\n\d+/, 'startxref\n3');
    const doc = await loadPdf(latin1Bytes(broken), { recover: true });
    assert.equal(doc.recovered, true);
    assert.equal(doc.at().pages.length, 1);
    assert.ok(doc.findings.some((f) => f.severity === 'error' && /recovered by scanning/.test(f.message)));
  });

  it('finds a page-tree loop without hanging', async () => {
    const doc = await loadPdf(latin1Bytes(buildPdf({ ...OBJECTS, 2: '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>' })));
    assert.equal(doc.at().pages.length, 1);
    assert.ok(doc.findings.some((f) => /page tree loops back to 2 0 R/.test(f.message)));
  });

  it('decodes FlateDecode content and reports other filters as not decoded', async () => {
    const data = deflateSync(latin1Bytes('BT (hi) Tj ET'));
    const pdf = buildPdf({ ...OBJECTS, 4: `<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n${String.fromCharCode(...data)}\nendstream`, 5: stream('00ff', '/Filter /ASCIIHexDecode ') });
    const doc = await loadPdf(latin1Bytes(pdf));
    const decoded = await doc.at().decode(doc.at().get(new PdfRef(4, 0)) as PdfStream);
    assert.ok(decoded.decoded && String.fromCharCode(...decoded.data) === 'BT (hi) Tj ET');
    assert.deepEqual(await doc.at().decode(doc.at().get(new PdfRef(5, 0)) as PdfStream), { decoded: false, filter: 'ASCIIHexDecode' });
  });
});
