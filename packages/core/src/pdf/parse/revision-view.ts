/**
 * The document as it was at the end of one revision: trailer, catalog, pages, annotations, AcroForm,
 * each resolved through that revision's cross-reference view. Walks of trees (pages, fields) guard
 * against loops and depth, since a hostile file can make /Kids point back up.
 */
import { decodeStream, type DecodedStream } from './decode-stream.js';
import type { PdfDocument } from './document.js';
import { PdfDict, PdfRef, isName, type PdfObject, type PdfStream } from './objects.js';

export interface ObjectWithRef {
  /** The reference it was reached through; absent for a direct object. */
  readonly ref?: PdfRef;
  readonly dict: PdfDict;
}

const MAX_TREE_DEPTH = 64;

export class RevisionView {
  constructor(
    readonly doc: PdfDocument,
    readonly index: number,
  ) {}

  get revision() {
    return this.doc.revisions[this.index]!;
  }

  get trailer(): PdfDict {
    return this.revision.trailer;
  }

  get(ref: PdfRef): PdfObject | undefined {
    return this.doc.getObject(ref.num, ref.gen, this.index);
  }

  resolve(value: PdfObject | undefined): PdfObject | undefined {
    return this.doc.resolve(value, this.index);
  }

  /** The resolved value if it is a dictionary (or a stream's dictionary when `streams` is set). */
  dict(value: PdfObject | undefined): PdfDict | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PdfDict ? resolved : undefined;
  }

  array(value: PdfObject | undefined): readonly PdfObject[] | undefined {
    const resolved = this.resolve(value);
    return Array.isArray(resolved) ? resolved : undefined;
  }

  withRef(value: PdfObject | undefined): ObjectWithRef | undefined {
    const dict = this.dict(value);
    if (!dict) return undefined;
    return value instanceof PdfRef ? { ref: value, dict } : { dict };
  }

  get catalog(): PdfDict | undefined {
    return this.dict(this.trailer.get('Root'));
  }

  get acroForm(): PdfDict | undefined {
    return this.dict(this.catalog?.get('AcroForm'));
  }

  /** Leaf pages in document order. A loop or an over-deep tree stops the walk and is a finding. */
  get pages(): ObjectWithRef[] {
    const root = this.withRef(this.catalog?.get('Pages'));
    if (!root) return [];
    const pages: ObjectWithRef[] = [];
    const visited = new Set<number>();
    const stack: { node: ObjectWithRef; depth: number }[] = [{ node: root, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      this.doc.budget.spend(1);
      if (node.ref) {
        if (visited.has(node.ref.num)) {
          this.doc.ctx.findings.add('error', `page tree loops back to ${node.ref.toString()}`);
          continue;
        }
        visited.add(node.ref.num);
      }
      if (isName(node.dict.get('Type'), 'Page') || !node.dict.has('Kids')) {
        pages.push(node);
        continue;
      }
      if (depth >= MAX_TREE_DEPTH) {
        this.doc.ctx.findings.add('error', 'page tree deeper than 64 levels');
        continue;
      }
      const kids = this.array(node.dict.get('Kids')) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) {
        const kid = this.withRef(kids[i]);
        if (kid) stack.push({ node: kid, depth: depth + 1 });
      }
    }
    return pages;
  }

  annotations(page: PdfDict): ObjectWithRef[] {
    const annots = this.array(page.get('Annots')) ?? [];
    return annots.flatMap((annot) => {
      const found = this.withRef(annot);
      return found ? [found] : [];
    });
  }

  async decode(stream: PdfStream): Promise<DecodedStream> {
    return decodeStream(stream, this.doc.budget, (value) => this.resolve(value));
  }
}
