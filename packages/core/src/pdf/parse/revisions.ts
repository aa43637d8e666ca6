/**
 * The revisions of a file: the original and each incremental update (ISO 32000-1 §7.5.6), found by
 * following `startxref` and the /Prev chain. Each revision ends after the `%%EOF` that follows its
 * cross-reference section; that end is what a signature's ByteRange must match. A /Prev that points
 * forward (a linearized file's first-page section pointing at its main table) joins the two sections
 * into one revision.
 */
import { ascii, indexOfBytes, lastIndexOfBytes } from './byte-search.js';
import { PdfError, malformed } from './errors.js';
import { Lexer } from './lexer.js';
import type { ParseContext } from './object-parser.js';
import type { PdfDict } from './objects.js';
import { readXrefSection, type XrefEntry, type XrefSection } from './xref.js';

export interface Revision {
  /** 0 for the original document, counting up with each incremental update. */
  readonly index: number;
  /** Its cross-reference sections, newest first (one, or two for linearized and hybrid-stream files). */
  readonly sections: readonly XrefSection[];
  /** The trailer of its newest section. */
  readonly trailer: PdfDict;
  /** Entries this revision adds or changes (free entries included). */
  readonly entries: ReadonlyMap<number, XrefEntry>;
  /** Offset just after its `%%EOF`. */
  readonly eofOffset: number;
  /** Offset after the end-of-line that follows `%%EOF` (equal to eofOffset when there is none). */
  readonly endOffset: number;
}

const STARTXREF = ascii('startxref');
const EOF_MARKER = ascii('%%EOF');

/** The offset `startxref` at the end of the file names, with where that keyword is. */
export function findStartXref(bytes: Uint8Array, ctx: ParseContext): { offset: number; at: number } {
  // Readers look in the last 1024 bytes (Implementation note in ISO 32000-1 Annex H); a little more is harmless.
  const at = lastIndexOfBytes(bytes, STARTXREF, bytes.length, Math.max(0, bytes.length - 4096));
  if (at < 0) throw malformed('no startxref near the end of the file', bytes.length);
  const lexer = new Lexer(bytes, ctx.budget, at + STARTXREF.length);
  const token = lexer.next();
  if (token.type !== 'int' || token.value < 0) throw malformed('startxref is not followed by an offset', at);
  return { offset: token.value, at };
}

/** Reads one section, then the hybrid file's /XRefStm stream, whose entries fill in what the table lacks. */
async function readSectionWithHybrid(bytes: Uint8Array, offset: number, ctx: ParseContext, count: { count: number }): Promise<XrefSection> {
  const section = await readXrefSection(bytes, offset, ctx, count);
  const xrefStm = section.trailer.get('XRefStm');
  if (section.kind !== 'table' || xrefStm === undefined) return section;
  if (typeof xrefStm !== 'number') throw malformed('/XRefStm is not an offset', offset);
  const hidden = await readXrefSection(bytes, xrefStm, ctx, count);
  if (hidden.kind !== 'stream') throw malformed('/XRefStm does not point at an xref stream', xrefStm);
  const entries = new Map(hidden.entries);
  for (const [num, entry] of section.entries) entries.set(num, entry);
  return { ...section, entries };
}

export async function readRevisions(bytes: Uint8Array, ctx: ParseContext): Promise<Revision[]> {
  const start = findStartXref(bytes, ctx);
  const chain: XrefSection[] = [];
  const visited = new Set<number>();
  const count = { count: 0 };
  let offset: number | undefined = start.offset;
  while (offset !== undefined) {
    if (visited.has(offset)) throw new PdfError('PDF_REFERENCE_LOOP', `/Prev chain returns to offset ${offset}`, offset);
    visited.add(offset);
    if (chain.length >= ctx.budget.limits.maxRevisions) throw new PdfError('PDF_LIMIT_EXCEEDED', `more than ${ctx.budget.limits.maxRevisions} cross-reference sections`, offset);
    const section = await readSectionWithHybrid(bytes, offset, ctx, count);
    chain.push(section);
    const prev = section.trailer.get('Prev');
    if (prev !== undefined && (typeof prev !== 'number' || prev < 0 || prev >= bytes.length)) throw malformed('/Prev is not an offset inside the file', section.offset);
    offset = prev;
  }
  return groupIntoRevisions(bytes, chain, ctx);
}

function groupIntoRevisions(bytes: Uint8Array, chainNewestFirst: XrefSection[], ctx: ParseContext): Revision[] {
  const groups: XrefSection[][] = [];
  for (const section of chainNewestFirst) {
    const current = groups[groups.length - 1];
    const newer = current?.[current.length - 1];
    if (current && newer && section.offset > newer.offset) current.push(section);
    else groups.push([section]);
  }
  groups.reverse();
  const revisions: Revision[] = [];
  let previousEnd = 0;
  for (const [index, sections] of groups.entries()) {
    const entries = new Map<number, XrefEntry>();
    // Within a group the newer section wins, so apply oldest first.
    for (const section of [...sections].reverse()) for (const [num, entry] of section.entries) entries.set(num, entry);
    const sectionEnd = Math.max(...sections.map((s) => s.end));
    const sectionStart = Math.min(...sections.map((s) => s.offset));
    if (sectionStart < previousEnd) {
      ctx.findings.add('error', `the cross-reference section of revision ${index} lies inside revision ${index - 1}`, sectionStart);
    }
    const { eofOffset, endOffset } = revisionEnd(bytes, sectionEnd, Math.max(previousEnd, sectionEnd));
    previousEnd = endOffset;
    revisions.push({ index, sections, trailer: sections[0]!.trailer, entries, eofOffset, endOffset });
  }
  return revisions;
}

function revisionEnd(bytes: Uint8Array, sectionEnd: number, searchFrom: number): { eofOffset: number; endOffset: number } {
  const at = indexOfBytes(bytes, EOF_MARKER, searchFrom);
  if (at < 0) throw malformed('no %%EOF after the cross-reference section', sectionEnd);
  const eofOffset = at + EOF_MARKER.length;
  let endOffset = eofOffset;
  if (bytes[endOffset] === 0x0d) endOffset++;
  if (bytes[endOffset] === 0x0a) endOffset++;
  return { eofOffset, endOffset };
}
