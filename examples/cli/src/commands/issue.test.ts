import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultLicenseTypeRegistry, parseIdentifier, parseJws, fromUtf8 } from '@elicense/core';
import { cli, repo, tempDir, usageErrorProblem, type RunResult } from './cli-harness.js';

const pki = (name: string) => join(repo, 'test-vectors/pki', name);
const W032 = '建筑施工特种作业人员操作资格证书';
let dir: Awaited<ReturnType<typeof tempDir>>;

async function ok(args: readonly string[]): Promise<RunResult> {
  const result = await cli(args);
  assert.equal(result.code, 0, `elicense ${args.join(' ')}: ${result.stderr}`);
  return result;
}

/** verify with the trust list, CRLs and status lists built in `before`. */
function verify(file: string, extra: readonly string[] = []): Promise<RunResult> {
  const p = dir.path;
  return cli([
    'verify', file, '--json', '--trust', p('trust-list.json'), '--trust-operator', pki('trust-list-operator.cert.pem'),
    '--status', p('crls.pem'), '--status', p('revocation.jws'), '--status', p('suspension.jws'), ...extra,
  ]);
}

const es256 = ['--key', pki('issuer-44541j-es256.key.pem'), '--cert', pki('issuer-44541j-es256.cert.pem')];
const sm2 = ['--sm2-key', pki('issuer-44541j-sm2.key.pem'), '--sm2-cert', pki('issuer-44541j-sm2.cert.pem')];
const STATUS_BASE = 'https://status.example.gov.cn/11100000000013338W032';

before(async () => {
  dir = await tempDir();
  const p = dir.path;
  await ok([
    'trust-list', 'build', '--operator-key', pki('trust-list-operator.key.pem'), '--operator-cert', pki('trust-list-operator.cert.pem'),
    '--issuer', `吉林省住房和城乡建设厅=11220000013544541J:${pki('intl-issuing-ca.cert.pem')},${pki('sm2-issuing-ca.cert.pem')}:${W032}`,
    '--sequence', '3', '--out', p('trust-list.json'),
  ]);
  await Promise.all([
    ok(['ca', 'crl', '--ca-cert', pki('intl-issuing-ca.cert.pem'), '--ca-key', pki('intl-issuing-ca.key.pem'), '--crl-number', '1', '--out', p('intl.crl.pem')]),
    ok(['ca', 'crl', '--ca-cert', pki('sm2-issuing-ca.cert.pem'), '--ca-key', pki('sm2-issuing-ca.key.pem'), '--crl-number', '1', '--out', p('sm2.crl.pem')]),
    ok(['status-list', 'create', ...es256, '--url', `${STATUS_BASE}/revocation`, '--purpose', 'revocation', '--set', '9', '--out', p('revocation.jws')]),
    ok(['status-list', 'create', ...es256, '--url', `${STATUS_BASE}/suspension`, '--purpose', 'suspension', '--out', p('suspension.jws')]),
    ok(['issue', '--sample', W032]).then((r) => writeFile(p('data.json'), r.stdout)),
  ]);
  await writeFile(p('crls.pem'), `${await readFile(p('intl.crl.pem'), 'utf8')}${await readFile(p('sm2.crl.pem'), 'utf8')}`);
});

after(() => dir.remove());

test('issue --sample prints data.json that passes the type schema', async () => {
  const data = JSON.parse(await readFile(dir.path('data.json'), 'utf8')) as { holder: { name: string; code: string }; fields: Record<string, unknown> };
  const type = defaultLicenseTypeRegistry.get('11100000000013338W032');
  assert.deepEqual(defaultLicenseTypeRegistry.validateFields(type, data.fields), []);
  assert.equal(data.holder.code, data.fields.身份证号码);
});

test('issue signs a compact ES256 license that verifies TOTAL_PASSED, and a revoked index fails', async () => {
  const p = dir.path;
  const issued = await ok([
    'issue', '--type', W032, '--data', p('data.json'), ...es256, '--serial', '2026000001',
    '--status-url-base', STATUS_BASE, '--status-index', '8', '--out', p('license.jws'),
  ]);
  const identifier = issued.stdout.split('\n')[0]!;
  const parsed = parseIdentifier(identifier);
  assert.deepEqual([parsed.typeCode, parsed.issuerCode, parsed.serial, parsed.version], ['11100000000013338W032', '11220000013544541J', '2026000001', 1]);
  assert.match(issued.stdout, /建筑施工特种作业人员操作资格证书 吉A042021000123 {2}赵德华 {2}signed ES256, written to /);
  const jws = parseJws(await readFile(p('license.jws')));
  assert.equal(jws.form, 'compact');
  const credential = JSON.parse(fromUtf8(jws.payload)) as { credentialSubject: Record<string, unknown>; credentialStatus: { statusListIndex: string }[] };
  assert.equal(credential.credentialSubject.certificateIdentifier, identifier);
  assert.deepEqual(credential.credentialStatus.map((s) => s.statusListIndex), ['8', '8'], 'a string, as Bitstring Status List says');

  const report = await verify(p('license.jws'));
  assert.equal(report.code, 0, report.stdout);
  assert.equal((JSON.parse(report.stdout) as { indication: string }).indication, 'TOTAL_PASSED');

  await ok(['issue', '--type', W032, '--data', p('data.json'), ...es256, '--serial', '2026000002', '--status-url-base', STATUS_BASE, '--status-index', '9', '--out', p('revoked.jws')]);
  const revoked = await verify(p('revoked.jws'));
  assert.equal(revoked.code, 1);
  assert.equal((JSON.parse(revoked.stdout) as { subIndication: string }).subIndication, 'REVOKED');
});

test('with --sm2-key the license is general JSON with ES256 and SM2SM3 signatures, both verified', async () => {
  const p = dir.path;
  await ok([
    'issue', '--type', '11100000000013338W032', '--data', p('data.json'), ...es256, ...sm2, '--serial', '2026000003',
    '--status-url-base', STATUS_BASE, '--status-index', '3', '--out', p('dual.json'),
  ]);
  const jws = parseJws(await readFile(p('dual.json')));
  assert.equal(jws.form, 'general');
  assert.deepEqual(jws.signatures.map((s) => (s.protectedHeader as { alg: string }).alg), ['ES256', 'SM2SM3']);
  const report = JSON.parse((await verify(p('dual.json'))).stdout) as { indication: string; signatures: { alg: string; indication: string }[] };
  assert.equal(report.indication, 'TOTAL_PASSED');
  assert.deepEqual(report.signatures.map((s) => [s.alg, s.indication]), [['ES256', 'TOTAL_PASSED'], ['SM2SM3', 'TOTAL_PASSED']]);
});

test('a renewal with --previous is version 002 and names the version it supersedes', async () => {
  const p = dir.path;
  const first = (await ok(['issue', '--type', W032, '--data', p('data.json'), ...es256, '--serial', '2026000004', '--out', p('v1.jws')])).stdout.split('\n')[0]!;
  const second = (await ok(['issue', '--type', W032, '--data', p('data.json'), ...es256, '--serial', '2026000004', '--previous', first, '--out', p('v2.jws')])).stdout.split('\n')[0]!;
  assert.equal(parseIdentifier(second).version, 2);
  assert.match(second, /\.2026000004\.002\.[0-9A-Z]$/);
  const inspected = JSON.parse((await ok(['inspect', p('v2.jws'), '--json'])).stdout) as { previousIdentifier: string };
  assert.equal(inspected.previousIdentifier, first);
});

test('bad data exits 2 naming each field, and writes nothing', async () => {
  const p = dir.path;
  const data = JSON.parse(await readFile(p('data.json'), 'utf8')) as { fields: Record<string, unknown> };
  data.fields.性别 = '未知';
  delete data.fields.操作类别;
  await writeFile(p('bad.json'), JSON.stringify(data));
  const result = await cli(['issue', '--type', W032, '--data', p('bad.json'), ...es256, '--serial', '1', '--out', p('bad.jws')]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^elicense: field fields\.性别: /m);
  assert.match(result.stderr, /^elicense: field fields\.操作类别: /m);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  await assert.rejects(access(p('bad.jws')), 'nothing written');
});

test('misuse exits 2 with one line: missing options, an issuer code not in the certificate, a non-SM2 --sm2-key', async () => {
  const p = dir.path;
  const base = ['issue', '--type', W032, '--data', p('data.json'), '--serial', '7', '--out', p('never.jws')];
  const cases: [readonly string[], RegExp][] = [
    [['issue', '--type', W032], /missing --data, --key, --cert, --serial, --out/],
    [[...base, ...es256, '--issuer-code', '11990100MB12345620'], /--issuer-code 11990100MB12345620 is not the signing certificate's organisation 11220000013544541J/],
    [[...base, ...es256, '--sm2-key', pki('issuer-44541j-eddsa.key.pem'), '--sm2-cert', pki('issuer-44541j-eddsa.cert.pem')], /is a EdDSA key, not SM2/],
    [[...base, '--key', pki('issuer-44541j-es256.key.pem'), '--cert', pki('issuer-44541j-sm2.cert.pem')], /does not match|not the key of/],
    [[...base.slice(0, 2), '不存在的证照', ...base.slice(3), ...es256], /不存在的证照/],
  ];
  for (const [args, pattern] of cases) {
    const problem = usageErrorProblem(await cli(args), pattern);
    assert.equal(problem, undefined, `elicense ${args.join(' ')}: ${problem}`);
  }
  await assert.rejects(access(p('never.jws')));
});
