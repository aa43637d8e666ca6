import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = join(repo, 'examples/cli/bin/elicense.mjs');
const vectors = join(repo, 'test-vectors');
const v = (path: string) => join(vectors, path);
const AT = ['--at', '2026-06-01T00:00:00Z'];
const OPERATOR_TYPE = '11100000000013338W032';
const STATUS = ['--status', v('status/crls.pem'), '--status', v(`status/${OPERATOR_TYPE}-revocation.jws`), '--status', v(`status/${OPERATOR_TYPE}-suspension.jws`)];

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: repo, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}
const cli = (...args: string[]) => run(process.execPath, [bin, ...args]);

test('usage errors exit 2 with one clear line and no stack trace', async () => {
  for (const args of [
    ['verify', v('jws/es256-valid.jws'), '--at', 'yesterday'],
    ['verify', v('jws/does-not-exist.jws')],
    ['verify', v('jws')],
    ['verify', v('jws/es256-valid.jws'), '--trust-operator', v('pki/trust-list-operator.cert.pem')],
    ['verify', v('jws/es256-valid.jws'), '--status', v('manifest.json')],
    ['verify'],
    ['no-such-command'],
  ]) {
    const { code, stdout, stderr } = await cli(...args);
    assert.equal(code, 2, args.join(' '));
    assert.equal(stdout, '');
    assert.ok(stderr.trim().length > 0 && !/\n\s+at /.test(stderr), stderr);
  }
});

test('the human report is a readable summary with Chinese field names', async () => {
  const { code, stdout } = await cli('verify', v('jws/es256-valid.jws'), '--trust', v('trust/trust-list.json'), ...AT, ...STATUS);
  assert.equal(code, 0);
  assert.match(stdout, /有效 \(TOTAL_PASSED\)/);
  assert.match(stdout, /证照名称: 建筑施工特种作业人员操作资格证书/);
  assert.match(stdout, /颁证机构: 吉林省住房和城乡建设厅/);
  assert.match(stdout, /trust\.issuer-authorized-for-type/);
});

test('a pinned operator certificate is used; a wrong pin leaves nothing trusted', async () => {
  const pinned = await cli('verify', v('jws/es256-valid.jws'), '--trust', v('trust/trust-list.json'), '--trust-operator', v('pki/trust-list-operator.cert.pem'), ...AT, ...STATUS, '--json');
  assert.equal(pinned.code, 0);
  assert.match(JSON.parse(pinned.stdout).checks.find((c: { id: string }) => c.id === 'trust.list').message, /pinned operator certificate/);
  const wrong = await cli('verify', v('jws/es256-valid.jws'), '--trust', v('trust/trust-list.json'), '--trust-operator', v('pki/status-issuer.cert.pem'), ...AT, ...STATUS, '--json');
  const report = JSON.parse(wrong.stdout);
  assert.equal(wrong.code, 3);
  assert.equal(report.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
});

test('status and revocation are INDETERMINATE without sources and pass only when waived explicitly', async () => {
  const without = await cli('verify', v('jws/es256-valid.jws'), '--trust', v('trust/trust-list.json'), ...AT, '--json');
  assert.equal(without.code, 3);
  assert.equal(JSON.parse(without.stdout).subIndication, 'TRY_LATER');
  const waived = await cli('verify', v('jws/es256-valid.jws'), '--trust', v('trust/trust-list.json'), ...AT, '--no-status-check', '--no-revocation-check', '--json');
  assert.equal(waived.code, 0);
  const checks = JSON.parse(waived.stdout).checks as { id: string; message: string }[];
  assert.match(checks.find((c) => c.id === 'license.status')!.message, /waived/);
  assert.match(checks.find((c) => c.id === 'cert.revocation')!.message, /waived/);
});

test('--no-sm2 relies on the ES256 signature of a dual-signed license and cannot accept an SM2-only one', async () => {
  const dual = await cli('verify', v('jws/dual-es256-sm2-valid.json'), '--trust', v('trust/trust-list.json'), ...AT, ...STATUS, '--no-sm2', '--json');
  assert.equal(dual.code, 0);
  const sm2Only = await cli('verify', v('jws/sm2-valid.jws'), '--trust', v('trust/trust-list.json'), ...AT, ...STATUS, '--no-sm2', '--json');
  assert.equal(sm2Only.code, 3);
  assert.equal(JSON.parse(sm2Only.stdout).subIndication, 'CRYPTO_CONSTRAINTS_FAILURE');
});

test('runs as `pnpm elicense verify` from the repository root, as the contract says', async () => {
  const { code, stdout } = await run('npx', ['-y', 'pnpm@10.34.8', '--silent', 'elicense', 'verify', v('jws/tampered-payload.jws'), '--trust', v('trust/trust-list.json'), ...AT, ...STATUS, '--json']);
  assert.equal(code, 1);
  const report = JSON.parse(stdout);
  assert.equal(report.indication, 'TOTAL_FAILED');
  assert.equal(report.subIndication, 'SIG_CRYPTO_FAILURE');
});
