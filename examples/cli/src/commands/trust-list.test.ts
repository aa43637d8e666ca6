import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { certificateFromPem, verifyTrustList } from '@elicense/core';
import { cli, tempDir, usageErrorProblem } from './cli-harness.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
const p = (name: string) => tmp.path(name);
const HOUSING = '吉林省住房和城乡建设厅';
const HOUSING_CODE = '11220000013544541J';
const OPERATOR_TYPE = '11100000000013338W032';
const SAFETY_TYPE = '11100000000013338W050';

async function ok(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await cli(args);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return result;
}

const der = async (name: string) => certificateFromPem(await readFile(p(name), 'utf8')).der;

before(async () => {
  tmp = await tempDir();
  await Promise.all(['root', 'ca', 'op'].map((name) => ok(['key', 'generate', '--alg', 'ES256', '--out', p(`${name}.key.pem`)])));
  await ok(['ca', 'root', '--key', p('root.key.pem'), '--cn', 'Trust Test Root', '--out', p('root.cert.pem')]);
  await ok(['ca', 'issue-ca', '--ca-cert', p('root.cert.pem'), '--ca-key', p('root.key.pem'), '--key', p('ca.key.pem'), '--cn', 'Trust Test CA', '--out', p('ca.cert.pem')]);
  await ok([
    'ca', 'issue-issuer', '--ca-cert', p('ca.cert.pem'), '--ca-key', p('ca.key.pem'), '--key', p('op.key.pem'),
    '--org', '演示省电子证照共享平台', '--org-code', '11990000MB3456783T', '--cn', '信任列表签发', '--out', p('op.cert.pem'),
  ]);
});
after(() => tmp.remove());

test('trust-list build signs the issuers, their certificates and license types; core verifies it against the operator', async () => {
  const built = await ok([
    'trust-list', 'build', '--operator-key', p('op.key.pem'), '--operator-cert', p('op.cert.pem'),
    '--issuer', `${HOUSING}=${HOUSING_CODE}:${p('ca.cert.pem')}:${OPERATOR_TYPE},建筑施工企业安全生产许可证`,
    '--status-issuer', `演示省电子证照共享平台=11990000MB3456783T:${p('ca.cert.pem')}`,
    '--sequence', '7', '--out', p('trust-list.json'),
  ]);
  assert.match(built.stdout, /trust list #7 of 演示省电子证照共享平台/);
  const list = await verifyTrustList(await readFile(p('trust-list.json')), { at: new Date(), operatorCertificates: [await der('op.cert.pem')] });
  const { content } = list;
  assert.equal(content.sequence, 7);
  assert.deepEqual(content.operator, { name: '演示省电子证照共享平台', code: '11990000MB3456783T' });
  assert.equal(Math.round((Date.parse(content.nextUpdate) - Date.parse(content.issued)) / 86_400_000), 90);
  assert.equal(content.issuers.length, 1);
  assert.equal(content.issuers[0]!.name, HOUSING);
  assert.equal(content.issuers[0]!.code, HOUSING_CODE);
  assert.deepEqual(content.issuers[0]!.licenseTypes, [OPERATOR_TYPE, SAFETY_TYPE], 'a type name is written as its code');
  assert.deepEqual(content.issuers[0]!.certificates, [await der('ca.cert.pem')]);
  assert.deepEqual(content.statusIssuers.map((s) => s.code), ['11990000MB3456783T']);
  assert.equal(list.stale, false);
});

test('trust-list build --config reads issuers.json with certificate paths relative to it', async () => {
  await mkdir(p('config'), { recursive: true });
  await writeFile(p('config/ca.cert.pem'), await readFile(p('ca.cert.pem')));
  await writeFile(
    p('config/issuers.json'),
    JSON.stringify({
      issuers: [
        { name: HOUSING, code: HOUSING_CODE, certificates: ['ca.cert.pem'], licenseTypes: [OPERATOR_TYPE] },
        { name: '演示市市场监督管理局', code: '11990100MB12345620', certificates: ['ca.cert.pem'], licenseTypes: ['营业执照', '食品经营许可证'] },
      ],
    }),
  );
  await ok(['trust-list', 'build', '--operator-key', p('op.key.pem'), '--operator-cert', p('op.cert.pem'), '--config', p('config/issuers.json'), '--sequence', '8', '--next-update-days', '1', '--out', p('config-list.json')]);
  const { content } = await verifyTrustList(await readFile(p('config-list.json')), { at: new Date(), operatorCertificates: [await der('op.cert.pem')] });
  assert.equal(content.sequence, 8);
  assert.deepEqual(content.issuers.map((i) => [i.code, i.licenseTypes]), [
    [HOUSING_CODE, [OPERATOR_TYPE]],
    ['11990100MB12345620', ['11100000MB0143028R001', '11100000MB0143028R002']],
  ]);
  assert.equal(Math.round((Date.parse(content.nextUpdate) - Date.parse(content.issued)) / 86_400_000), 1);
});

test('trust-list show verifies (pinned or saying it is not), names each type, and exits 1 on a wrong pin, 3 when stale', async () => {
  const unpinned = await ok(['trust-list', 'show', p('trust-list.json')]);
  assert.match(unpinned.stdout, /signature verified with the operator certificate the list carries \(not pinned/);
  assert.match(unpinned.stdout, /序号 sequence: 7/);
  assert.match(unpinned.stdout, /11100000000013338W032 {2}建筑施工特种作业人员操作资格证书/);
  assert.match(unpinned.stdout, /11100000000013338W050 {2}建筑施工企业安全生产许可证/);
  assert.match(unpinned.stdout, /CN=Trust Test CA,C=CN/);
  assert.match(unpinned.stdout, /\(current\)/);

  const pinned = await ok(['trust-list', 'show', p('trust-list.json'), '--trust-operator', p('op.cert.pem'), '--json']);
  const data = JSON.parse(pinned.stdout) as { verified: boolean; pinned: boolean; stale: boolean; sequence: number; issuers: { licenseTypes: { code: string; name: string }[] }[] };
  assert.equal(data.verified, true);
  assert.equal(data.pinned, true);
  assert.equal(data.stale, false);
  assert.deepEqual(data.issuers[0]!.licenseTypes.map((t) => t.name), ['建筑施工特种作业人员操作资格证书', '建筑施工企业安全生产许可证']);

  const wrongPin = await cli(['trust-list', 'show', p('trust-list.json'), '--trust-operator', p('ca.cert.pem')]);
  assert.equal(wrongPin.code, 1);
  assert.match(wrongPin.stdout, /does not verify: .*ERR_TRUST_LIST_INVALID/);

  const stale = await cli(['trust-list', 'show', p('config-list.json'), '--at', new Date(Date.now() + 2 * 86_400_000).toISOString()]);
  assert.equal(stale.code, 3);
  assert.match(stale.stdout, /已过期 STALE/);

  const tampered = (await readFile(p('trust-list.json'), 'utf8')).replace(/"payload": "ey/, '"payload": "eX');
  await writeFile(p('tampered.json'), tampered);
  const broken = await cli(['trust-list', 'show', p('tampered.json'), '--json']);
  assert.equal(broken.code, 1);
  assert.equal(JSON.parse(broken.stdout).verified, false);
});

test('misuse exits 2 with one line', async () => {
  const op = ['--operator-key', p('op.key.pem'), '--operator-cert', p('op.cert.pem'), '--sequence', '1', '--out', p('never.json')];
  for (const [args, pattern] of [
    [['trust-list', 'build', ...op, '--issuer', `${HOUSING}:${p('ca.cert.pem')}`], /--issuer takes <name>=<code>:<cert.pem>/],
    [['trust-list', 'build', ...op, '--issuer', `${HOUSING}=${HOUSING_CODE}:${p('ca.cert.pem')}:不存在的证照`], /"不存在的证照" is neither a 21-character license type code/],
    [['trust-list', 'build', ...op, '--issuer', `${HOUSING}=12345:${p('ca.cert.pem')}:${OPERATOR_TYPE}`], /"12345" is not an 18-character 统一社会信用代码/],
    [['trust-list', 'build', ...op], /name at least one issuer/],
    [['trust-list', 'build', '--operator-key', p('root.key.pem'), '--operator-cert', p('root.cert.pem'), '--sequence', '1', '--out', p('never.json'), '--issuer', `${HOUSING}=${HOUSING_CODE}:${p('ca.cert.pem')}:${OPERATOR_TYPE}`], /names no organisation/],
    [['trust-list', 'build', '--operator-key', p('ca.key.pem'), '--operator-cert', p('op.cert.pem'), '--sequence', '1', '--out', p('never.json'), '--issuer', `${HOUSING}=${HOUSING_CODE}:${p('ca.cert.pem')}:${OPERATOR_TYPE}`], /is not the key of the certificate/],
    [['trust-list', 'build', ...op.slice(0, 4), '--sequence', '0', '--out', p('never.json'), '--issuer', `${HOUSING}=${HOUSING_CODE}:${p('ca.cert.pem')}:${OPERATOR_TYPE}`], /--sequence must be an integer from 1/],
    [['trust-list', 'show', p('missing.json')], /cannot read trust list .*no such file/],
  ] as const) {
    assert.equal(usageErrorProblem(await cli(args), pattern), undefined, args.join(' '));
  }
  await assert.rejects(readFile(p('never.json')), { code: 'ENOENT' });
});

test('trust-list build names time-stamping authorities (--tsa) and seal makers (--seal-maker) apart from the issuers', async () => {
  await ok([
    'trust-list', 'build', '--operator-key', p('op.key.pem'), '--operator-cert', p('op.cert.pem'),
    '--issuer', `${HOUSING}=${HOUSING_CODE}:${p('ca.cert.pem')}:${OPERATOR_TYPE}`,
    '--tsa', `演示时间戳服务=11990000MB3456783T:${p('op.cert.pem')}`,
    '--seal-maker', `演示制章中心=11990000MB3456783T:${p('root.cert.pem')}`,
    '--sequence', '9', '--out', p('services.json'),
  ]);
  const { content } = await verifyTrustList(await readFile(p('services.json')), { at: new Date(), operatorCertificates: [await der('op.cert.pem')] });
  assert.deepEqual(content.timestampAuthorities?.map((t) => [t.name, t.certificates.length]), [['演示时间戳服务', 1]]);
  assert.deepEqual(content.sealMakers?.map((m) => m.name), ['演示制章中心']);
  assert.deepEqual(content.sealMakers?.[0]!.certificates[0], await der('root.cert.pem'));
  const shown = await ok(['trust-list', 'show', p('services.json'), '--trust-operator', p('op.cert.pem')]);
  assert.match(shown.stdout, /时间戳服务机构 time-stamping authorities \(1\)\n {2}演示时间戳服务/);
});
