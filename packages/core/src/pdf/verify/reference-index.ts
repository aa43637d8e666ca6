/**
 * Who refers to whom at one revision: a walk of every object reachable from the trailer, recording
 * the referrers of each object number (the trailer counts as referrer -1). Used to tell an unreferenced
 * new object (no effect on the document) from one that fills a reference the signed revision already
 * had, and to know whether an object is shared with anything else.
 */
import type { RevisionView } from '../parse/index.js';
import { referencesIn } from './object-compare.js';

export const TRAILER_REFERRER = -1;

export class ReferenceIndex {
  private readonly referrers = new Map<number, Set<number>>();

  constructor(view: RevisionView) {
    const stack = referencesIn(view.trailer).map((ref) => ({ ref, from: TRAILER_REFERRER }));
    const visited = new Set<number>();
    while (stack.length > 0) {
      const { ref, from } = stack.pop()!;
      view.doc.budget.spend(1);
      let set = this.referrers.get(ref.num);
      if (!set) this.referrers.set(ref.num, (set = new Set()));
      set.add(from);
      if (visited.has(ref.num)) continue;
      visited.add(ref.num);
      for (const next of referencesIn(view.get(ref))) stack.push({ ref: next, from: ref.num });
    }
  }

  isReferenced(num: number): boolean {
    return this.referrers.has(num);
  }

  referrersOf(num: number): ReadonlySet<number> {
    return this.referrers.get(num) ?? new Set();
  }
}
