/**
 * The README's run command: `pnpm start` at the repository root. Relative paths (the data folder, and
 * the README's `elicense-data/demo-credentials.json` after it) resolve against the root, where the
 * README's commands run. And the production form: the server as one process that a process manager
 * stops with SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Under /.elicense/, which git ignores. */
const DATA_DIR = `.elicense/start-test-${process.pid}`;

after(() => rmSync(join(ROOT, DATA_DIR), { recursive: true, force: true }));

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `command` at the root and waits for the banner. */
async function startAtRoot(command: string, args: readonly string[], dataDir: string, options: { detached?: boolean } = {}): Promise<Started> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`, PORT: '0', ELICENSE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const deadline = Date.now() + 90_000;
  while (!output.includes('demo clients')) {
    assert.equal(child.exitCode, null, `the server exited:\n${output}`);
    assert.ok(Date.now() < deadline, `no banner within 90 s:\n${output}`);
    await sleep(100);
  }
  return { child, output: () => output, exited };
}

function listeningUrl(output: string): string {
  const url = /listening on (http:\/\/[^,\s]+)/.exec(output)?.[1];
  assert.ok(url, `the banner names no address:\n${output}`);
  return url;
}

it('pnpm start, run from the repository root, keeps its data folder there and says so', async () => {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  // Its own process group: the shell, tsx and the server stop together.
  const started = await startAtRoot('sh', ['-c', script], DATA_DIR, { detached: true });
  try {
    const output = started.output();
    assert.match(output, new RegExp(`SQLite in ${DATA_DIR.replace(/[.]/g, '\\.')}\\)`));
    assert.match(output, new RegExp(`demo clients +${DATA_DIR.replace(/[.]/g, '\\.')}/demo-credentials\\.json`));
    const credentials = JSON.parse(readFileSync(join(ROOT, DATA_DIR, 'demo-credentials.json'), 'utf8')) as { clients: { id: string }[] };
    assert.ok(credentials.clients.some((c) => c.id === 'approval-system'));
    assert.ok(existsSync(join(ROOT, DATA_DIR, 'trust-list-operator.pem')));
    assert.ok(existsSync(join(ROOT, DATA_DIR, 'elicense.sqlite')));
  } finally {
    process.kill(-started.child.pid!, 'SIGTERM');
    await started.exited;
  }
});

it('run as one process (the README\'s production form), stops cleanly on SIGTERM alone', async () => {
  const started = await startAtRoot(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], DATA_DIR);
  const url = listeningUrl(started.output());
  assert.equal((await fetch(`${url}/healthz`)).status, 200);
  // Only the server process is signalled, as a process manager or `docker stop` does.
  started.child.kill('SIGTERM');
  const code = await Promise.race([started.exited, sleep(20_000).then(() => 'still running' as const)]);
  if (code === 'still running') started.child.kill('SIGKILL');
  assert.equal(code, 0, `exit after SIGTERM:\n${started.output()}`);
  await assert.rejects(fetch(`${url}/healthz`), 'nothing listens after the stop');
});
