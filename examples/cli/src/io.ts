/** Reading and writing files for the CLI, with errors a person can act on. */
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { concatBytes } from '@elicense/core';
import { UsageError } from './errors.js';

export const MAX_INPUT_BYTES = 64 << 20;

const READ_CHUNK = 1 << 20;

/**
 * The whole file, refused once it passes MAX_INPUT_BYTES: read a chunk at a time, so a huge file (or an
 * endless pipe such as /dev/zero) costs at most the limit in memory, not its own size.
 */
async function readAtMost(handle: FileHandle, path: string, what: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(READ_CHUNK);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > MAX_INPUT_BYTES) throw new UsageError(`${what} ${path} is larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(chunk.subarray(0, bytesRead));
  }
  // One chunk is copied out of its 1 MiB buffer, so a small file does not keep the whole buffer alive.
  return chunks.length === 1 ? chunks[0]!.slice() : concatBytes(...chunks);
}

export async function readInput(path: string, what = 'file'): Promise<Uint8Array> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    // A regular file says its size at once; a pipe or device is read up to the limit.
    const { size } = await handle.stat();
    if (size > MAX_INPUT_BYTES) throw new UsageError(`${what} ${path} is larger than ${MAX_INPUT_BYTES} bytes`);
    return await readAtMost(handle, path, what);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`);
  } finally {
    await handle?.close();
  }
}

export async function readText(path: string, what = 'file'): Promise<string> {
  return new TextDecoder().decode(await readInput(path, what));
}

export async function writeOutput(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data, mode === undefined ? {} : { mode });
}

export function parseTime(value: string, option: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new UsageError(`${option} must be an ISO 8601 time such as 2026-06-01T00:00:00Z, got "${value}"`);
  return time;
}

/** A passphrase from the named environment variable, so it never appears in the process list or shell history. */
export function passphraseFrom(envName: string | undefined): string | undefined {
  if (envName === undefined) return undefined;
  const value = process.env[envName];
  if (value === undefined || value === '') throw new UsageError(`environment variable ${envName} (named by --passphrase-env) is not set`);
  return value;
}
