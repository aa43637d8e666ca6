/**
 * A PDF read once, plus the update being prepared on it: new object numbers, and edited copies of
 * existing objects. Edits go to copies, so what was read stays what the file says.
 */
import { PDFArray, PDFDict, PDFRef, type PDFContext, type PDFObject } from 'pdf-lib';
import { ElicenseError } from '../../errors.js';
import { writeIncrementalUpdate, type UpdateObject, type WrittenUpdate } from './append-incremental-update.js';
import { invalidPdf } from './invalid-pdf.js';
import { SignedPdfParser } from './pdf-parser.js';
import { MAX_OBJECT_NUMBER, readPdfTrailer, type PdfTrailer } from './read-trailer.js';

/** Bigger inputs are refused before parsing: a license PDF is a few hundred KiB. */
export const MAX_PDF_BYTES = 256 * 1024 * 1024;

export class PdfUpdateDraft {
  readonly pdf: Uint8Array;
  readonly trailer: PdfTrailer;
  /** Every object of the file as pdf-lib parsed it; the latest revision of each wins. */
  readonly context: PDFContext;
  private nextObjectNumber: number;
  private readonly changes = new Map<number, UpdateObject>();

  private constructor(pdf: Uint8Array, trailer: PdfTrailer, context: PDFContext) {
    this.pdf = pdf;
    this.trailer = trailer;
    this.context = context;
    this.nextObjectNumber = Math.max(trailer.size, context.largestObjectNumber + 1);
  }

  /** Parses the whole file once; everything later works on the parsed objects. */
  static async open(pdf: Uint8Array): Promise<PdfUpdateDraft> {
    if (pdf.length > MAX_PDF_BYTES) throw new ElicenseError('ERR_INPUT_TOO_LARGE', 'PDF is too large', { field: 'pdf' });
    // The trailer is cheap to read and refuses most unusable files before the whole parse.
    const trailer = readPdfTrailer(pdf);
    if (trailer.encrypt !== undefined) throw invalidPdf('encrypted PDFs cannot be signed here');
    let context: PDFContext;
    try {
      context = await new SignedPdfParser(pdf, Infinity, false, true).parseDocument();
    } catch (cause) {
      throw invalidPdf('unparseable PDF', cause);
    }
    return new PdfUpdateDraft(pdf, trailer, context);
  }

  get catalogRef(): PDFRef {
    return this.trailer.root;
  }

  /** The object a reference points to, as edited in this draft if it was; direct objects as given. */
  resolve(object: PDFObject | undefined): PDFObject | undefined {
    if (!(object instanceof PDFRef)) return object;
    const changed = this.changes.get(object.objectNumber);
    if (changed !== undefined && 'object' in changed) return changed.object;
    const resolved = this.context.lookup(object);
    return resolved instanceof PDFRef ? undefined : resolved;
  }

  resolveDict(object: PDFObject | undefined): PDFDict | undefined {
    const resolved = this.resolve(object);
    return resolved instanceof PDFDict ? resolved : undefined;
  }

  resolveArray(object: PDFObject | undefined): PDFArray | undefined {
    const resolved = this.resolve(object);
    return resolved instanceof PDFArray ? resolved : undefined;
  }

  allocate(): PDFRef {
    if (this.nextObjectNumber > MAX_OBJECT_NUMBER) throw invalidPdf('no object numbers left');
    return PDFRef.of(this.nextObjectNumber++);
  }

  /** A dictionary object to change: a copy of its current entries, written back with the update. */
  editDict(ref: PDFRef): PDFDict {
    const changed = this.changes.get(ref.objectNumber);
    if (changed !== undefined && 'object' in changed && changed.object instanceof PDFDict) return changed.object;
    const current = this.resolve(ref);
    if (!(current instanceof PDFDict)) throw invalidPdf(`object ${ref.objectNumber} is not a dictionary`);
    const copy = PDFDict.fromMapWithContext(new Map(current.entries()), this.context);
    this.put(ref, copy);
    return copy;
  }

  /** An array object to change, as editDict. */
  editArray(ref: PDFRef): PDFArray {
    const changed = this.changes.get(ref.objectNumber);
    if (changed !== undefined && 'object' in changed && changed.object instanceof PDFArray) return changed.object;
    const current = this.resolve(ref);
    if (!(current instanceof PDFArray)) throw invalidPdf(`object ${ref.objectNumber} is not an array`);
    const copy = PDFArray.withContext(this.context);
    for (const item of current.asArray()) copy.push(item);
    this.put(ref, copy);
    return copy;
  }

  put(ref: PDFRef, value: PDFObject | Uint8Array): void {
    this.changes.set(ref.objectNumber, value instanceof Uint8Array ? { ref, bytes: value } : { ref, object: value });
  }

  write(): WrittenUpdate {
    return writeIncrementalUpdate(this.pdf, this.trailer, { objects: [...this.changes.values()] }, this.nextObjectNumber);
  }
}
