/**
 * ByteRange checks (ISO 32000-1 §12.8.1, ETSI EN 319 142-1 §5.3): exactly two ranges, the first
 * starting at 0, the single hole exactly the /Contents hex string of this signature dictionary with
 * its angle brackets, nothing past the end of the file, and the covered bytes ending exactly where a
 * revision ends. Anything else lets a file show one thing and have another thing signed ("USF" and
 * "signature wrapping" attacks).
 */
import { PdfString, type PdfDict, type PdfDocument } from '../parse/index.js';

export interface ByteRange {
  readonly start1: number;
  readonly length1: number;
  readonly start2: number;
  readonly length2: number;
}

export interface Coverage {
  /** Bytes the signature covers (the file minus the hole, up to the covered end). */
  readonly coveredBytes: number;
  readonly fileBytes: number;
  /** True when the covered range runs to the end of the file. */
  readonly wholeFile: boolean;
  /** Where the covered range ends. */
  readonly coveredEnd: number;
}

export type ByteRangeResult =
  | { readonly ok: true; readonly byteRange: ByteRange; readonly coverage: Coverage; readonly signedRevision: number }
  | { readonly ok: false; readonly problems: readonly string[]; readonly byteRange?: ByteRange; readonly coverage?: Coverage };

export function checkByteRange(doc: PdfDocument, signature: PdfDict): ByteRangeResult {
  const value = signature.get('ByteRange');
  if (!Array.isArray(value)) return { ok: false, problems: ['/ByteRange is missing or not an array'] };
  if (value.length !== 4) return { ok: false, problems: [`/ByteRange has ${value.length} numbers, not 4 (exactly one hole is allowed)`] };
  if (!value.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
    return { ok: false, problems: ['/ByteRange holds something other than non-negative integers'] };
  }
  const [start1, length1, start2, length2] = value as [number, number, number, number];
  const byteRange = { start1, length1, start2, length2 };
  const bytes = doc.bytes;
  const coveredEnd = start2 + length2;
  const coverage: Coverage = { coveredBytes: length1 + length2, fileBytes: bytes.length, wholeFile: coveredEnd === bytes.length, coveredEnd };
  const problems: string[] = [];
  if (start1 !== 0) problems.push(`the first range starts at ${start1}, not 0`);
  const holeStart = start1 + length1;
  if (start2 <= holeStart) problems.push(`the second range (at ${start2}) does not start after the first ends (at ${holeStart})`);
  if (coveredEnd > bytes.length) problems.push(`the second range ends at ${coveredEnd}, past the end of the file (${bytes.length})`);
  if (problems.length === 0) {
    if (bytes[holeStart] !== 0x3c || bytes[start2 - 1] !== 0x3e) problems.push(`the hole [${holeStart}, ${start2}) is not delimited by '<' and '>'`);
    const contents = signature.get('Contents');
    if (!(contents instanceof PdfString) || !contents.hex) problems.push('/Contents is not a hex string');
    else if (!contents.span) problems.push('the signature dictionary is inside an object stream, so its /Contents cannot be the hole');
    else if (contents.span.start !== holeStart || contents.span.end !== start2) {
      problems.push(`the hole [${holeStart}, ${start2}) is not this signature's /Contents [${contents.span.start}, ${contents.span.end})`);
    }
  }
  const revision = doc.revisions.find((r) => r.endOffset === coveredEnd || r.eofOffset === coveredEnd);
  if (!revision) problems.push(`the covered range ends at ${coveredEnd}, which is not the end of any revision`);
  if (problems.length > 0 || !revision) return { ok: false, problems, byteRange, coverage };
  return { ok: true, byteRange, coverage, signedRevision: revision.index };
}

/** The two signed byte ranges as views into the file (no copies), in order. */
export function signedChunks(bytes: Uint8Array, range: ByteRange): [Uint8Array, Uint8Array] {
  return [
    bytes.subarray(range.start1, range.start1 + range.length1),
    bytes.subarray(range.start2, range.start2 + range.length2),
  ];
}
