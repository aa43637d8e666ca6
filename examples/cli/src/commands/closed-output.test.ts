/** A reader that stops early (`elicense demo | head -1`) must not make the CLI print a stack trace. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repo, tempDir } from './cli-harness.js';

test('when stdout is closed after the first line, the command finishes quietly with its own exit status', async () => {
  const temp = await tempDir();
  try {
    const child = spawn(process.execPath, [join(repo, 'examples/cli/bin/elicense.mjs'), 'demo', '--dir', temp.path('demo')], {
      cwd: temp.dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let firstLine = '';
    child.stdout.setEncoding('utf8').once('data', (chunk: string) => {
      firstLine = chunk.split('\n')[0]!;
      // What `head -1` does: read a line, close the pipe while the demo still has pages to print.
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.notEqual(firstLine, '');
    assert.equal(stderr, '', 'nothing on stderr: no EPIPE, no stack trace');
    assert.equal(code, 0);
  } finally {
    await temp.remove();
  }
});
