/**
 * The cross-reference section that closes an incremental update, in the kind the file already uses:
 * a classic table with a trailer, or a cross-reference stream (ISO 32000-2 7.5.4, 7.5.8). Either one
 * lists only the objects this update writes and points back with /Prev.
 */
import { PDFContext, PDFDict, PDFName, PDFNumber, PDFRawStream, type PDFObject } from 'pdf-lib';
import { concatBytes } from '../../bytes.js';
import { ascii, objectBytes } from './pdf-bytes.js';

export interface XrefEntry {
  readonly objectNumber: number;
  readonly generation: number;
  readonly offset: number;
}

/** Entries sorted by object number, grouped into runs of consecutive numbers (the subsections). */
function subsections(entries: readonly XrefEntry[]): XrefEntry[][] {
  const sorted = [...entries].sort((a, b) => a.objectNumber - b.objectNumber);
  const runs: XrefEntry[][] = [];
  for (const entry of sorted) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run !== undefined && last !== undefined && last.objectNumber + 1 === entry.objectNumber) run.push(entry);
    else runs.push([entry]);
  }
  return runs;
}

/** `xref`, the subsections, `trailer << ... >>`, startxref and %%EOF; `at` is where `xref` lands. */
export function xrefTable(entries: readonly XrefEntry[], trailer: PDFDict, at: number): Uint8Array {
  let text = 'xref\n';
  for (const run of subsections(entries)) {
    text += `${run[0]!.objectNumber} ${run.length}\n`;
    for (const e of run) text += `${String(e.offset).padStart(10, '0')} ${String(e.generation).padStart(5, '0')} n\r\n`;
  }
  text += `trailer\n${trailer.toString()}\nstartxref\n${at}\n%%EOF\n`;
  return ascii(text);
}

/**
 * A cross-reference stream object numbered `objectNumber`, written at `at`; it lists itself too. Its
 * dictionary carries the trailer entries. The data is left unfiltered: a few bytes per object.
 */
export function xrefStream(entries: readonly XrefEntry[], trailer: PDFDict, objectNumber: number, at: number): Uint8Array {
  const all = [...entries, { objectNumber, generation: 0, offset: at }];
  let offsetWidth = 1;
  while (at >= 256 ** offsetWidth) offsetWidth++;
  const rowWidth = 1 + offsetWidth + 2;
  const runs = subsections(all);
  const data = new Uint8Array(all.length * rowWidth);
  let pos = 0;
  const index: number[] = [];
  for (const run of runs) {
    index.push(run[0]!.objectNumber, run.length);
    for (const e of run) {
      data[pos++] = 1;
      for (let k = offsetWidth - 1; k >= 0; k--) data[pos++] = Math.floor(e.offset / 256 ** k) % 256;
      data[pos++] = (e.generation >> 8) & 0xff;
      data[pos++] = e.generation & 0xff;
    }
  }
  const context = PDFContext.create();
  const dict = trailer.clone(context);
  dict.set(PDFName.of('Type'), PDFName.of('XRef'));
  dict.set(PDFName.of('W'), context.obj([1, offsetWidth, 2]));
  dict.set(PDFName.of('Index'), context.obj(index));
  const body = objectBytes(PDFRawStream.of(dict, data));
  return concatBytes(ascii(`${objectNumber} 0 obj\n`), body, ascii(`\nendobj\nstartxref\n${at}\n%%EOF\n`));
}

export function trailerDict(entries: ReadonlyMap<string, PDFObject>, size: number): PDFDict {
  const context = PDFContext.create();
  const dict = PDFDict.withContext(context);
  dict.set(PDFName.of('Size'), PDFNumber.of(size));
  for (const [key, value] of entries) dict.set(PDFName.of(key), value);
  return dict;
}
