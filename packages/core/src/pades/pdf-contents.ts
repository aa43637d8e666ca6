/**
 * The DSS validation data of a PDF revision, read with the hostile-input parser.
 */
import { PdfStream, type PdfObject, type RevisionView } from '../pdf/parse/index.js';

const MAX_DSS_ENTRIES = 256;

async function streamBytes(view: RevisionView, value: PdfObject | undefined, limit: number): Promise<Uint8Array | undefined> {
  const stream = view.resolve(value);
  if (!(stream instanceof PdfStream)) return undefined;
  const decoded = await view.decode(stream);
  if (!decoded.decoded || decoded.data.length > limit) return undefined;
  return decoded.data;
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
