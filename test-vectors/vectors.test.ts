/**
 * Conformance: every vector in manifest.json, verified by the real CLI (`elicense verify --json`) as an
 * outside user would run it, must give exactly the indication and sub-indication the manifest expects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const bin = join(repo, 'examples/cli/bin/elicense.mjs');

interface Vector {
  file: string;
  format: string;
  trust: string | null;
  at?: string;
  status?: string[];
  expected: { indication: string; subIndication?: string };
  description: string;
}

const manifest = JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8')) as { pki: Record<string, unknown>; vectors: Vector[] };

export function verifyArgs(vector: Vector): string[] {
  return [
    'verify',
    join(here, vector.file),
    ...(vector.trust ? ['--trust', join(here, vector.trust)] : []),
    ...(vector.at ? ['--at', vector.at] : []),
    ...(vector.status ?? []).flatMap((s) => ['--status', join(here, s)]),
    '--json',
  ];
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repo, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const EXIT: Record<string, number> = { TOTAL_PASSED: 0, TOTAL_FAILED: 1, INDETERMINATE: 3 };

test('the manifest has the contract shape and at least 25 JSON vectors', () => {
  assert.ok(manifest.vectors.length >= 25);
  for (const v of manifest.vectors) {
    assert.equal(typeof v.file, 'string');
    assert.ok(['jws', 'pdf', 'ses', 'ofd', 'qr'].includes(v.format));
    assert.ok(v.trust === null || typeof v.trust === 'string');
    assert.ok(['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE'].includes(v.expected.indication));
    assert.ok(v.description.length > 0);
  }
  for (const [name, entry] of Object.entries(manifest.pki)) {
    assert.equal(typeof (entry as { role?: unknown }).role, 'string', name);
    assert.equal(typeof (entry as { certificate?: unknown }).certificate, 'string', name);
  }
  const algorithms = new Set(Object.values(manifest.pki).map((e) => (e as { algorithm: string }).algorithm));
  for (const alg of ['ES256', 'EdDSA', 'PS256', 'RS256', 'SM2SM3']) assert.ok(algorithms.has(alg), alg);
});

for (const vector of manifest.vectors) {
  test(`${vector.file}: ${vector.description}`, async () => {
    const { code, stdout, stderr } = await run(verifyArgs(vector));
    assert.equal(stderr, '', 'nothing on stderr');
    const report = JSON.parse(stdout) as { valid: boolean; indication: string; subIndication?: string; format: string; checks: { id: string; indication: string; message: string }[] };
    const summary = report.checks.filter((c) => c.indication !== 'TOTAL_PASSED').map((c) => `${c.id}: ${c.message}`).join('\n');
    assert.equal(report.indication, vector.expected.indication, summary);
    if (vector.expected.subIndication) assert.equal(report.subIndication, vector.expected.subIndication, summary);
    assert.equal(report.valid, vector.expected.indication === 'TOTAL_PASSED');
    assert.equal(report.format, vector.format);
    assert.equal(code, EXIT[vector.expected.indication]);
    assert.ok(report.checks.length > 0 && report.checks.every((c) => c.id && c.message));
  });
}
