/** Searching for ASCII markers (`%%EOF`, `startxref`, `endstream`) in file bytes without decoding them. */

export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** First index of `pattern` in bytes[from, to), or -1. */
export function indexOfBytes(bytes: Uint8Array, pattern: Uint8Array, from = 0, to = bytes.length): number {
  const first = pattern[0]!;
  const last = Math.min(to, bytes.length) - pattern.length;
  for (let i = bytes.indexOf(first, Math.max(0, from)); i !== -1 && i <= last; i = bytes.indexOf(first, i + 1)) {
    let j = 1;
    while (j < pattern.length && bytes[i + j] === pattern[j]) j++;
    if (j === pattern.length) return i;
  }
  return -1;
}

/** Last index of `pattern` that starts in [from, to - pattern.length], or -1. */
export function lastIndexOfBytes(bytes: Uint8Array, pattern: Uint8Array, to = bytes.length, from = 0): number {
  for (let i = Math.min(to, bytes.length) - pattern.length; i >= from; i--) {
    let j = 0;
    while (j < pattern.length && bytes[i + j] === pattern[j]) j++;
    if (j === pattern.length) return i;
  }
  return -1;
}

export function startsWithAt(bytes: Uint8Array, pattern: Uint8Array, at: number): boolean {
  if (at < 0 || at + pattern.length > bytes.length) return false;
  for (let j = 0; j < pattern.length; j++) if (bytes[at + j] !== pattern[j]) return false;
  return true;
}
