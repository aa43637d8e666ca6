/** For the command tests: runs the real `elicense` binary (and openssl) as a user would, in a temp folder. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = join(repo, 'examples/cli/bin/elicense.mjs');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd ?? repo, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1', ...options.env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** `elicense <args>` in `cwd` (default: the repository root). */
export function cli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return run(process.execPath, [bin, ...args], options);
}

export async function openssl(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
  const result = await run('openssl', args, options);
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A fresh folder, removed when the returned function is called. */
export async function tempDir(): Promise<{ dir: string; path: (name: string) => string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'elicense-cli-'));
  return { dir, path: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A usage error: exit 2, nothing on stdout, one `elicense:` line on stderr matching `pattern`, no stack trace. */
export function usageErrorProblem(result: RunResult, pattern: RegExp): string | undefined {
  if (result.code !== 2) return `exit ${result.code}, expected 2 (stderr: ${result.stderr})`;
  if (result.stdout !== '') return `stdout not empty: ${result.stdout}`;
  if (/\n\s+at /.test(result.stderr)) return `stack trace: ${result.stderr}`;
  if (!pattern.test(result.stderr)) return `stderr ${JSON.stringify(result.stderr)} does not match ${pattern}`;
  return undefined;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `elicense tsa ... --port 0` and waits for the URL it prints. */
export function startTsa(args: readonly string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child = spawn(process.execPath, [join(repo, 'examples/cli/bin/elicense.mjs'), 'tsa', ...args, '--port', '0'], {
    cwd: repo,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', () => {
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, exit });
      }
    });
    void exit.then(({ code }) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
}
