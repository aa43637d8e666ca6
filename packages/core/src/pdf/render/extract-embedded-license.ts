/**
 * Reads the license.jws a license PDF carries, through the hostile-input parser (pdf/parse): the
 * verifier reads it from the revision the certification signature covers, `extractEmbeddedLicense`
 * from the whole file. Bounded in input size, name-tree walk and inflated size.
 */
import { fromUtf8 } from '../../bytes.js';
import { ElicenseError, isElicenseError } from '../../errors.js';
import { MAX_JWS_BYTES, parseJws } from '../../jws/parse.js';
import { loadPdf, PdfStream, textOf, type PdfObject, type RevisionView } from '../parse/index.js';
import { EMBEDDED_LICENSE_FILE_NAME } from './embedded-license.js';

export const MAX_LICENSE_PDF_BYTES = 32 * 1024 * 1024;
const MAX_FILE_SPECS = 64;
const MAX_NAME_TREE_DEPTH = 8;

/** File specifications from the catalog's /AF, then the EmbeddedFiles name tree; bounded in count and depth. */
function fileSpecs(view: RevisionView): PdfObject[] {
  const specs: PdfObject[] = [];
  for (const spec of view.array(view.catalog?.get('AF')) ?? []) if (specs.length < MAX_FILE_SPECS) specs.push(spec);
  let visited = 0;
  const walk = (node: PdfObject | undefined, depth: number): void => {
    const dict = view.dict(node);
    if (!dict || depth > MAX_NAME_TREE_DEPTH || ++visited > MAX_FILE_SPECS) return;
    const leaves = view.array(dict.get('Names')) ?? [];
    for (let i = 1; i < leaves.length && specs.length < MAX_FILE_SPECS; i += 2) specs.push(leaves[i]!);
    for (const kid of (view.array(dict.get('Kids')) ?? []).slice(0, MAX_FILE_SPECS)) walk(kid, depth + 1);
  };
  walk(view.dict(view.catalog?.get('Names'))?.get('EmbeddedFiles'), 0);
  return specs;
}

/**
 * The embedded `license.jws` of a revision as text; undefined when there is none or it is not readable
 * as a stored or FlateDecode'd file of at most a JWS's size. A stream that inflates past the parser's
 * limits throws (ERR_INPUT_TOO_LARGE).
 */
export async function readEmbeddedLicense(view: RevisionView): Promise<string | undefined> {
  const data = await readEmbeddedFile(view, EMBEDDED_LICENSE_FILE_NAME, MAX_JWS_BYTES, 'the embedded license is larger than a license JWS may be');
  return data === undefined ? undefined : fromUtf8(data);
}

/**
 * The first associated or embedded file of a revision named `name` (by /UF, else /F), decoded; undefined
 * when there is none or none is readable as a stored or FlateDecode'd file. Larger than `maxBytes`
 * throws ERR_INPUT_TOO_LARGE with `tooLarge` as the message, as does a stream that inflates past the
 * parser's limits.
 */
export async function readEmbeddedFile(view: RevisionView, name: string, maxBytes: number, tooLarge: string): Promise<Uint8Array | undefined> {
  for (const specValue of fileSpecs(view)) {
    const spec = view.dict(specValue);
    if (!spec) continue;
    const specName = textOf(view.resolve(spec.get('UF'))) ?? textOf(view.resolve(spec.get('F')));
    if (specName !== name) continue;
    const stream = view.resolve(view.dict(spec.get('EF'))?.get('F'));
    if (!(stream instanceof PdfStream)) continue;
    const decoded = await view.decode(stream);
    if (!decoded.decoded) continue;
    if (decoded.data.length > maxBytes) throw new ElicenseError('ERR_INPUT_TOO_LARGE', tooLarge, { field: 'pdf' });
    return decoded.data;
  }
  return undefined;
}

/** The embedded license's JWS exactly as embedded. Throws ElicenseError: ERR_PDF_INVALID (field `pdf`), ERR_INPUT_TOO_LARGE, ERR_JWS_INVALID. */
export async function extractEmbeddedLicense(pdfBytes: Uint8Array): Promise<string> {
  if (!(pdfBytes instanceof Uint8Array)) throw invalid('the PDF is given as bytes');
  if (pdfBytes.length > MAX_LICENSE_PDF_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `the PDF is larger than ${MAX_LICENSE_PDF_BYTES} bytes`, { field: 'pdf' });
  }
  let text: string | undefined;
  try {
    text = await readFromFile(pdfBytes, false).catch((error: unknown) => {
      // Reading (not verifying) may repair a damaged cross-reference by scanning for objects.
      if (isElicenseError(error, 'ERR_INPUT_TOO_LARGE')) throw error;
      return readFromFile(pdfBytes, true);
    });
  } catch (cause) {
    if (isElicenseError(cause, 'ERR_INPUT_TOO_LARGE')) {
      throw new ElicenseError('ERR_INPUT_TOO_LARGE', 'the embedded license inflates past the size of a license JWS', { cause, field: 'pdf' });
    }
    throw invalid('the file is not a readable, unencrypted PDF', cause);
  }
  if (text === undefined) throw invalid(`the PDF has no embedded ${EMBEDDED_LICENSE_FILE_NAME}`);
  parseJws(text);
  return text;
}

async function readFromFile(pdfBytes: Uint8Array, recover: boolean): Promise<string | undefined> {
  // Only the embedded file is decoded here, so its cap can be a JWS's size.
  const doc = await loadPdf(pdfBytes, { limits: { maxDecodedStreamBytes: MAX_JWS_BYTES + 1 }, recover });
  return readEmbeddedLicense(doc.at());
}

function invalid(message: string, cause?: unknown): ElicenseError {
  return new ElicenseError('ERR_PDF_INVALID', message, cause === undefined ? { field: 'pdf' } : { cause, field: 'pdf' });
}
