/**
 * Decoded stream data. FlateDecode (with predictors) is decoded; any other filter is reported as not
 * decoded rather than guessed at, so callers can tell "empty" from "not understood".
 */
import { PdfError } from './errors.js';
import { inflateBounded } from './inflate.js';
import type { WorkBudget } from './limits.js';
import { PdfDict, PdfName, type PdfObject, type PdfStream } from './objects.js';
import { undoPredictor } from './predictor.js';

export type DecodedStream =
  | { readonly decoded: true; readonly data: Uint8Array }
  | { readonly decoded: false; readonly filter: string };

const FLATE = new Set(['FlateDecode', 'Fl']);

/** Filters and their parameters, with a single filter written as a one-element list. */
function filterChain(dict: PdfDict, resolve: (value: PdfObject | undefined) => PdfObject | undefined): { name: string; parms: PdfDict | undefined }[] {
  const filter = resolve(dict.get('Filter'));
  const parms = resolve(dict.get('DecodeParms'));
  const names = filter === undefined ? [] : Array.isArray(filter) ? filter.map((f) => resolve(f)) : [filter];
  const parmList = Array.isArray(parms) ? parms.map((p) => resolve(p)) : [parms];
  return names.map((name, i) => {
    const p = parmList[i];
    return { name: name instanceof PdfName ? name.name : '?', parms: p instanceof PdfDict ? p : undefined };
  });
}

export async function decodeStream(
  stream: PdfStream,
  budget: WorkBudget,
  resolve: (value: PdfObject | undefined) => PdfObject | undefined = (v) => v,
): Promise<DecodedStream> {
  const chain = filterChain(stream.dict, resolve);
  let data = stream.raw;
  for (const { name, parms } of chain) {
    if (!FLATE.has(name)) return { decoded: false, filter: name };
    data = await inflateBounded(data, budget.limits.maxDecodedStreamBytes, stream.rawOffset);
    budget.addDecoded(data.length, stream.rawOffset);
    budget.spend(data.length >> 6, stream.rawOffset);
    data = undoPredictor(data, parms, stream.rawOffset);
  }
  return { decoded: true, data };
}

/** For streams the reader itself needs (xref and object streams): anything not decodable is an error. */
export async function decodeRequiredStream(stream: PdfStream, budget: WorkBudget, what: string): Promise<Uint8Array> {
  const result = await decodeStream(stream, budget);
  if (!result.decoded) throw new PdfError('PDF_UNSUPPORTED', `${what} uses filter /${result.filter}`, stream.rawOffset);
  return result.data;
}
