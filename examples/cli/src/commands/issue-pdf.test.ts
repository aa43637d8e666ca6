import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, repo, run, startTsa, tempDir, type RunningCli, type RunResult } from './cli-harness.js';

const pki = (name: string) => join(repo, 'test-vectors/pki', name);
const W032 = '建筑施工特种作业人员操作资格证书';
const es256 = ['--key', pki('issuer-44541j-es256.key.pem'), '--cert', pki('issuer-44541j-es256.cert.pem')];
let dir: Awaited<ReturnType<typeof tempDir>>;
let tsa: RunningCli;

async function ok(args: readonly string[]): Promise<RunResult> {
  const result = await cli(args);
  assert.equal(result.code, 0, `elicense ${args.join(' ')}: ${result.stderr}`);
  return result;
}

function verify(file: string): Promise<RunResult> {
  const p = dir.path;
  return cli(['verify', file, '--json', '--trust', p('trust-list.json'), '--trust-operator', pki('trust-list-operator.cert.pem'), '--no-status-check', '--status', p('crls.pem')]);
}

before(async () => {
  dir = await tempDir();
  const p = dir.path;
  await ok(['key', 'generate', '--alg', 'ES256', '--out', p('tsa.key.pem')]);
  await ok(['ca', 'issue-tsa', '--ca-cert', pki('intl-issuing-ca.cert.pem'), '--ca-key', pki('intl-issuing-ca.key.pem'), '--key', p('tsa.key.pem'), '--cn', '测试时间戳服务', '--out', p('tsa.cert.pem'), '--chain-out', p('tsa-chain.pem')]);
  tsa = await startTsa(['--key', p('tsa.key.pem'), '--cert', p('tsa-chain.pem')]);
  await ok([
    'trust-list', 'build', '--operator-key', pki('trust-list-operator.key.pem'), '--operator-cert', pki('trust-list-operator.cert.pem'),
    '--issuer', `吉林省住房和城乡建设厅=11220000013544541J:${pki('intl-issuing-ca.cert.pem')}:${W032}`,
    '--tsa', `测试时间戳服务=11990000MB3456783T:${p('tsa.cert.pem')}`, '--sequence', '4', '--out', p('trust-list.json'),
  ]);
  await ok(['ca', 'crl', '--ca-cert', pki('intl-issuing-ca.cert.pem'), '--ca-key', pki('intl-issuing-ca.key.pem'), '--crl-number', '1', '--out', p('ca.crl.pem')]);
  await ok(['ca', 'crl', '--ca-cert', pki('intl-root-ca.cert.pem'), '--ca-key', pki('intl-root-ca.key.pem'), '--crl-number', '1', '--out', p('root.crl.pem')]);
  await writeFile(p('crls.pem'), `${await readFile(p('ca.crl.pem'), 'utf8')}${await readFile(p('root.crl.pem'), 'utf8')}`);
  await writeFile(p('data.json'), (await ok(['issue', '--sample', W032])).stdout);
});

after(async () => {
  tsa?.child.kill('SIGTERM');
  await tsa?.exit;
  await dir.remove();
});

test('issue --pdf --tsa --lta writes a B-LTA license PDF that verify accepts and pdfsig calls valid', async () => {
  const p = dir.path;
  const issued = await ok([
    'issue', '--type', W032, '--data', p('data.json'), ...es256, '--serial', '2026000101', '--out', p('license.jws'), '--pdf', p('license.pdf'),
    '--tsa', tsa.url, '--lta', '--crl', p('ca.crl.pem'), '--crl', p('root.crl.pem'), '--dss-cert', pki('intl-root-ca.cert.pem'),
  ]);
  assert.match(issued.stdout, /PDF \(PAdES B-LTA, ES256\) written to /);
  const result = await verify(p('license.pdf'));
  const report = JSON.parse(result.stdout) as { indication: string; format: string; signatures: { pdf: { kind: string; level?: string } }[] };
  assert.equal(result.code, 0, result.stdout);
  assert.deepEqual([report.indication, report.format], ['TOTAL_PASSED', 'pdf']);
  assert.deepEqual(report.signatures.map((s) => [s.pdf.kind, s.pdf.level ?? null]), [['certification', 'B-LTA'], ['timestamp', null]]);

  const pdfsig = await run('pdfsig', ['-nocert', p('license.pdf')]);
  assert.match(pdfsig.stdout, /Signature #1:[\s\S]*Signature Field Name: 颁证机构签章[\s\S]*Signature Validation: Signature is Valid\./);
  const text = await run('pdftotext', [p('license.pdf'), '-']);
  assert.match(text.stdout, /赵德华/);
  assert.match(text.stdout, /吉A042021000123/);
});

test('a PDF changed after signing fails with exit 1; one signed by an office the list does not trust is INDETERMINATE', async () => {
  const p = dir.path;
  await ok(['issue', '--type', W032, '--data', p('data.json'), ...es256, '--serial', '2026000102', '--out', p('b.jws'), '--pdf', p('b.pdf')]);
  const pdf = await readFile(p('b.pdf'));
  const at = pdf.indexOf('/Producer');
  pdf[at + 2] = pdf[at + 2]! ^ 0x20;
  await writeFile(p('b-tampered.pdf'), pdf);
  const tampered = await verify(p('b-tampered.pdf'));
  assert.equal(tampered.code, 1, tampered.stdout);
  assert.equal((JSON.parse(tampered.stdout) as { subIndication: string }).subIndication, 'HASH_FAILURE');

  const untrusted = await cli(['verify', p('b.pdf'), '--json', '--no-status-check', '--status', p('crls.pem')]);
  assert.equal(untrusted.code, 3, untrusted.stdout);
  assert.equal((JSON.parse(untrusted.stdout) as { subIndication: string }).subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
});

test('PDF options need --pdf, and --lta needs --tsa and --crl: exit 2 before anything is written', async () => {
  const p = dir.path;
  const base = ['issue', '--type', W032, '--data', p('data.json'), ...es256, '--serial', '2026000103', '--out', p('never.jws')];
  const noPdf = await cli([...base, '--tsa', tsa.url]);
  assert.equal(noPdf.code, 2);
  assert.match(noPdf.stderr, /--tsa, --lta and --crl are for the PDF: add --pdf/);
  const noTsa = await cli([...base, '--pdf', p('never.pdf'), '--lta']);
  assert.equal(noTsa.code, 2);
  assert.match(noTsa.stderr, /--lta needs --tsa/);
  await assert.rejects(readFile(p('never.jws')));
});
