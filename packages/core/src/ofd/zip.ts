/**
 * A zip reader for OFD packages (GB/T 33190 §7: an OFD file is a zip). Hostile input: the central
 * directory is read with hard limits (entry count, declared and actual sizes, compression ratio),
 * names that could escape a folder or collide are refused, entries may not overlap (the overlapping-file
 * zip bomb), and each entry is inflated only when asked for, never past its declared size.
 */
import { ElicenseError } from '../errors.js';
import { crc32 } from './crc32.js';
import { inflateRawBounded } from './inflate-raw.js';

export interface ZipLimits {
  readonly maxArchiveBytes: number;
  readonly maxEntries: number;
  /** Uncompressed size of one entry. */
  readonly maxEntryBytes: number;
  /** Uncompressed size of all entries together. */
  readonly maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio for entries over `ratioFloorBytes`. */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

export const OFD_ZIP_LIMITS: ZipLimits = {
  maxArchiveBytes: 128 * 1024 * 1024,
  maxEntries: 10_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 500,
  ratioFloorBytes: 1024 * 1024,
};

export interface ZipArchive {
  /** File names (folders left out), in central-directory order. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** The entry's bytes, inflated and CRC-checked; throws ElicenseError for a missing or bad entry. */
  read(name: string): Uint8Array;
}

interface Entry {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_LENGTH = 22;
const MAX_COMMENT = 0xffff;

function invalid(message: string, field?: string): ElicenseError {
  return new ElicenseError('ERR_INVALID_INPUT', `not a readable OFD package: ${message}`, field === undefined ? {} : { field });
}

function tooLarge(message: string, field?: string): ElicenseError {
  return new ElicenseError('ERR_INPUT_TOO_LARGE', message, field === undefined ? {} : { field });
}

function u16(bytes: Uint8Array, at: number): number {
  if (at + 2 > bytes.length) throw invalid('truncated zip structure');
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) throw invalid('truncated zip structure');
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function findEndOfCentralDirectory(bytes: Uint8Array): number {
  const last = bytes.length - EOCD_LENGTH;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (bytes[at] === 0x50 && u32(bytes, at) === EOCD_SIGNATURE && at + EOCD_LENGTH + u16(bytes, at + 20) === bytes.length) return at;
  }
  throw invalid('no end-of-central-directory record');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Zip names are UTF-8 when flagged; unflagged Chinese tools write GBK, and plain ASCII is the same in both. */
function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  try {
    return UTF8.decode(raw);
  } catch (error) {
    if (utf8Flag) throw invalid('an entry name is not valid UTF-8', undefined);
    try {
      return new TextDecoder('gbk', { fatal: true }).decode(raw);
    } catch {
      throw invalid(`an entry name is neither UTF-8 nor GBK (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

/** Names are package paths: relative, forward slashes, no `.`/`..` segments, no control characters. */
function checkName(name: string): void {
  if (name.length === 0 || name.length > 1024) throw invalid('an entry name is empty or too long', name.slice(0, 64));
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(name)) throw invalid('an entry name holds a control character or backslash', name);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw invalid('an entry name is absolute', name);
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw invalid('an entry name has an empty, "." or ".." segment', name);
}

function readCentralDirectory(bytes: Uint8Array, limits: ZipLimits): { entries: Entry[]; centralStart: number } {
  const eocd = findEndOfCentralDirectory(bytes);
  const disk = u16(bytes, eocd + 4);
  const cdDisk = u16(bytes, eocd + 6);
  const onDisk = u16(bytes, eocd + 8);
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdOffset = u32(bytes, eocd + 16);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw invalid('multi-volume zips are not OFD packages');
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) throw invalid('ZIP64 archives are not supported');
  if (count > limits.maxEntries) throw tooLarge(`the package has ${count} entries, more than ${limits.maxEntries}`);
  if (cdOffset + cdSize > eocd) throw invalid('the central directory runs past its end record');

  const entries: Entry[] = [];
  const seen = new Set<string>();
  let declaredTotal = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (u32(bytes, at) !== CENTRAL_SIGNATURE) throw invalid(`central directory entry ${i} is malformed`);
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const crc = u32(bytes, at + 16);
    const compressedSize = u32(bytes, at + 20);
    const size = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const next = at + 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
    if (next > cdOffset + cdSize) throw invalid(`central directory entry ${i} runs past the directory`);
    const name = decodeName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & 0x0800) !== 0);
    const localOffset = u32(bytes, at + 42);
    at = next;
    checkName(name);
    if (seen.has(name)) throw invalid('two entries have the same name', name);
    seen.add(name);
    if (name.endsWith('/')) continue;
    if (flags & 0x0001) throw invalid('encrypted entries are not allowed', name);
    if (method !== 0 && method !== 8) throw invalid(`compression method ${method} is not supported`, name);
    if (size > limits.maxEntryBytes) throw tooLarge(`entry ${name} declares ${size} bytes, more than ${limits.maxEntryBytes}`, name);
    if (method === 0 && size !== compressedSize) throw invalid('a stored entry has different compressed and uncompressed sizes', name);
    if (size > limits.ratioFloorBytes && size > compressedSize * limits.maxRatio) {
      throw tooLarge(`entry ${name} declares a compression ratio above ${limits.maxRatio}`, name);
    }
    declaredTotal += size;
    if (declaredTotal > limits.maxTotalBytes) throw tooLarge(`the package declares more than ${limits.maxTotalBytes} uncompressed bytes`);
    entries.push({ name, method, crc, compressedSize, size, localOffset });
  }
  return { entries, centralStart: cdOffset };
}

/** Finds where each entry's data starts, checks the local header agrees, and refuses overlapping entries. */
function locateData(bytes: Uint8Array, entries: readonly Entry[], centralStart: number): Map<string, { entry: Entry; dataStart: number }> {
  const located = new Map<string, { entry: Entry; dataStart: number }>();
  const spans: { start: number; end: number; name: string }[] = [];
  for (const entry of entries) {
    const at = entry.localOffset;
    if (u32(bytes, at) !== LOCAL_SIGNATURE) throw invalid('the local header is missing', entry.name);
    const nameLength = u16(bytes, at + 26);
    const localName = bytes.subarray(at + 30, at + 30 + nameLength);
    if (decodeName(localName, (u16(bytes, at + 6) & 0x0800) !== 0) !== entry.name) throw invalid('the local header names a different file', entry.name);
    const dataStart = at + 30 + nameLength + u16(bytes, at + 28);
    const end = dataStart + entry.compressedSize;
    if (end > centralStart) throw invalid('entry data runs into the central directory', entry.name);
    spans.push({ start: at, end, name: entry.name });
    located.set(entry.name, { entry, dataStart });
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.start < spans[i - 1]!.end) throw invalid('two entries overlap', spans[i]!.name);
  }
  return located;
}

export function openZip(bytes: Uint8Array, limits: ZipLimits = OFD_ZIP_LIMITS): ZipArchive {
  if (bytes.length > limits.maxArchiveBytes) throw tooLarge(`the package is larger than ${limits.maxArchiveBytes} bytes`);
  const { entries, centralStart } = readCentralDirectory(bytes, limits);
  const located = locateData(bytes, entries, centralStart);
  const cache = new Map<string, Uint8Array>();
  return {
    names: entries.map((e) => e.name),
    has: (name) => located.has(name),
    read(name) {
      const cached = cache.get(name);
      if (cached) return cached;
      const found = located.get(name);
      if (!found) throw invalid('the package has no such file', name);
      const { entry, dataStart } = found;
      const raw = bytes.subarray(dataStart, dataStart + entry.compressedSize);
      const data = entry.method === 0 ? raw : inflateRawBounded(raw, entry.size, name);
      if (data.length !== entry.size) throw invalid(`the entry inflates to ${data.length} bytes, not the ${entry.size} declared`, name);
      if (crc32(data) !== entry.crc) throw invalid('the entry fails its CRC-32 check', name);
      cache.set(name, data);
      return data;
    },
  };
}

/** A package file, or why it cannot be had (missing, bad CRC, does not inflate): for reporting, never thrown. */
export function tryRead(archive: ZipArchive, name: string): { data: Uint8Array } | { problem: string } {
  if (!archive.has(name)) return { problem: 'missing from the package' };
  try {
    return { data: archive.read(name) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
