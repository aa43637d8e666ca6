import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli, repo, tempDir, usageErrorProblem, type RunResult } from './cli-harness.js';

const vector = (path: string) => join(repo, 'test-vectors', path);

async function ok(args: readonly string[]): Promise<RunResult> {
  const result = await cli(args);
  assert.equal(result.code, 0, `elicense ${args.join(' ')}: ${result.stderr}`);
  return result;
}

test('a license shows its fields in Chinese, its status entries and signers, and says it is not verified', async () => {
  const human = (await ok(['inspect', vector('jws/es256-valid.jws')])).stdout;
  assert.match(human, /^电子证照 license \(signed JSON\) \(compact serialization\)/);
  assert.match(human, /\n未验证: not verified; use elicense verify\n/);
  assert.match(human, /证照名称: 建筑施工特种作业人员操作资格证书\n/);
  assert.match(human, /持证主体: 赵德华\n/);
  assert.match(human, /照面信息\n {2}姓名: 赵德华\n {2}性别: 男/);
  assert.match(human, /状态列表 revocation #\d+: https:\/\/status\.elicense\.example\//);
  assert.match(human, /受保护头 protected header: \{"alg":"ES256","typ":"vc\+jwt","cty":"vc"\}/);
  assert.match(human, /x5c: CN=吉林省住房和城乡建设厅 电子证照签发 ES256 \(TEST ONLY\),.*\(issuer CN=eLicense Demo Issuing CA/);

  const data = JSON.parse((await ok(['inspect', vector('jws/dual-es256-sm2-valid.json'), '--json'])).stdout) as {
    kind: string; verified: boolean; form: string; license: { identifier: string }; signatures: { protectedHeader: { alg: string } }[];
  };
  assert.deepEqual([data.kind, data.verified, data.form], ['license', false, 'general']);
  assert.match(data.license.identifier, /^1\.2\.156\.3005\.2\./);
  assert.deepEqual(data.signatures.map((s) => s.protectedHeader.alg), ['ES256', 'SM2SM3']);
});

test('a forged license is shown as found, never as valid: inspect verifies nothing', async () => {
  for (const name of ['alg-none.jws', 'tampered-payload.jws', 'hs256-public-key-confusion.jws']) {
    const result = await ok(['inspect', vector(`jws/${name}`), '--json']);
    const data = JSON.parse(result.stdout) as { verified: boolean; note: string };
    assert.equal(data.verified, false, name);
    assert.match(data.note, /use elicense verify/);
  }
});

test('trust lists, status lists, certificates and CRLs are recognised from their bytes', async () => {
  const trust = (await ok(['inspect', vector('trust/trust-list.json')])).stdout;
  assert.match(trust, /^信任列表 trust list \(flattened serialization\)/);
  assert.match(trust, /运营机构 operator: 演示省电子证照共享平台 \(11990000MB3456783T\)/);
  assert.match(trust, /吉林省住房和城乡建设厅 {2}统一社会信用代码 11220000013544541J\n {4}可颁发证照类型 license types:\n(?: {6}.*\n)*? {6}11100000000013338W032 {2}建筑施工特种作业人员操作资格证书/);

  const status = JSON.parse((await ok(['inspect', vector('status/11100000000013338W032-revocation.jws'), '--json'])).stdout) as {
    kind: string; purpose: string; size: number; setIndexes: number[];
  };
  assert.deepEqual([status.kind, status.purpose, status.size], ['status-list', 'revocation', 131072]);
  const revoked = JSON.parse(await readFile(vector('manifest.json'), 'utf8')) as { vectors: { file: string }[] };
  assert.ok(revoked.vectors.some((v) => v.file === 'jws/license-revoked.jws'));
  const revokedLicense = JSON.parse((await ok(['inspect', vector('jws/license-revoked.jws'), '--json'])).stdout) as { status: { purpose: string; index: string; list: string }[] };
  const entry = revokedLicense.status.find((s) => s.purpose === 'revocation' && s.list.includes('11100000000013338W032'))!;
  assert.ok(status.setIndexes.includes(Number(entry.index)), 'the revoked license index is among the set bits');

  const chain = (await ok(['inspect', vector('pki/issuer-44541j-sm2.cert.pem')])).stdout;
  assert.match(chain, /^证书 certificate\(s\)/);
  assert.match(chain, /统一社会信用代码: 11220000013544541J/);
  assert.match(chain, /签名算法 signed with SM2SM3/);

  const crls = JSON.parse((await ok(['inspect', vector('status/crls.pem'), '--json'])).stdout) as { kind: string; crls: { issuer: string }[] };
  assert.equal(crls.kind, 'crl');
  assert.ok(crls.crls.some((c) => c.issuer.startsWith('CN=eLicense Demo SM2 Issuing CA')));
});

test('a private key is recognised and never printed', async () => {
  const pem = await readFile(vector('pki/issuer-44541j-es256.key.pem'), 'utf8');
  const body = pem.split('\n').filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line));
  assert.ok(body.length > 0);
  for (const args of [['inspect', vector('pki/issuer-44541j-es256.key.pem')], ['inspect', vector('pki/issuer-44541j-es256.key.pem'), '--json']]) {
    const result = await ok(args);
    assert.match(result.stdout, /private-key|私钥 private key/);
    for (const line of body) assert.ok(!result.stdout.includes(line), 'no key material in the output');
  }
});

test('what it cannot read exits 2 with one line: random bytes, an oversized JWS, an empty file, a PDF, a payload outside base64url', async () => {
  const dir = await tempDir();
  try {
    await writeFile(dir.path('random.bin'), Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
    await writeFile(dir.path('empty'), '');
    await writeFile(dir.path('x.pdf'), '%PDF-1.7\n%%EOF\n');
    const header = (await readFile(vector('jws/es256-valid.jws'), 'utf8')).split('.')[0]!;
    await writeFile(dir.path('bad-payload.jws'), `${header}.e30@x.AAAA`);
    const cases: [string, RegExp][] = [
      [dir.path('random.bin'), /cannot tell what .*random\.bin is/],
      [vector('jws/oversized.jws'), /exceeds the 1048576-byte limit/],
      [dir.path('empty'), /empty|cannot tell/],
      [dir.path('x.pdf'), /is a PDF file: inspect does not read PDF files yet/],
      [dir.path('missing.jws'), /no such file/],
      [dir.path('bad-payload.jws'), /bad-payload\.jws looks like JSON or a JWS but is not a JWS: payload is not valid base64url/],
    ];
    for (const [file, pattern] of cases) {
      const problem = usageErrorProblem(await cli(['inspect', file]), pattern);
      assert.equal(problem, undefined, `${file}: ${problem}`);
    }
  } finally {
    await dir.remove();
  }
});
