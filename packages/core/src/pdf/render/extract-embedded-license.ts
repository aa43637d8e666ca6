/**
 * Reads the license.jws that renderLicensePdf embeds. A convenience for our own PDFs, bounded in input
 * size, name-tree walk and inflated size; verifying a PDF from outside goes through the hostile-input
 * parser in pdf/parse, not through this.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, type PDFObject } from 'pdf-lib';
import { fromUtf8 } from '../../bytes.js';
import { ElicenseError } from '../../errors.js';
import { MAX_JWS_BYTES, parseJws } from '../../jws/parse.js';
import { EMBEDDED_LICENSE_FILE_NAME } from './embedded-license.js';
import { inflateBounded } from './flate.js';

export const MAX_LICENSE_PDF_BYTES = 32 * 1024 * 1024;
const MAX_FILE_SPECS = 256;
const MAX_NAME_TREE_DEPTH = 8;

/** The embedded license's JWS exactly as embedded. Throws ElicenseError: ERR_PDF_INVALID (field `pdf`), ERR_INPUT_TOO_LARGE, ERR_JWS_INVALID. */
export async function extractEmbeddedLicense(pdfBytes: Uint8Array): Promise<string> {
  if (!(pdfBytes instanceof Uint8Array)) throw invalid('the PDF is given as bytes');
  if (pdfBytes.length > MAX_LICENSE_PDF_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `the PDF is larger than ${MAX_LICENSE_PDF_BYTES} bytes`, { field: 'pdf' });
  }
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdfBytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (cause) {
    throw invalid('the file is not a readable, unencrypted PDF', cause);
  }
  let stream: unknown;
  try {
    const spec = fileSpecs(doc).find((candidate) => fileName(candidate) === EMBEDDED_LICENSE_FILE_NAME);
    stream = spec?.lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
  } catch (cause) {
    // pdf-lib throws on objects of an unexpected type (a catalog that is not a dictionary, ...).
    throw invalid('the PDF structure is broken', cause);
  }
  if (!(stream instanceof PDFRawStream)) throw invalid(`the PDF has no embedded ${EMBEDDED_LICENSE_FILE_NAME}`);
  const text = fromUtf8(await streamData(stream));
  parseJws(text);
  return text;
}

/** File specifications from the catalog's /AF, then from the EmbeddedFiles name tree. */
function fileSpecs(doc: PDFDocument): PDFDict[] {
  const specs: PDFDict[] = [];
  const add = (value: PDFObject | undefined) => {
    const dict = value === undefined ? undefined : doc.context.lookup(value);
    if (dict instanceof PDFDict && specs.length < MAX_FILE_SPECS) specs.push(dict);
  };
  const associated = doc.catalog.lookup(PDFName.of('AF'));
  if (associated instanceof PDFArray) associated.asArray().slice(0, MAX_FILE_SPECS).forEach(add);

  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookup(PDFName.of('EmbeddedFiles'));
  let visited = 0;
  const walk = (node: unknown, depth: number) => {
    if (!(node instanceof PDFDict) || depth > MAX_NAME_TREE_DEPTH || ++visited > MAX_FILE_SPECS) return;
    const leaves = node.lookup(PDFName.of('Names'));
    if (leaves instanceof PDFArray) {
      const entries = leaves.asArray().slice(0, 2 * MAX_FILE_SPECS);
      for (let i = 1; i < entries.length; i += 2) add(entries[i]);
    }
    const kids = node.lookup(PDFName.of('Kids'));
    if (kids instanceof PDFArray) for (const kid of kids.asArray().slice(0, MAX_FILE_SPECS)) walk(doc.context.lookup(kid), depth + 1);
  };
  walk(names, 0);
  return specs;
}

function fileName(spec: PDFDict): string | undefined {
  for (const key of ['UF', 'F']) {
    const value = spec.lookup(PDFName.of(key));
    if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  }
  return undefined;
}

/** The stream's bytes: stored as they are or FlateDecode'd, never more than a JWS may be. */
async function streamData(stream: PDFRawStream): Promise<Uint8Array> {
  const raw = stream.contents;
  if (raw.length > MAX_JWS_BYTES) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', 'the embedded license is larger than a license JWS may be', { field: 'pdf' });
  }
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter instanceof PDFArray ? filter.asArray().map((f) => stream.dict.context.lookup(f)) : filter === undefined ? [] : [filter];
  if (filters.length === 0) return raw;
  if (filters.length === 1 && filters[0] === PDFName.of('FlateDecode') && stream.dict.lookup(PDFName.of('DecodeParms')) === undefined) {
    try {
      return await inflateBounded(raw, MAX_JWS_BYTES);
    } catch (cause) {
      if (cause instanceof ElicenseError) throw cause;
      throw invalid('the embedded license is not valid FlateDecode data', cause);
    }
  }
  throw invalid('the embedded license uses a stream filter other than FlateDecode');
}

function invalid(message: string, cause?: unknown): ElicenseError {
  return new ElicenseError('ERR_PDF_INVALID', message, cause === undefined ? { field: 'pdf' } : { cause, field: 'pdf' });
}
