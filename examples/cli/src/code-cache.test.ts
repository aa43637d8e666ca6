import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const loader = fileURLToPath(new URL('../bin/code-cache.mjs', import.meta.url));

/**
 * Runs `file` through the loader in a fresh process, as the binary does: what it printed, and whether the
 * cache was used. `prefix` runs the process under another command (another user).
 */
function runScript(file: string, options: { loader?: string; prefix?: readonly string[] } = {}): Promise<{ output: string; fromCache: boolean }> {
  const program = `import { statSync } from 'node:fs';
import { runWithCodeCache } from ${JSON.stringify(options.loader ?? loader)};
const { fromCache } = runWithCodeCache(${JSON.stringify(file)}, statSync(${JSON.stringify(file)}));
process.on('exit', () => process.stderr.write(String(fromCache)));`;
  return new Promise((resolve, reject) => {
    const [command, ...args] = [...(options.prefix ?? []), process.execPath, '--input-type=module', '-e', program];
    execFile(command!, args, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve({ output: stdout, fromCache: stderr === 'true' });
    });
  });
}

/** A CommonJS script that uses what Node gives a script: require, module, __filename, __dirname. */
function script(word: string): string {
  return `const { basename } = require('node:path');
function answer() { return ${JSON.stringify(word)}; }
module.exports = answer;
process.stdout.write(answer() + ' ' + basename(__filename) + ' ' + basename(__dirname) + ' ' + typeof module.exports);
`;
}

describe('the CLI bundle runs with V8 code cache', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'elicense-code-cache-'));
    file = join(dir, 'bundle.cjs');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the first run writes the cache, the next compiles from it, with the same result', async () => {
    await writeFile(file, script('AAAA'));
    const first = await runScript(file);
    assert.equal(first.output, `AAAA bundle.cjs ${dir.split('/').pop()} function`);
    assert.equal(first.fromCache, false);
    assert.ok((await stat(`${file}.v8-cache`)).size > 0);
    const second = await runScript(file);
    assert.equal(second.output, first.output);
    assert.equal(second.fromCache, true);
  });

  test('a rebuilt bundle of the very same length never runs the old code (V8 would accept the old cache)', async () => {
    await writeFile(file, script('AAAA'));
    await runScript(file);
    assert.equal((await runScript(file)).fromCache, true);
    await writeFile(file, script('BBBB'));
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    const rebuilt = await runScript(file);
    assert.match(rebuilt.output, /^BBBB /);
    assert.equal(rebuilt.fromCache, false);
    assert.equal((await runScript(file)).fromCache, true, 'the cache is rewritten for the new bundle');
  });

  test('in a folder it may not write to, the script runs uncached and leaves nothing behind', async () => {
    const readOnly = join(dir, 'read-only');
    await mkdir(readOnly);
    const bundle = join(readOnly, 'bundle.cjs');
    await writeFile(bundle, script('DDDD'), { mode: 0o644 });
    // The loader travels with the script, so another user can read it wherever the repository is.
    const ownLoader = join(readOnly, 'code-cache.mjs');
    await copyFile(loader, ownLoader);
    await chmod(ownLoader, 0o644);
    // Root writes anywhere, so it runs as nobody instead; anyone else, in a folder without write permission.
    const asRoot = process.getuid?.() === 0;
    await chmod(dir, 0o755);
    await chmod(readOnly, asRoot ? 0o755 : 0o555);
    try {
      const options = { loader: ownLoader, ...(asRoot ? { prefix: ['runuser', '-u', 'nobody', '--'] } : {}) };
      for (let run = 0; run < 2; run++) {
        const result = await runScript(bundle, options);
        assert.match(result.output, /^DDDD /);
        assert.equal(result.fromCache, false);
      }
      assert.deepEqual((await readdir(readOnly)).sort(), ['bundle.cjs', 'code-cache.mjs']);
    } finally {
      await chmod(readOnly, 0o755);
    }
  });

  test('a damaged cache is refused by V8 and replaced; the script still runs', async () => {
    await writeFile(file, script('CCCC'));
    await runScript(file);
    const cache = await readFile(`${file}.v8-cache`);
    const stampLength = cache.indexOf(0x0a) + 1;
    await writeFile(`${file}.v8-cache`, Buffer.concat([cache.subarray(0, stampLength), Buffer.alloc(cache.length - stampLength, 0x5a)]));
    const damaged = await runScript(file);
    assert.match(damaged.output, /^CCCC /);
    assert.equal(damaged.fromCache, false);
    assert.equal((await runScript(file)).fromCache, true);
  });
});
