/**
 * Hand-assembled PDFs for the parser and verifier tests: a one-page document with a signature field,
 * incremental updates with classic xref tables, and a ByteRange patched in afterwards, so that each
 * attack file is exactly the bytes the test means. Test support only; not exported from the package.
 * The signature is not cryptographically valid (that is the CMS layer's business); its /Contents is
 * a minimal DER SEQUENCE padded with zeros, as a signer would leave it.
 */

export type ObjectBodies = Readonly<Record<number, string>>;

const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';
/** `30 03 02 01 00` (SEQUENCE { INTEGER 0 }) then zero padding, as hex. */
export const FAKE_CMS_HEX = '3003020100' + '0'.repeat(502);

export function signatureDictionary(extra = ''): string {
  return `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER} /Contents <${FAKE_CMS_HEX}> /M (D:20260101080000+08'00') /Reason (issued) ${extra}>>`;
}

export function docMdpReference(p: 1 | 2 | 3): string {
  return `/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${p} /V /1.2 >> >>]`;
}

/** A one-page document whose field 5 is signed by dictionary 6, certified with `p` unless null. */
export function signedDocumentObjects(p: 1 | 2 | 3 | null): Record<number, string> {
  const perms = p === null ? '' : '/Perms << /DocMDP 6 0 R >> ';
  return {
    1: `<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> ${perms}>>`,
    2: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    3: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 7 0 R >> >> /Annots [5 0 R] >>',
    4: stream('BT /F1 12 Tf 20 100 Td (Business licence) Tj ET'),
    5: '<< /FT /Sig /T (Sig1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 6 0 R >>',
    6: signatureDictionary(p === null ? '' : docMdpReference(p)),
    7: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  };
}

export function stream(content: string, dict = ''): string {
  return `<< /Length ${content.length} ${dict}>>\nstream\n${content}\nendstream`;
}

function xrefTable(entries: readonly (readonly [number, number])[], withFreeHead: boolean): string {
  const lines = ['xref'];
  if (withFreeHead) lines.push('0 1', '0000000000 65535 f ');
  for (const [num, offset] of entries) lines.push(`${num} 1`, `${String(offset).padStart(10, '0')} 00000 n `);
  return lines.join('\n') + '\n';
}

function objectsSection(start: number, objects: ObjectBodies): { text: string; offsets: [number, number][] } {
  let text = '';
  const offsets: [number, number][] = [];
  for (const [key, body] of Object.entries(objects)) {
    const num = Number(key);
    offsets.push([num, start + text.length]);
    text += `${num} 0 obj\n${body}\nendobj\n`;
  }
  return { text, offsets };
}

function lastStartxref(pdf: string): number {
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf);
  if (!match) throw new Error('no startxref at the end');
  return Number(match[1]);
}

/** Revision 0: header, objects, xref table, trailer. */
export function buildPdf(objects: ObjectBodies, trailerExtra = ''): string {
  const header = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const { text, offsets } = objectsSection(header.length, objects);
  const xrefAt = header.length + text.length;
  const size = Math.max(...Object.keys(objects).map(Number)) + 1;
  return `${header}${text}${xrefTable(offsets, true)}trailer\n<< /Size ${size} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
}

export interface UpdateOptions {
  readonly trailerExtra?: string;
  /** Overrides where the xref entries point, e.g. to redirect an entry to another object. */
  readonly offsetOverrides?: Readonly<Record<number, number>>;
  /** Overrides the /Prev offset (loops). */
  readonly prev?: number;
  readonly freed?: readonly number[];
}

/** An incremental update appending `objects` with its own xref table and trailer. */
export function appendUpdate(pdf: string, objects: ObjectBodies, options: UpdateOptions = {}): string {
  const { text, offsets } = objectsSection(pdf.length, objects);
  const entries = offsets.map(([num, offset]) => [num, options.offsetOverrides?.[num] ?? offset] as const);
  const xrefAt = pdf.length + text.length;
  const prev = options.prev ?? lastStartxref(pdf);
  const maxNum = Math.max(0, ...Object.keys(objects).map(Number), ...(options.freed ?? []));
  const sizeMatch = [...pdf.matchAll(/\/Size (\d+)/g)].pop();
  const size = Math.max(Number(sizeMatch?.[1] ?? 0), maxNum + 1);
  let xref = xrefTable(entries, true);
  for (const num of options.freed ?? []) xref += `${num} 1\n0000000000 00001 f \n`;
  return `${pdf}${text}${xref}trailer\n<< /Size ${size} /Root 1 0 R /Prev ${prev} ${options.trailerExtra ?? ''}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
}

/**
 * Fills the last ByteRange placeholder so that it covers the file as it is now, around the /Contents
 * that follows the placeholder; `mutate` may change the four numbers to build broken ranges.
 */
export function fillByteRange(pdf: string, mutate: (range: number[]) => number[] = (r) => r): string {
  const at = pdf.lastIndexOf(BYTE_RANGE_PLACEHOLDER);
  if (at < 0) throw new Error('no ByteRange placeholder');
  const holeStart = pdf.indexOf('/Contents <', at) + '/Contents '.length;
  const holeEnd = pdf.indexOf('>', holeStart) + 1;
  const range = mutate([0, holeStart, holeEnd, pdf.length - holeEnd]);
  const text = `/ByteRange [${range.join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  if (text.length !== BYTE_RANGE_PLACEHOLDER.length) throw new Error('ByteRange does not fit its placeholder');
  return pdf.slice(0, at) + text + pdf.slice(at + text.length);
}

export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** The signed one-page document as bytes, signature covering the whole file. */
export function signedDocument(p: 1 | 2 | 3 | null): string {
  return fillByteRange(buildPdf(signedDocumentObjects(p)));
}
