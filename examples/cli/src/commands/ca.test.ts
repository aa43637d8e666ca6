import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { certificateFromPem, parseCrl, parsePem } from '@elicense/core';
import { cli, openssl, tempDir, usageErrorProblem } from './cli-harness.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
// The spawned CLI inherits the environment: the CA key's passphrase travels as it would in real use.
process.env.CA_PASS = 'ca passphrase 口令';
const p = (name: string) => tmp.path(name);

async function ok(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await cli(args);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return result;
}

const cert = async (name: string) => certificateFromPem(await readFile(p(name), 'utf8'));

before(async () => {
  tmp = await tempDir();
  await Promise.all([
    ok(['key', 'generate', '--alg', 'EdDSA', '--out', p('root.key.pem')]),
    ok(['key', 'generate', '--alg', 'ES256', '--out', p('ca.key.pem'), '--passphrase-env', 'CA_PASS']),
    ok(['key', 'generate', '--alg', 'SM2SM3', '--out', p('issuer.key.pem')]),
  ]);
  // A CA operator may receive only the office's public key, as key show prints it.
  const { stdout } = await ok(['key', 'show', p('issuer.key.pem')]);
  await writeFile(p('issuer.pub.pem'), stdout.slice(stdout.indexOf('-----BEGIN PUBLIC KEY-----')));
});
after(() => tmp.remove());

test('ca root, issue-ca and issue-issuer make a chain OpenSSL verifies, with the office name and 统一社会信用代码', async () => {
  await ok(['ca', 'root', '--key', p('root.key.pem'), '--cn', '演示省电子证照根 CA', '--org', '演示省电子证照共享平台', '--days', '3650', '--out', p('root.cert.pem')]);
  // The CA key is encrypted; its passphrase comes from the environment.
  await ok(['ca', 'issue-ca', '--ca-cert', p('root.cert.pem'), '--ca-key', p('root.key.pem'), '--key', p('ca.key.pem'), '--key-passphrase-env', 'CA_PASS', '--cn', '演示省电子证照签发 CA', '--out', p('ca.cert.pem')]);
  const issued = await ok([
    'ca', 'issue-issuer', '--ca-cert', p('ca.cert.pem'), '--ca-key', p('ca.key.pem'), '--passphrase-env', 'CA_PASS', '--key', p('issuer.pub.pem'),
    '--org', '吉林省住房和城乡建设厅', '--org-code', '11220000013544541J', '--days', '1095', '--out', p('issuer.cert.pem'), '--chain-out', p('issuer-chain.pem'),
  ]);
  assert.equal(issued.stderr, '', 'a valid 统一社会信用代码 gives no warning');

  const subject = await openssl(['x509', '-in', p('issuer.cert.pem'), '-noout', '-subject', '-nameopt', 'utf8']);
  assert.equal(subject.trim(), 'subject=C=CN, O=吉林省住房和城乡建设厅, organizationIdentifier=NTRCN-11220000013544541J, CN=吉林省住房和城乡建设厅 电子证照签发');
  const rootSubject = await openssl(['x509', '-in', p('root.cert.pem'), '-noout', '-subject', '-nameopt', 'utf8']);
  assert.match(rootSubject, /O=演示省电子证照共享平台, CN=演示省电子证照根 CA/);

  const root = await cert('root.cert.pem');
  const ca = await cert('ca.cert.pem');
  const leaf = await cert('issuer.cert.pem');
  assert.equal(root.selfIssued, true);
  assert.deepEqual(root.keyUsage, ['keyCertSign', 'cRLSign']);
  assert.deepEqual(ca.basicConstraints, { ca: true, pathLen: 0 });
  assert.equal(ca.signatureAlgorithm, 'EdDSA');
  assert.equal(leaf.basicConstraints?.ca, false);
  assert.deepEqual(leaf.keyUsage, ['digitalSignature', 'nonRepudiation']);
  assert.equal(leaf.keyType, 'SM2', 'the public key came from the PUBLIC KEY PEM');
  assert.equal(leaf.organizationCode, '11220000013544541J');
  assert.equal(Math.round((leaf.notAfter.getTime() - leaf.notBefore.getTime()) / 86_400_000), 1095);
  assert.equal(ca.issuer, root.subject);

  const chain = parsePem(await readFile(p('issuer-chain.pem'), 'utf8'));
  assert.deepEqual(chain.map((b) => b.der), [leaf.der, ca.der]);
  // OpenSSL 3.0 cannot verify an SM2-signed certificate without a distinguishing ID, so the chain is ES256/EdDSA-signed.
  assert.match(await openssl(['verify', '-CAfile', p('root.cert.pem'), '-untrusted', p('ca.cert.pem'), p('issuer.cert.pem')]), /OK/);
});

test('a 统一社会信用代码 failing its check characters is a warning; a malformed one an error', async () => {
  const warned = await cli([
    'ca', 'issue-issuer', '--ca-cert', p('ca.cert.pem'), '--ca-key', p('ca.key.pem'), '--passphrase-env', 'CA_PASS', '--key', p('issuer.key.pem'),
    '--org', '演示机构', '--org-code', '11220000013544541A', '--out', p('pilot.cert.pem'),
  ]);
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /warning: --org-code 11220000013544541A fails the 统一社会信用代码 check/);
  assert.equal((await cert('pilot.cert.pem')).organizationCode, '11220000013544541A');

  const malformed = await cli([
    'ca', 'issue-issuer', '--ca-cert', p('ca.cert.pem'), '--ca-key', p('ca.key.pem'), '--passphrase-env', 'CA_PASS', '--key', p('issuer.key.pem'),
    '--org', '演示机构', '--org-code', '1122000001354454', '--out', p('never.cert.pem'),
  ]);
  assert.equal(usageErrorProblem(malformed, /--org-code "1122000001354454" is not an 18-character 统一社会信用代码/), undefined);
});

test('ca crl revokes serials with reasons; OpenSSL and core read the CRL', async () => {
  const serial = (await cert('pilot.cert.pem')).serialNumber;
  await ok([
    'ca', 'crl', '--ca-cert', p('ca.cert.pem'), '--ca-key', p('ca.key.pem'), '--passphrase-env', 'CA_PASS',
    '--revoke', `${serial}:keyCompromise`, '--revoke', '0a1b', '--next-update-days', '7', '--crl-number', '42', '--out', p('ca.crl.pem'),
  ]);
  const crl = parseCrl(parsePem(await readFile(p('ca.crl.pem'), 'utf8'))[0]!.der);
  assert.equal(crl.crlNumber, '42');
  assert.equal(crl.issuer, (await cert('ca.cert.pem')).subject);
  assert.deepEqual(
    crl.revoked.map((r) => [r.serialNumber, r.reason]),
    [[serial, 'keyCompromise'], ['0a1b', undefined]],
  );
  assert.equal(Math.round((crl.nextUpdate!.getTime() - crl.thisUpdate.getTime()) / 86_400_000), 7);
  const text = await openssl(['crl', '-in', p('ca.crl.pem'), '-CAfile', p('ca.cert.pem'), '-noout', '-text']);
  assert.match(text, new RegExp(`Serial Number: ${serial.toUpperCase()}`));
  assert.match(text, /Key Compromise/);
});

test('ca show prints subject, issuer, serial, validity, organisation code and key usage; --json is data', async () => {
  const human = await ok(['ca', 'show', p('issuer-chain.pem')]);
  const leaf = await cert('issuer.cert.pem');
  assert.match(human.stdout, /证书 certificate 1\/2/);
  assert.match(human.stdout, /主体 subject: CN=吉林省住房和城乡建设厅 电子证照签发/);
  assert.match(human.stdout, /统一社会信用代码: 11220000013544541J/);
  assert.match(human.stdout, new RegExp(`序列号 serial: ${leaf.serialNumber}`));
  assert.match(human.stdout, /密钥用法 key usage: digitalSignature, nonRepudiation/);
  assert.match(human.stdout, /中间 CA intermediate, pathLen 0/);
  const json = JSON.parse((await ok(['ca', 'show', p('issuer.cert.pem'), '--json'])).stdout) as Record<string, unknown>[];
  assert.equal(json.length, 1);
  assert.equal(json[0]!.organizationCode, '11220000013544541J');
  assert.equal(json[0]!.keyType, 'SM2');
  assert.equal(json[0]!.signatureAlgorithm, 'ES256');
  assert.equal(json[0]!.notAfter, leaf.notAfter.toISOString());
});

test('misuse exits 2 with one line and writes nothing', async () => {
  const ca = ['--ca-cert', p('ca.cert.pem'), '--ca-key', p('ca.key.pem'), '--passphrase-env', 'CA_PASS'];
  for (const [args, pattern] of [
    [['ca', 'issue-ca', '--ca-cert', p('ca.cert.pem'), '--ca-key', p('root.key.pem'), '--key', p('issuer.key.pem'), '--cn', 'x', '--out', p('x.pem')], /is not the key of the certificate/],
    [['ca', 'issue-ca', '--ca-cert', p('issuer.cert.pem'), '--ca-key', p('issuer.key.pem'), '--key', p('issuer.key.pem'), '--cn', 'x', '--out', p('x.pem')], /is not a CA certificate/],
    [['ca', 'issue-ca', '--ca-cert', p('ca.cert.pem'), '--ca-key', p('ca.key.pem'), '--key', p('issuer.key.pem'), '--cn', 'x', '--out', p('x.pem')], /is encrypted: .*--passphrase-env/],
    [['ca', 'crl', ...ca, '--revoke', 'xyz', '--crl-number', '1', '--out', p('x.pem')], /--revoke takes SERIALHEX\[:reason\]/],
    [['ca', 'crl', ...ca, '--revoke', '0a:stolen', '--crl-number', '1', '--out', p('x.pem')], /the reason must be one of unspecified, keyCompromise/],
    [['ca', 'crl', ...ca, '--crl-number', '-1', '--out', p('x.pem')], /--crl-number must be an integer/],
    [['ca', 'root', '--key', p('root.key.pem'), '--cn', 'x', '--days', 'ten', '--out', p('x.pem')], /--days must be an integer from 1/],
    [['ca', 'root', '--key', p('root.key.pem'), '--out', p('x.pem')], /required option '--cn/],
    [['ca', 'show', p('root.key.pem')], /holds no PEM CERTIFICATE block/],
  ] as const) {
    assert.equal(usageErrorProblem(await cli(args), pattern), undefined, args.join(' '));
  }
  await assert.rejects(readFile(p('x.pem')), { code: 'ENOENT' });
});
