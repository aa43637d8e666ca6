/**
 * The bitstring of a W3C Bitstring Status List: GZIP-compressed, base64url with the multibase prefix
 * "u". Bit 0 is the most significant bit of the first byte. Decompression is bounded, so a small
 * hostile list cannot inflate into gigabytes.
 */
import { base64url, bufferSource, concatBytes, fromBase64url } from '../bytes.js';
import { ElicenseError } from '../errors.js';

/** The specification's minimum: 16 KiB (131,072 entries), for herd privacy. */
export const MIN_STATUS_LIST_BITS = 131_072;
const MAX_STATUS_LIST_BYTES = 16 << 20;

async function pipeThrough(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bufferSource(bytes)]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new ElicenseError('ERR_STATUS_LIST_INVALID', `status list expands beyond ${limit} bytes`);
    }
    chunks.push(value);
  }
  return concatBytes(...chunks);
}

export async function encodeStatusBitstring(bits: Uint8Array): Promise<string> {
  const gz = await pipeThrough(bits, new CompressionStream('gzip'), Number.MAX_SAFE_INTEGER);
  return `u${base64url(gz)}`;
}

export async function decodeStatusBitstring(encodedList: string): Promise<Uint8Array> {
  if (!encodedList.startsWith('u')) {
    throw new ElicenseError('ERR_STATUS_LIST_INVALID', 'encodedList must be multibase base64url (prefix "u")');
  }
  try {
    return await pipeThrough(fromBase64url(encodedList.slice(1), 'encodedList'), new DecompressionStream('gzip'), MAX_STATUS_LIST_BYTES);
  } catch (cause) {
    if (cause instanceof ElicenseError) throw cause;
    throw new ElicenseError('ERR_STATUS_LIST_INVALID', 'encodedList is not valid GZIP data', { cause });
  }
}

export function createStatusBitstring(bitCount = MIN_STATUS_LIST_BITS): Uint8Array {
  return new Uint8Array(Math.ceil(bitCount / 8));
}

export function setStatusBit(bits: Uint8Array, index: number, value: boolean): void {
  const byte = index >> 3;
  if (!Number.isSafeInteger(index) || index < 0 || byte >= bits.length) {
    throw new ElicenseError('ERR_INVALID_INPUT', `status index ${index} is outside the list`);
  }
  const mask = 0x80 >> (index & 7);
  bits[byte] = value ? bits[byte]! | mask : bits[byte]! & ~mask;
}

export function getStatusBit(bits: Uint8Array, index: number): boolean | undefined {
  const byte = index >> 3;
  if (!Number.isSafeInteger(index) || index < 0 || byte >= bits.length) return undefined;
  return (bits[byte]! & (0x80 >> (index & 7))) !== 0;
}
