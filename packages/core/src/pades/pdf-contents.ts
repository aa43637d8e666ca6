/**
 * What a license PDF carries besides its signatures, read with the hostile-input parser from one
 * revision: the embedded signed JSON license and the DSS validation data. The embedded license is read
 * from the revision the certification signature covers, so nothing added later can stand in for it.
 */
import { fromUtf8 } from '../bytes.js';
import { MAX_JWS_BYTES } from '../jws/parse.js';
import { PdfStream, textOf, type PdfObject, type RevisionView } from '../pdf/parse/index.js';
import { EMBEDDED_LICENSE_FILE_NAME } from '../pdf/render/index.js';

const MAX_FILE_SPECS = 64;
const MAX_NAME_TREE_DEPTH = 8;
const MAX_DSS_ENTRIES = 256;

async function streamBytes(view: RevisionView, value: PdfObject | undefined, limit: number): Promise<Uint8Array | undefined> {
  const stream = view.resolve(value);
  if (!(stream instanceof PdfStream)) return undefined;
  const decoded = await view.decode(stream);
  if (!decoded.decoded || decoded.data.length > limit) return undefined;
  return decoded.data;
}

/** File specifications from the catalog's /AF, then the EmbeddedFiles name tree; bounded in count and depth. */
function fileSpecs(view: RevisionView): PdfObject[] {
  const specs: PdfObject[] = [];
  for (const spec of view.array(view.catalog?.get('AF')) ?? []) if (specs.length < MAX_FILE_SPECS) specs.push(spec);
  const names = view.dict(view.catalog?.get('Names'));
  let visited = 0;
  const walk = (node: PdfObject | undefined, depth: number): void => {
    const dict = view.dict(node);
    if (!dict || depth > MAX_NAME_TREE_DEPTH || ++visited > MAX_FILE_SPECS) return;
    const leaves = view.array(dict.get('Names')) ?? [];
    for (let i = 1; i < leaves.length && specs.length < MAX_FILE_SPECS; i += 2) specs.push(leaves[i]!);
    for (const kid of (view.array(dict.get('Kids')) ?? []).slice(0, MAX_FILE_SPECS)) walk(kid, depth + 1);
  };
  walk(names?.get('EmbeddedFiles'), 0);
  return specs;
}

/** The embedded `license.jws` as text, or undefined when the revision has none (or an unreadable one). */
export async function readEmbeddedLicense(view: RevisionView): Promise<string | undefined> {
  for (const specValue of fileSpecs(view)) {
    const spec = view.dict(specValue);
    if (!spec) continue;
    const name = textOf(view.resolve(spec.get('UF'))) ?? textOf(view.resolve(spec.get('F')));
    if (name !== EMBEDDED_LICENSE_FILE_NAME) continue;
    const data = await streamBytes(view, view.dict(spec.get('EF'))?.get('F'), MAX_JWS_BYTES);
    if (data) return fromUtf8(data);
  }
  return undefined;
}

export interface DssData {
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
}

/** The certificates and CRLs of the catalog's /DSS (ETSI EN 319 142-1 §5.4.2); OCSP responses are not read. */
export async function readDss(view: RevisionView): Promise<DssData> {
  const dss = view.dict(view.catalog?.get('DSS'));
  const read = async (key: string) => {
    const out: Uint8Array[] = [];
    for (const item of (view.array(dss?.get(key)) ?? []).slice(0, MAX_DSS_ENTRIES)) {
      const data = await streamBytes(view, item, 1 << 20);
      if (data) out.push(data);
    }
    return out;
  };
  return { certificates: await read('Certs'), crls: await read('CRLs') };
}
