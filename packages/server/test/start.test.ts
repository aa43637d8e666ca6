/**
 * The README's run command: `pnpm start` at the repository root. Relative paths (the data folder, and
 * the README's `elicense-data/demo-credentials.json` after it) resolve against the root, where the
 * README's commands run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Under /.elicense/, which git ignores. */
const DATA_DIR = `.elicense/start-test-${process.pid}`;

after(() => rmSync(join(ROOT, DATA_DIR), { recursive: true, force: true }));

it('pnpm start, run from the repository root, keeps its data folder there and says so', async () => {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const child = spawn('sh', ['-c', script], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`, PORT: '0', ELICENSE_DATA_DIR: DATA_DIR, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the shell, tsx and the server stop together.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  try {
    const deadline = Date.now() + 90_000;
    while (!output.includes('demo clients')) {
      assert.equal(child.exitCode, null, `the server exited:\n${output}`);
      assert.ok(Date.now() < deadline, `no banner within 90 s:\n${output}`);
      await sleep(100);
    }
    assert.match(output, new RegExp(`SQLite in ${DATA_DIR.replace(/[.]/g, '\\.')}\\)`));
    assert.match(output, new RegExp(`demo clients +${DATA_DIR.replace(/[.]/g, '\\.')}/demo-credentials\\.json`));
    const credentials = JSON.parse(readFileSync(join(ROOT, DATA_DIR, 'demo-credentials.json'), 'utf8')) as { clients: { id: string }[] };
    assert.ok(credentials.clients.some((c) => c.id === 'approval-system'));
    assert.ok(existsSync(join(ROOT, DATA_DIR, 'trust-list-operator.pem')));
    assert.ok(existsSync(join(ROOT, DATA_DIR, 'elicense.sqlite')));
  } finally {
    const exited = new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once('exit', done)));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
});
