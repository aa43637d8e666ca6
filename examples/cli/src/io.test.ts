import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UsageError } from './errors.js';
import { MAX_INPUT_BYTES, readInput } from './io.js';

describe('readInput', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'elicense-io-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads a file of several chunks byte for byte', async () => {
    const bytes = new Uint8Array(randomBytes((3 << 20) + 12_345));
    await writeFile(join(dir, 'several.bin'), bytes);
    assert.deepEqual(await readInput(join(dir, 'several.bin')), bytes);
    await writeFile(join(dir, 'empty.bin'), '');
    assert.equal((await readInput(join(dir, 'empty.bin'))).length, 0);
  });

  it('refuses a file over the limit, and an endless device, after reading no more than the limit', async () => {
    await writeFile(join(dir, 'huge.pdf'), '%PDF-1.7\n');
    await truncate(join(dir, 'huge.pdf'), 4 * 1024 ** 3);
    await assert.rejects(readInput(join(dir, 'huge.pdf'), 'license'), (error: unknown) =>
      error instanceof UsageError && error.message === `license ${join(dir, 'huge.pdf')} is larger than ${MAX_INPUT_BYTES} bytes`);
    const before = process.memoryUsage().rss;
    await assert.rejects(readInput('/dev/zero', 'license'), /\/dev\/zero is larger than/);
    assert.ok(process.memoryUsage().rss - before < 4 * MAX_INPUT_BYTES, 'memory stays near the limit');
  });

  it('names what is wrong with a path it cannot read', async () => {
    await assert.rejects(readInput(join(dir, 'missing.jws'), 'license'), /cannot read license .*missing\.jws: no such file/);
    await assert.rejects(readInput(dir, 'license'), /cannot read license .*: it is a directory/);
  });
});
