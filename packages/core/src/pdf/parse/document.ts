/**
 * A parsed PDF with every revision kept: `doc.at(k)` is the document as it was at the end of revision
 * k. Objects are read lazily where the cross-reference entry effective at k points, and an entry that
 * points at a different object than it names is a finding, never silently repaired. Object streams are
 * decoded once at load (decoding is asynchronous), so that all reading after `loadPdf` is synchronous.
 */
import { ascii, indexOfBytes } from './byte-search.js';
import { PdfError, isPdfError, malformed } from './errors.js';
import { FindingLog, type PdfFinding } from './findings.js';
import { WorkBudget, resolveLimits, type PdfLimits } from './limits.js';
import { parseIndirectObject, type ParseContext } from './object-parser.js';
import { PdfRef, PdfStream, type PdfObject } from './objects.js';
import { objectFromStream, readObjectStream, type ObjectStream } from './object-stream.js';
import { recoverRevision } from './recovery.js';
import { readRevisions, type Revision } from './revisions.js';
import { RevisionView } from './revision-view.js';
import type { XrefEntry } from './xref.js';

export interface LoadPdfOptions {
  readonly limits?: Partial<PdfLimits>;
  /** Share one budget across several steps of an analysis. */
  readonly budget?: WorkBudget;
  /** Scan for objects when the cross-reference data is unusable (never used for verification). */
  readonly recover?: boolean;
}

const HEADER = ascii('%PDF-');
const MAX_REFERENCE_HOPS = 32;

interface CachedObject {
  readonly num: number;
  readonly gen: number;
  readonly value: PdfObject;
}

export class PdfDocument {
  private readonly objects = new Map<string, CachedObject | null>();
  private readonly inProgress = new Set<number>();
  private readonly objectStreams = new Map<number, ObjectStream | null>();
  readonly ctx: ParseContext;

  /** @internal use loadPdf */
  constructor(
    readonly bytes: Uint8Array,
    readonly revisions: readonly Revision[],
    readonly recovered: boolean,
    readonly headerOffset: number,
    ctx: ParseContext,
  ) {
    this.ctx = ctx;
  }

  get budget(): WorkBudget {
    return this.ctx.budget;
  }

  get findings(): readonly PdfFinding[] {
    return this.ctx.findings.findings;
  }

  get lastRevision(): number {
    return this.revisions.length - 1;
  }

  /** The document as it was at the end of revision `index` (default: the final one). */
  at(index = this.lastRevision): RevisionView {
    if (!Number.isInteger(index) || index < 0 || index > this.lastRevision) throw new RangeError(`no revision ${index}`);
    return new RevisionView(this, index);
  }

  /** The entry for `num` effective at revision `index`, and the revision that wrote it. */
  entryAt(num: number, index: number): { entry: XrefEntry; revision: number } | undefined {
    for (let k = index; k >= 0; k--) {
      this.ctx.budget.spend(1);
      const entry = this.revisions[k]!.entries.get(num);
      if (entry) return { entry, revision: k };
    }
    return undefined;
  }

  /** The value of object `num` at revision `index`; undefined for free, missing or mismatched objects. */
  getObject(num: number, gen: number | undefined, index: number): PdfObject | undefined {
    const found = this.entryAt(num, index);
    if (!found || found.entry.type === 'free') return undefined;
    const { entry } = found;
    if (gen !== undefined && gen !== entry.gen) {
      this.ctx.findings.add('warning', `reference ${num} ${gen} R does not match the entry's generation ${entry.gen}`);
      return undefined;
    }
    const object = entry.type === 'offset' ? this.objectAtOffset(entry.offset, index) : this.compressedObject(entry, index);
    if (!object) return undefined;
    if (object.num !== num || object.gen !== entry.gen) {
      const where = entry.type === 'offset' ? entry.offset : undefined;
      this.ctx.findings.add('error', `xref entry for ${num} ${entry.gen} points at object ${object.num} ${object.gen}`, where);
      return undefined;
    }
    return object.value;
  }

  /** Follows references until a direct value. */
  resolve(value: PdfObject | undefined, index: number): PdfObject | undefined {
    for (let hops = 0; value instanceof PdfRef; hops++) {
      if (hops >= MAX_REFERENCE_HOPS) throw new PdfError('PDF_REFERENCE_LOOP', `reference chain longer than ${MAX_REFERENCE_HOPS} at ${value.toString()}`);
      value = this.getObject(value.num, value.gen, index);
    }
    return value;
  }

  private objectAtOffset(offset: number, index: number): CachedObject | null {
    const key = `o${offset}`;
    const cached = this.objects.get(key);
    if (cached !== undefined) return cached;
    if (this.inProgress.has(offset)) throw new PdfError('PDF_REFERENCE_LOOP', 'stream /Length leads back to the stream itself', offset);
    // Each indirect /Length can start another object read; a long chain of them must not exhaust the stack.
    if (this.inProgress.size >= MAX_REFERENCE_HOPS) throw new PdfError('PDF_REFERENCE_LOOP', 'chain of indirect /Length objects too long', offset);
    this.inProgress.add(offset);
    let result: CachedObject | null = null;
    let cacheable = true;
    try {
      const object = parseIndirectObject(this.bytes, offset, this.ctx, (ref) => {
        // A /Length resolved through the revision view could differ between revisions; don't share it.
        cacheable = false;
        try {
          const length = this.resolve(ref, index);
          return typeof length === 'number' ? length : undefined;
        } catch (error) {
          if (isPdfError(error, 'PDF_REFERENCE_LOOP')) {
            this.ctx.findings.add('error', `stream /Length ${ref.toString()} refers back to its own stream`, offset);
            return undefined;
          }
          throw error;
        }
      });
      result = { num: object.num, gen: object.gen, value: object.value };
    } catch (error) {
      if (!recoverable(error)) throw error;
      this.ctx.findings.add('error', `object at offset ${offset} unreadable: ${(error as Error).message}`, offset);
    } finally {
      this.inProgress.delete(offset);
    }
    if (cacheable) this.objects.set(key, result);
    return result;
  }

  private compressedObject(entry: Extract<XrefEntry, { type: 'compressed' }>, index: number): CachedObject | null {
    const container = this.entryAt(entry.stream, index);
    if (!container || container.entry.type !== 'offset') {
      this.ctx.findings.add('error', `object ${entry.num} is in object stream ${entry.stream}, which is not a plain object`);
      return null;
    }
    const key = `s${container.entry.offset}:${entry.index}`;
    const cached = this.objects.get(key);
    if (cached !== undefined) return cached;
    const objstm = this.objectStreams.get(container.entry.offset);
    let result: CachedObject | null = null;
    if (objstm) {
      try {
        result = { num: entry.num, gen: 0, value: objectFromStream(objstm, entry.num, entry.index, this.ctx) };
      } catch (error) {
        if (!recoverable(error)) throw error;
        this.ctx.findings.add('error', `object ${entry.num} in object stream ${entry.stream} unreadable: ${(error as Error).message}`);
      }
    } else {
      this.ctx.findings.add('error', `object stream ${entry.stream} for object ${entry.num} unreadable`);
    }
    this.objects.set(key, result);
    return result;
  }

  /** Decodes every object stream any revision defines, so that later reads need no awaiting. */
  async loadObjectStreams(): Promise<void> {
    const streamNumbers = new Set<number>();
    for (const revision of this.revisions) for (const entry of revision.entries.values()) if (entry.type === 'compressed') streamNumbers.add(entry.stream);
    for (const revision of this.revisions) {
      for (const num of streamNumbers) {
        const entry = revision.entries.get(num);
        if (entry?.type !== 'offset' || this.objectStreams.has(entry.offset)) continue;
        this.objectStreams.set(entry.offset, null);
        const object = this.objectAtOffset(entry.offset, revision.index);
        if (!object || !(object.value instanceof PdfStream) || object.num !== num) {
          this.ctx.findings.add('error', `object stream ${num} not found where its xref entry points`, entry.offset);
          continue;
        }
        try {
          this.objectStreams.set(entry.offset, await readObjectStream(object.value, this.ctx));
        } catch (error) {
          if (!recoverable(error)) throw error;
          this.ctx.findings.add('error', `object stream ${num} unreadable: ${(error as Error).message}`, entry.offset);
        }
      }
    }
  }
}

/** Malformed or unsupported parts are findings; exhausted limits and loops end the analysis. */
function recoverable(error: unknown): boolean {
  return isPdfError(error, 'PDF_MALFORMED') || isPdfError(error, 'PDF_UNSUPPORTED');
}

export async function loadPdf(bytes: Uint8Array, options: LoadPdfOptions = {}): Promise<PdfDocument> {
  const budget = options.budget ?? new WorkBudget(resolveLimits(options.limits));
  if (bytes.length > budget.limits.maxFileBytes) throw new PdfError('PDF_LIMIT_EXCEEDED', `file larger than ${budget.limits.maxFileBytes} bytes`);
  const ctx: ParseContext = { budget, findings: new FindingLog(), fileOffsets: true };
  const headerOffset = indexOfBytes(bytes, HEADER, 0, 1024 + HEADER.length);
  if (headerOffset < 0) throw malformed('no %PDF- header in the first 1024 bytes', 0);
  if (headerOffset > 0) ctx.findings.add('warning', `%PDF- header at byte ${headerOffset}, not 0`, headerOffset);

  let revisions: Revision[];
  let recovered = false;
  try {
    revisions = await readRevisions(bytes, ctx);
  } catch (error) {
    if (!options.recover || isPdfError(error, 'PDF_LIMIT_EXCEEDED') || !(error instanceof PdfError)) throw error;
    ctx.findings.add('error', `cross-reference data unusable (${error.message}); objects recovered by scanning`, error.offset);
    revisions = [recoverRevision(bytes, ctx)];
    recovered = true;
  }
  const doc = new PdfDocument(bytes, revisions, recovered, headerOffset, ctx);
  await doc.loadObjectStreams();
  const last = revisions[revisions.length - 1]!;
  if (last.endOffset < bytes.length) {
    ctx.findings.add('warning', `${bytes.length - last.endOffset} bytes after the last %%EOF belong to no revision`, last.endOffset);
  }
  return doc;
}
