/** Reading and writing files for the CLI, with errors a person can act on. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';

export const MAX_INPUT_BYTES = 64 << 20;

export async function readInput(path: string, what = 'file'): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_INPUT_BYTES) throw new UsageError(`${what} ${path} is larger than ${MAX_INPUT_BYTES} bytes`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`);
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
