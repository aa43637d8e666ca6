/**
 * Structural comparison of parsed objects: what a reader would see, not how the bytes were spaced.
 * References compare by object and generation number, without resolving, so a changed target is judged
 * where it was changed. Integers and reals compare by value; strings by bytes (hex or literal alike).
 */
import { PdfDict, PdfName, PdfReal, PdfRef, PdfStream, PdfString, type PdfObject } from '../parse/index.js';

export function sameValue(a: PdfObject | undefined, b: PdfObject | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  const na = typeof a === 'number' ? a : a instanceof PdfReal ? a.value : undefined;
  const nb = typeof b === 'number' ? b : b instanceof PdfReal ? b.value : undefined;
  if (na !== undefined || nb !== undefined) return na === nb;
  if (a instanceof PdfName) return b instanceof PdfName && a.name === b.name;
  if (a instanceof PdfString) return b instanceof PdfString && sameBytes(a.bytes, b.bytes);
  if (a instanceof PdfRef) return b instanceof PdfRef && a.num === b.num && a.gen === b.gen;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (a instanceof PdfStream) return b instanceof PdfStream && sameBytes(a.raw, b.raw) && changedKeys(a.dict, b.dict).length === 0;
  if (a instanceof PdfDict) return b instanceof PdfDict && changedKeys(a, b).length === 0;
  return false;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Keys added, removed or given a different value. */
export function changedKeys(before: PdfDict, after: PdfDict): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => !sameValue(before.get(key), after.get(key)));
}

/** The object numbers referenced directly inside a value (not following the references). */
export function referencesIn(value: PdfObject | undefined, out: PdfRef[] = []): PdfRef[] {
  if (value instanceof PdfRef) out.push(value);
  else if (Array.isArray(value)) for (const item of value) referencesIn(item, out);
  else if (value instanceof PdfDict) for (const item of value.entries.values()) referencesIn(item, out);
  else if (value instanceof PdfStream) referencesIn(value.dict, out);
  return out;
}
