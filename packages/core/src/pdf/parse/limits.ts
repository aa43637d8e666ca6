/**
 * Bounds on everything a hostile PDF could make the reader do. Each limit is checked before the work
 * or allocation it guards; `maxWork` bounds the total number of parsing steps across one analysis so
 * that many individually small costs cannot add up to a hang.
 */
import { PdfError } from './errors.js';

export interface PdfLimits {
  readonly maxFileBytes: number;
  /** Arrays and dictionaries nested inside each other. */
  readonly maxNestingDepth: number;
  /** Cross-reference entries over all revisions together. */
  readonly maxXrefEntries: number;
  readonly maxRevisions: number;
  readonly maxStringBytes: number;
  /** Encoded bytes of one stream. */
  readonly maxStreamBytes: number;
  /** Decoded bytes of one stream (deflate bombs stop here). */
  readonly maxDecodedStreamBytes: number;
  /** Decoded bytes over the whole analysis. */
  readonly maxTotalDecodedBytes: number;
  /** Objects inside one object stream. */
  readonly maxObjectStreamObjects: number;
  /** Parsing steps (tokens, entries, tree nodes) over the whole analysis. */
  readonly maxWork: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = {
  maxFileBytes: 256 * 1024 * 1024,
  maxNestingDepth: 64,
  maxXrefEntries: 2_000_000,
  maxRevisions: 1000,
  maxStringBytes: 16 * 1024 * 1024,
  maxStreamBytes: 256 * 1024 * 1024,
  maxDecodedStreamBytes: 64 * 1024 * 1024,
  maxTotalDecodedBytes: 256 * 1024 * 1024,
  maxObjectStreamObjects: 100_000,
  maxWork: 50_000_000,
};

export function resolveLimits(overrides: Partial<PdfLimits> = {}): PdfLimits {
  return { ...DEFAULT_PDF_LIMITS, ...overrides };
}

/** Counts work and decoded bytes for one analysis; throws PDF_LIMIT_EXCEEDED when a bound is reached. */
export class WorkBudget {
  private work = 0;
  private decoded = 0;

  constructor(readonly limits: PdfLimits) {}

  spend(steps: number, offset?: number): void {
    this.work += steps;
    if (this.work > this.limits.maxWork) {
      throw new PdfError('PDF_LIMIT_EXCEEDED', `parsing work exceeds ${this.limits.maxWork} steps`, offset);
    }
  }

  addDecoded(bytes: number, offset?: number): void {
    this.decoded += bytes;
    if (this.decoded > this.limits.maxTotalDecodedBytes) {
      throw new PdfError('PDF_LIMIT_EXCEEDED', `decoded stream data exceeds ${this.limits.maxTotalDecodedBytes} bytes in total`, offset);
    }
  }
}
