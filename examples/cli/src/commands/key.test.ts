import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { importPrivateKey, parsePem } from '@elicense/core';
import { cli, openssl, tempDir, usageErrorProblem } from './cli-harness.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
before(async () => {
  tmp = await tempDir();
});
after(() => tmp.remove());

const PASS = { KEY_PASS: 'correct horse 电池 staple' };

/** SHA-256 of the DER public key as OpenSSL derives it from the private key file. */
async function opensslFingerprint(keyPath: string, passphrase?: string): Promise<string> {
  const der = await openssl(['pkey', '-in', keyPath, ...(passphrase ? ['-passin', `pass:${passphrase}`] : []), '-pubout', '-outform', 'PEM']);
  return createHash('sha256').update(parsePem(der)[0]!.der).digest('hex');
}

test('key generate writes a PKCS#8 key of each algorithm, mode 0600, and prints the fingerprint OpenSSL computes', async () => {
  for (const alg of ['ES256', 'EdDSA', 'PS256', 'SM2SM3'] as const) {
    const path = tmp.path(`${alg}.key.pem`);
    const result = await cli(['key', 'generate', '--alg', alg, '--out', path]);
    assert.equal(result.code, 0, result.stderr);
    const pem = await readFile(path, 'utf8');
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const key = await importPrivateKey(pem);
    assert.equal(key.alg, alg);
    const fingerprint = /sha256 ([0-9a-f]{64})/.exec(result.stdout)?.[1];
    assert.equal(fingerprint, createHash('sha256').update(key.publicKey).digest('hex'));
    assert.equal(fingerprint, await opensslFingerprint(path));
  }
});

test('with --passphrase-env the key is encrypted: OpenSSL and core read it with the passphrase only', async () => {
  const path = tmp.path('encrypted.key.pem');
  const result = await cli(['key', 'generate', '--alg', 'ES256', '--out', path, '--passphrase-env', 'KEY_PASS'], { env: PASS });
  assert.equal(result.code, 0, result.stderr);
  const pem = await readFile(path, 'utf8');
  assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  assert.equal((await importPrivateKey(pem, { passphrase: PASS.KEY_PASS })).alg, 'ES256');
  assert.match(result.stdout, new RegExp(await opensslFingerprint(path, PASS.KEY_PASS)));

  const shown = await cli(['key', 'show', path, '--passphrase-env', 'KEY_PASS', '--json'], { env: PASS });
  assert.equal(shown.code, 0, shown.stderr);
  const data = JSON.parse(shown.stdout) as { alg: string; fingerprint: string; publicKeyPem: string };
  assert.equal(data.alg, 'ES256');
  assert.equal(data.publicKeyPem, await openssl(['pkey', '-in', path, '-passin', `pass:${PASS.KEY_PASS}`, '-pubout']));

  const noPassphrase = await cli(['key', 'show', path]);
  assert.equal(usageErrorProblem(noPassphrase, /is encrypted: .*--passphrase-env/), undefined);
  const wrong = await cli(['key', 'show', path, '--passphrase-env', 'KEY_PASS'], { env: { KEY_PASS: 'wrong' } });
  assert.equal(usageErrorProblem(wrong, /ERR_KEY_DECRYPT_FAILED/), undefined);
  const unset = await cli(['key', 'show', path, '--passphrase-env', 'NO_SUCH_VARIABLE_SET']);
  assert.equal(usageErrorProblem(unset, /NO_SUCH_VARIABLE_SET .*not set/), undefined);
});

test('key show prints the algorithm, fingerprint and public key PEM of an SM2 key', async () => {
  const path = tmp.path('SM2SM3.key.pem');
  const result = await cli(['key', 'show', path]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /算法 algorithm: SM2SM3/);
  assert.match(result.stdout, new RegExp(`公钥指纹 sha256: ${await opensslFingerprint(path)}`));
  assert.ok(result.stdout.includes(await openssl(['pkey', '-in', path, '-pubout'])));
});

test('an existing key is never overwritten without --force, and --force keeps mode 0600', async () => {
  const path = tmp.path('existing.key.pem');
  await writeFile(path, 'precious', { mode: 0o644 });
  const refused = await cli(['key', 'generate', '--alg', 'ES256', '--out', path]);
  assert.equal(usageErrorProblem(refused, /already exists; refusing to overwrite/), undefined);
  assert.equal(await readFile(path, 'utf8'), 'precious');
  const forced = await cli(['key', 'generate', '--alg', 'EdDSA', '--out', path, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal((await importPrivateKey(await readFile(path, 'utf8'))).alg, 'EdDSA');
  assert.equal((await stat(path)).mode & 0o777, 0o600);
});

test('key import-p12 splits an OpenSSL 3 PKCS#12 file into a key and a leaf-first chain', async () => {
  const caKey = tmp.path('ES256.key.pem');
  const leafKey = tmp.path('EdDSA.key.pem');
  await openssl(['req', '-x509', '-new', '-key', caKey, '-subj', '/CN=P12 Test CA', '-days', '30', '-out', tmp.path('p12-ca.pem')]);
  await openssl(['req', '-new', '-key', leafKey, '-subj', '/O=吉林省住房和城乡建设厅/CN=p12 leaf', '-utf8', '-out', tmp.path('leaf.csr')]);
  await openssl(['x509', '-req', '-in', tmp.path('leaf.csr'), '-CA', tmp.path('p12-ca.pem'), '-CAkey', caKey, '-days', '30', '-out', tmp.path('p12-leaf.pem')]);
  await openssl(
    ['pkcs12', '-export', '-inkey', leafKey, '-in', tmp.path('p12-leaf.pem'), '-certfile', tmp.path('p12-ca.pem'), '-passout', 'env:P12_PASS', '-out', tmp.path('office.p12')],
    { env: { P12_PASS: 'p12 secret' } },
  );

  const outKey = tmp.path('imported.key.pem');
  const outChain = tmp.path('imported-chain.pem');
  const env = { P12_PASS: 'p12 secret', ...PASS };
  const result = await cli(
    ['key', 'import-p12', tmp.path('office.p12'), '--passphrase-env', 'P12_PASS', '--key-passphrase-env', 'KEY_PASS', '--out-key', outKey, '--out-chain', outChain],
    { env },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /2 certificate\(s\)/);
  assert.equal((await stat(outKey)).mode & 0o777, 0o600);
  assert.match(await readFile(outKey, 'utf8'), /ENCRYPTED PRIVATE KEY/);
  assert.equal(await opensslFingerprint(outKey, PASS.KEY_PASS), await opensslFingerprint(leafKey));
  const chain = await readFile(outChain, 'utf8');
  const subjects = await openssl(['x509', '-in', outChain, '-noout', '-subject', '-nameopt', 'utf8']);
  assert.match(subjects, /O=吉林省住房和城乡建设厅, CN=p12 leaf/);
  assert.equal(parsePem(chain).length, 2);
  assert.ok(chain.endsWith(await readFile(tmp.path('p12-ca.pem'), 'utf8')), 'the CA certificate follows the leaf');

  const wrong = await cli(['key', 'import-p12', tmp.path('office.p12'), '--passphrase-env', 'P12_PASS', '--out-key', tmp.path('w.pem'), '--out-chain', tmp.path('w-chain.pem')], {
    env: { P12_PASS: 'not it' },
  });
  assert.equal(usageErrorProblem(wrong, /ERR_KEY_DECRYPT_FAILED/), undefined);
});

test('usage errors exit 2 with one line', async () => {
  for (const [args, pattern] of [
    [['key', 'generate', '--alg', 'RS256', '--out', tmp.path('rs.pem')], /--alg must be one of ES256, EdDSA, PS256, SM2SM3/],
    [['key', 'generate', '--out', tmp.path('x.pem')], /required option '--alg/],
    [['key', 'show', tmp.path('missing.pem')], /cannot read private key .*no such file/],
    [['key', 'show', tmp.path('leaf.csr')], /no private key PEM block/],
    [['key'], /Usage: elicense key/],
  ] as const) {
    assert.equal(usageErrorProblem(await cli(args), pattern), undefined, args.join(' '));
  }
});
