import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { corpusPath } from '../../../../packages/core/test-support/corpora.js';
import { cli, tempDir } from './cli-harness.js';

const AT = ['--at', '2026-06-01T00:00:00Z'];
const INTACT = ['ofdrw-converter--1.ofd', 'ofdrw-converter--999.ofd', 'ofdrw-converter--SignScaleError.ofd', 'ofdrw-sign--v4signed.ofd'];
const ofd = (name: string) => corpusPath(`ofd-sealed/${name}`);

interface JsonReport {
  valid: boolean;
  indication: string;
  subIndication?: string;
  format: string;
  signatures: { indication: string }[];
  checks: { id: string; indication: string; subIndication?: string; message: string; signature?: number }[];
}

test('elicense verify file.ofd: real sealed files exit 3 (INDETERMINATE, no chain), every signature intact', async () => {
  for (const name of INTACT) {
    const { code, stdout, stderr } = await cli(['verify', ofd(name), ...AT, '--json']);
    assert.equal(code, 3, `${name}: ${stderr}`);
    const report = JSON.parse(stdout) as JsonReport;
    assert.equal(report.format, 'ofd');
    assert.equal(report.indication, 'INDETERMINATE');
    assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
    assert.ok(report.checks.every((c) => c.indication !== 'TOTAL_FAILED'), name);
    for (const id of ['ofd.references', 'ses.signature', 'ses.data-hash']) {
      assert.ok(report.checks.some((c) => c.id === id && c.indication === 'TOTAL_PASSED'), `${name}: ${id} passed`);
    }
  }
});

test('elicense verify: files whose pages changed after sealing exit 1; the human report names the changed files', async () => {
  const { code, stdout } = await cli(['verify', ofd('ofdrw-converter--zsbk.ofd'), ...AT]);
  assert.equal(code, 1);
  assert.match(stdout, /TOTAL_FAILED/);
  assert.match(stdout, /ofd\.references/);
  assert.match(stdout, /Doc_0\/Pages\/Page_0\/Content\.xml/);
  const keyword = await cli(['verify', ofd('ofdrw-layout--keyword.ofd'), ...AT, '--json']);
  assert.equal(keyword.code, 1);
  assert.equal((JSON.parse(keyword.stdout) as JsonReport).subIndication, 'HASH_FAILURE');
});

test('elicense verify: one changed byte in a sealed OFD exits 1; a broken package is a FORMAT_FAILURE report, never a stack trace', async () => {
  const tmp = await tempDir();
  try {
    const bytes = new Uint8Array(await readFile(ofd('ofdrw-sign--v4signed.ofd')));
    for (const part of ['Doc_0/Pages/Page_0/Content.xml', 'Doc_0/Signs/Sign_0/Signature.xml', 'Doc_0/Signs/Sign_0/SignedValue.dat']) {
      const at = Buffer.from(bytes).indexOf(Buffer.from(part)) + part.length + 40;
      const changed = bytes.slice();
      changed[at] = changed[at]! ^ 0x01;
      await writeFile(tmp.path('changed.ofd'), changed);
      const { code, stdout } = await cli(['verify', tmp.path('changed.ofd'), ...AT, '--json']);
      assert.equal(code, 1, part);
      assert.equal((JSON.parse(stdout) as JsonReport).indication, 'TOTAL_FAILED', part);
    }
    await writeFile(tmp.path('broken.ofd'), bytes.subarray(0, bytes.length - 100));
    const broken = await cli(['verify', tmp.path('broken.ofd'), ...AT, '--json']);
    assert.equal(broken.code, 1);
    const report = JSON.parse(broken.stdout) as JsonReport;
    assert.equal(report.subIndication, 'FORMAT_FAILURE');
    assert.doesNotMatch(broken.stderr, /\n\s+at /);
  } finally {
    await tmp.remove();
  }
});
