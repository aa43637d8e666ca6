import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { cli, openssl, tempDir, usageErrorProblem } from './cli-harness.js';
import { BUSINESS_LICENSE, PURPOSE, startRepository, type TestRepository } from './repository-harness.js';

let repository: TestRepository;
let folder: Awaited<ReturnType<typeof tempDir>>;
let pdf: string;
let jws: string;

/** `--server … --trust-operator …`: all a public verifier needs, no credentials. */
const online = () => ['--online', '--server', repository.url, '--trust-operator', repository.operatorPem];

before(async () => {
  repository = await startRepository();
  folder = await tempDir();
  const identifier = await repository.licenseOf(BUSINESS_LICENSE);
  pdf = folder.path('license.pdf');
  jws = folder.path('license.jws');
  for (const [format, out] of [['pdf', pdf], ['json', jws]] as const) {
    const fetched = await cli(['fetch', identifier, '--purpose', PURPOSE, '--format', format, '--out', out, '--no-verify'], { env: repository.approvalEnv() });
    assert.equal(fetched.code, 0, fetched.stderr);
  }
});

after(async () => {
  await repository?.close();
  await folder?.remove();
});

test('verify --online: a downloaded PDF passes against the repository\'s trust list, CRLs and status lists (exit 0)', async () => {
  // No client credentials in the environment: the public documents need none.
  const result = await cli(['verify', pdf, ...online(), '--json'], { env: { ELICENSE_CLIENT_ID: '', ELICENSE_CLIENT_SECRET: '' } });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as { indication: string; format: string; checks: { id: string; indication: string; message: string }[] };
  assert.equal(report.indication, 'TOTAL_PASSED');
  assert.equal(report.format, 'pdf');
  const status = report.checks.find((c) => c.id === 'license.status');
  assert.equal(status?.indication, 'TOTAL_PASSED');
  assert.match(status!.message, new RegExp(`${repository.url}/status/`));
});

test('verify --online: a changed byte fails (exit 1); another operator certificate is not trusted', async () => {
  const bytes = await readFile(jws, 'utf8');
  const tampered = folder.path('tampered.jws');
  const payloadAt = bytes.indexOf('"payload":"') + 20;
  await writeFile(tampered, bytes.slice(0, payloadAt) + (bytes[payloadAt] === 'A' ? 'B' : 'A') + bytes.slice(payloadAt + 1));
  const failed = await cli(['verify', tampered, ...online()]);
  assert.equal(failed.code, 1, failed.stdout + failed.stderr);

  // The trust list must be signed by the pinned certificate: with another one nothing is trusted.
  const wrongOperator = folder.path('not-the-operator.pem');
  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=Not the operator', '-days', '1', '-keyout', folder.path('other.key'), '-out', wrongOperator]);
  const untrusted = await cli(['verify', jws, '--online', '--server', repository.url, '--trust-operator', wrongOperator, '--json']);
  assert.equal(untrusted.code, 3, untrusted.stdout + untrusted.stderr);
  const trustCheck = (JSON.parse(untrusted.stdout) as { checks: { id: string; indication: string; message: string }[] }).checks.find((c) => c.id === 'trust.list');
  assert.notEqual(trustCheck?.indication, 'TOTAL_PASSED');
  assert.match(trustCheck!.message, /pinned operator certificate/);
});

test('verify --online refuses local sources and needs a server', async () => {
  const mixed = await cli(['verify', jws, ...online(), '--status', 'status.jws']);
  assert.equal(usageErrorProblem(mixed, /^elicense: --online takes everything from the repository: drop --status\n$/), undefined);
  const noServer = await cli(['verify', jws, '--online', '--trust-operator', repository.operatorPem], { env: { ELICENSE_SERVER: '' } });
  assert.equal(usageErrorProblem(noServer, /^elicense: --server is required \(or set ELICENSE_SERVER\)\n$/), undefined);
  const both = await cli(['verify', jws, ...online(), '--bundle', 'bundle.json']);
  assert.equal(usageErrorProblem(both, /exclude each other/), undefined);
});

test('bundle, then verify --bundle offline: exit 0; once the bundle is too old, INDETERMINATE (exit 3)', async () => {
  const bundleFile = folder.path('bundle.json');
  const saved = await cli(['bundle', '--server', repository.url, '--trust-operator', repository.operatorPem, '--out', bundleFile, '--json']);
  assert.equal(saved.code, 0, saved.stderr);
  const summary = JSON.parse(saved.stdout) as { statusLists: string[]; crls: number };
  assert.ok(summary.statusLists.includes(`${repository.url}/status/${BUSINESS_LICENSE}/revocation/0`), saved.stdout);
  assert.ok(summary.crls > 0);
  const bundle = JSON.parse(await readFile(bundleFile, 'utf8')) as { version: number; statusLists: Record<string, string> };
  assert.equal(bundle.version, 1);
  assert.deepEqual(Object.keys(bundle.statusLists).sort(), summary.statusLists);

  // Offline: the server is not asked (a closed port would fail the status check if it were).
  const offline = await cli(['verify', pdf, '--bundle', bundleFile, '--trust-operator', repository.operatorPem, '--max-status-age', '86400'], { env: { ELICENSE_SERVER: 'http://127.0.0.1:1' } });
  assert.equal(offline.code, 0, offline.stdout + offline.stderr);
  assert.match(offline.stdout, /有效 \(TOTAL_PASSED\)/);

  const tooOld = await cli(['verify', jws, '--bundle', bundleFile, '--trust-operator', repository.operatorPem, '--max-status-age', '0', '--json']);
  assert.equal(tooOld.code, 3, tooOld.stdout + tooOld.stderr);
  const status = (JSON.parse(tooOld.stdout) as { checks: { id: string; indication: string; message: string }[] }).checks.find((c) => c.id === 'license.status');
  assert.equal(status?.indication, 'INDETERMINATE');
  assert.match(status!.message, /sync the bundle/);
});

test('bundle --license holds only the status lists that license names', async () => {
  const bundleFile = folder.path('one-license.json');
  const saved = await cli(['bundle', '--license', jws, '--out', bundleFile], { env: { ELICENSE_SERVER: repository.url, ELICENSE_TRUST_OPERATOR: repository.operatorPem } });
  assert.equal(saved.code, 0, saved.stderr);
  const bundle = JSON.parse(await readFile(bundleFile, 'utf8')) as { statusLists: Record<string, string> };
  assert.deepEqual(Object.keys(bundle.statusLists).sort(), [`${repository.url}/status/${BUSINESS_LICENSE}/revocation/0`, `${repository.url}/status/${BUSINESS_LICENSE}/suspension/0`]);
  const offline = await cli(['verify', jws, '--bundle', bundleFile, '--trust-operator', repository.operatorPem]);
  assert.equal(offline.code, 0, offline.stdout + offline.stderr);
});

test('verify --bundle: a file that is not a bundle is one line, exit 2', async () => {
  const notBundle = folder.path('not-a-bundle.json');
  await writeFile(notBundle, '{"version":2}');
  const result = await cli(['verify', jws, '--bundle', notBundle, '--trust-operator', repository.operatorPem]);
  assert.equal(usageErrorProblem(result, /^elicense: not an offline bundle: version is not 1\n$/), undefined);
});
