import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repo, run, tempDir } from './commands/cli-harness.js';

/** The README's "From keys to a verified license" block, run as written (with the binary in place of `pnpm elicense`). */
test('the README walk-through runs as written and ends with a TOTAL_PASSED license', async () => {
  const readme = await readFile(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### From keys to a verified license'));
  const block = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!block?.startsWith('E="pnpm elicense"')) assert.fail('the walk-through block is where the README puts it');
  const dir = await tempDir();
  try {
    const script = block.replace('E="pnpm elicense"', `E="${process.execPath} ${join(repo, 'examples/cli/bin/elicense.mjs')}"`);
    await writeFile(dir.path('walk.sh'), `set -euo pipefail\n${script}\n`);
    const result = await run('bash', [dir.path('walk.sh')], { cwd: dir.dir, env: { ISSUER_PASSPHRASE: 'walk-through passphrase' } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /✔ 有效 \(TOTAL_PASSED\) {2}license\.jws \(jws\)/);
    assert.match(result.stdout, /✔ 信任列表 trust list trust-list\.json: signature verified with the pinned operator certificate/);
    assert.match(await readFile(dir.path('issuer.key.pem'), 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  } finally {
    await dir.remove();
  }
});
