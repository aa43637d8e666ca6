/**
 * PAdES B-LT: an incremental update that adds validation data to the catalog's document security store
 * (/DSS, ETSI EN 319 142-1 5.4.2): certificates, CRLs and OCSP responses as streams, optionally indexed
 * per signature under /VRI. An existing /DSS is extended, and data it already holds is not repeated.
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { equalBytes } from '../../bytes.js';
import { ElicenseError } from '../../errors.js';
import { PdfUpdateDraft } from '../write/update-draft.js';

export interface DssValidationData {
  /** DER certificates. */
  readonly certificates?: readonly Uint8Array[];
  /** DER CRLs. */
  readonly crls?: readonly Uint8Array[];
  /** DER OCSPResponse values. */
  readonly ocsps?: readonly Uint8Array[];
}

export interface AddDssOptions extends DssValidationData {
  /** Validation data per signature, keyed by `vriKey(signature /Contents)`; also added to the top-level arrays. */
  readonly vri?: Readonly<Record<string, DssValidationData>>;
}

type Kind = 'certificates' | 'crls' | 'ocsps';
/** Names of the top-level arrays and of the same arrays inside a VRI entry. */
const KINDS: ReadonlyArray<readonly [Kind, string, string]> = [
  ['certificates', 'Certs', 'Cert'],
  ['crls', 'CRLs', 'CRL'],
  ['ocsps', 'OCSPs', 'OCSP'],
];
const MAX_ITEM_BYTES = 16 * 1024 * 1024;

export async function addDss(pdf: Uint8Array, options: AddDssOptions): Promise<Uint8Array> {
  const draft = await PdfUpdateDraft.open(pdf);
  const catalog = draft.resolveDict(draft.catalogRef);
  const dssEntry = catalog?.get(PDFName.of('DSS'));
  let dssRef: PDFRef;
  if (dssEntry instanceof PDFRef && draft.resolveDict(dssEntry) !== undefined) {
    dssRef = dssEntry;
  } else {
    // A new or direct /DSS becomes an object of its own, so later updates can extend it alone.
    dssRef = draft.allocate();
    const dss = PDFDict.withContext(draft.context);
    for (const [key, value] of draft.resolveDict(dssEntry)?.entries() ?? []) dss.set(key, value);
    draft.put(dssRef, dss);
    draft.editDict(draft.catalogRef).set(PDFName.of('DSS'), dssRef);
  }
  const dss = draft.editDict(dssRef);
  const store = new StreamStore(draft, dss);

  const vriEntries = Object.entries(options.vri ?? {});
  for (const [kind, arrayName] of KINDS) {
    const items = [...(options[kind] ?? []), ...vriEntries.flatMap(([, data]) => data[kind] ?? [])];
    for (const item of items) store.refFor(kind, arrayName, item);
  }

  if (vriEntries.length > 0) {
    const vri = editableDictEntry(draft, dss, 'VRI');
    for (const [key, data] of vriEntries) {
      if (!/^[0-9A-F]{40}$/.test(key)) {
        throw new ElicenseError('ERR_INVALID_INPUT', 'a VRI key is 40 uppercase hex digits (SHA-1 of the signature contents)', { field: `vri.${key}` });
      }
      const entry = PDFDict.withContext(draft.context);
      for (const [kind, arrayName, vriName] of KINDS) {
        const refs = (data[kind] ?? []).map((item) => store.refFor(kind, arrayName, item));
        if (refs.length > 0) entry.set(PDFName.of(vriName), draft.context.obj(refs));
      }
      vri.set(PDFName.of(key), entry);
    }
  }
  return draft.write().bytes;
}

/** The dictionary under `key` of `owner`, editable: its own object is rewritten when it is one. */
function editableDictEntry(draft: PdfUpdateDraft, owner: PDFDict, key: string): PDFDict {
  const entry = owner.get(PDFName.of(key));
  if (entry instanceof PDFRef && draft.resolveDict(entry) !== undefined) return draft.editDict(entry);
  const copy = PDFDict.withContext(draft.context);
  for (const [k, value] of draft.resolveDict(entry)?.entries() ?? []) copy.set(k, value);
  owner.set(PDFName.of(key), copy);
  return copy;
}

/**
 * The DSS arrays with the streams they hold, so each value is written once: data already in the file
 * or already added in this update gets the existing reference.
 */
class StreamStore {
  private readonly known = new Map<string, Array<{ bytes: Uint8Array; ref: PDFRef }>>();
  private readonly arrays = new Map<string, PDFArray>();

  constructor(
    private readonly draft: PdfUpdateDraft,
    private readonly dss: PDFDict,
  ) {}

  refFor(kind: Kind, arrayName: string, bytes: Uint8Array): PDFRef {
    if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > MAX_ITEM_BYTES) {
      throw new ElicenseError('ERR_INVALID_INPUT', `each of ${kind} is a non-empty DER value of at most 16 MiB`, { field: kind });
    }
    const array = this.array(arrayName);
    const found = this.knownIn(arrayName, array).find((k) => equalBytes(k.bytes, bytes));
    if (found !== undefined) return found.ref;
    const ref = this.draft.allocate();
    this.draft.put(ref, PDFRawStream.of(PDFDict.withContext(this.draft.context), bytes));
    array.push(ref);
    this.knownIn(arrayName, array).push({ bytes, ref });
    return ref;
  }

  private array(name: string): PDFArray {
    let array = this.arrays.get(name);
    if (array === undefined) {
      const entry = this.dss.get(PDFName.of(name));
      if (entry instanceof PDFRef && this.draft.resolveArray(entry) !== undefined) {
        array = this.draft.editArray(entry);
      } else {
        array = PDFArray.withContext(this.draft.context);
        for (const item of this.draft.resolveArray(entry)?.asArray() ?? []) array.push(item);
        this.dss.set(PDFName.of(name), array);
      }
      this.arrays.set(name, array);
    }
    return array;
  }

  /**
   * Streams already in the array. Only unfiltered ones are compared: decoding a hostile file's
   * compressed streams could inflate without bound, and a repeated value costs only space.
   */
  private knownIn(name: string, array: PDFArray): Array<{ bytes: Uint8Array; ref: PDFRef }> {
    let list = this.known.get(name);
    if (list === undefined) {
      list = [];
      for (const item of array.asArray()) {
        const stream = item instanceof PDFRef ? this.draft.resolve(item) : undefined;
        if (!(item instanceof PDFRef) || !(stream instanceof PDFRawStream)) continue;
        if (stream.dict.get(PDFName.of('Filter')) === undefined) list.push({ bytes: stream.getContents(), ref: item });
      }
      this.known.set(name, list);
    }
    return list;
  }
}

