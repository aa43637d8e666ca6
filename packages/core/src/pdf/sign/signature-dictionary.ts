/**
 * The signature dictionary with its two holes: a /ByteRange of fixed width, filled in once the update
 * is laid out, and a /Contents hex string of zeros that the CMS later overwrites. Neither changes the
 * length of anything, so no byte moves after the ByteRange is known.
 */
import type { PDFObject } from 'pdf-lib';
import { concatBytes } from '../../bytes.js';
import { ascii, objectBytes } from '../write/pdf-bytes.js';

export type ByteRange = readonly [number, number, number, number];

export interface SignatureDictionaryLayout {
  readonly bytes: Uint8Array;
  /** Offset in `bytes` of the `[` that opens /ByteRange; BYTE_RANGE_WIDTH bytes are reserved from there. */
  readonly byteRangeAt: number;
  /** Offset in `bytes` of the `<` that opens /Contents, and just past its `>`. */
  readonly contentsStart: number;
  readonly contentsEnd: number;
}

/** `[0 b c d]` with three ten-digit numbers: room for files up to 9,999,999,999 bytes. */
export const BYTE_RANGE_WIDTH = 36;

export function signatureDictionary(entries: ReadonlyArray<readonly [string, PDFObject]>, contentsCapacity: number): SignatureDictionaryLayout {
  const head = ascii(`<<\n/ByteRange `);
  const byteRange = ascii('[0 0 0 0]'.padEnd(BYTE_RANGE_WIDTH, ' '));
  const contents = new Uint8Array(contentsCapacity * 2 + 2).fill(0x30);
  contents[0] = 0x3c;
  contents[contents.length - 1] = 0x3e;
  const parts: Uint8Array[] = [head, byteRange, ascii('\n/Contents '), contents];
  for (const [key, value] of entries) parts.push(ascii(`\n/${key} `), objectBytes(value));
  parts.push(ascii('\n>>'));
  const contentsStart = head.length + byteRange.length + '\n/Contents '.length;
  return { bytes: concatBytes(...parts), byteRangeAt: head.length, contentsStart, contentsEnd: contentsStart + contents.length };
}

/** Writes `range` into the reserved slot at `at`, padded with spaces to the slot's width. */
export function fillByteRange(bytes: Uint8Array, at: number, range: ByteRange): void {
  const text = `[${range.join(' ')}]`;
  if (text.length > BYTE_RANGE_WIDTH) throw new RangeError('byte range does not fit its slot');
  bytes.set(ascii(text.padEnd(BYTE_RANGE_WIDTH, ' ')), at);
}
