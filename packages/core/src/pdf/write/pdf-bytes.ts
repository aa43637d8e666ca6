/** Turning PDF syntax into bytes: ASCII text and pdf-lib objects, each serialized on its own. */
import type { PDFObject } from 'pdf-lib';

/** PDF syntax outside strings and streams is ASCII; every char here is below 0x80 by construction. */
export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** The bytes pdf-lib writes for one object value (a dict, an array, a stream with its dict, ...). */
export function objectBytes(object: PDFObject): Uint8Array {
  const out = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

/** Searches `haystack[from, to)` for `needle` from the end; -1 when absent. */
export function lastIndexOf(haystack: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  outer: for (let i = to - needle.length; i >= from; i--) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Searches `haystack[from, to)` for `needle`; -1 when absent. */
export function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const first = needle[0];
  outer: for (let i = from; i <= to - needle.length; i++) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
