import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { cli, tempDir, usageErrorProblem } from './cli-harness.js';
import { BUSINESS_LICENSE, FOOD_LICENSE, PURPOSE, startRepository, type TestRepository } from './repository-harness.js';

let repository: TestRepository;
let folder: Awaited<ReturnType<typeof tempDir>>;
let businessLicense: string;

before(async () => {
  repository = await startRepository();
  folder = await tempDir();
  businessLicense = await repository.licenseOf(BUSINESS_LICENSE);
});

after(async () => {
  await repository?.close();
  await folder?.remove();
});

/** The connection spelled out as options, the secret still from the environment. */
function connectionFlags(): string[] {
  return ['--server', repository.url, '--client-id', 'approval-system', '--client-secret-env', 'APPROVAL_SECRET', '--trust-operator', repository.operatorPem];
}

test('fetch saves the signed JSON license, verifies it (exit 0), and the saved file verifies online', async () => {
  const out = folder.path('license.jws');
  const result = await cli(['fetch', businessLicense, ...connectionFlags(), '--purpose', PURPOSE, '--out', out], { env: { APPROVAL_SECRET: repository.secret('approval-system') } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /有效 \(TOTAL_PASSED\)/);
  assert.match(result.stdout, /license\.status +not revoked/);
  const saved = await readFile(out, 'utf8');
  assert.match(saved, /^\{"payload":/);

  const verified = await cli(['verify', out, '--online', '--server', repository.url, '--trust-operator', repository.operatorPem, '--json']);
  assert.equal(verified.code, 0, verified.stderr);
  assert.equal(JSON.parse(verified.stdout).license.identifier, businessLicense);
});

test('fetch --format pdf --json prints one object with the repository summary and the report; the PDF verifies', async () => {
  const out = folder.path('license.pdf');
  const result = await cli(['fetch', businessLicense, '--purpose', PURPOSE, '--format', 'pdf', '--out', out, '--json'], { env: repository.approvalEnv() });
  assert.equal(result.code, 0, result.stderr);
  const object = JSON.parse(result.stdout) as { identifier: string; format: string; out: string; report: { indication: string; format: string; license: { identifier: string } } };
  assert.equal(object.identifier, businessLicense);
  assert.equal(object.format, 'pdf');
  assert.equal(object.out, out);
  assert.equal(object.report.indication, 'TOTAL_PASSED');
  assert.equal(object.report.format, 'pdf');
  assert.equal(object.report.license.identifier, businessLicense);
  assert.equal((await readFile(out)).subarray(0, 5).toString('latin1'), '%PDF-');

  const verified = await cli(['verify', out, '--online', '--trust-operator', repository.operatorPem], { env: { ELICENSE_SERVER: repository.url } });
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /TOTAL_PASSED/);
});

test('fetch without --out writes the license to stdout and the verdict to stderr', async () => {
  const result = await cli(['fetch', businessLicense, '--purpose', PURPOSE], { env: repository.approvalEnv() });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\{"payload":.*\}\n$/s);
  assert.match(result.stderr, /有效 \(TOTAL_PASSED\)/);

  const json = await cli(['fetch', businessLicense, '--purpose', PURPOSE, '--json'], { env: repository.approvalEnv() });
  assert.equal(json.code, 0, json.stderr);
  const object = JSON.parse(json.stdout) as { signedJson: string; license: { identifier: string; state: string }; report: { indication: string } };
  assert.equal(object.license.state, 'valid');
  assert.equal(object.report.indication, 'TOTAL_PASSED');
  assert.equal(object.signedJson, result.stdout.trim());
});

test('fetch --format annotated verifies the license the copy carries and names the purpose', async () => {
  const out = folder.path('annotated.pdf');
  const result = await cli(['fetch', businessLicense, '--purpose', PURPOSE, '--format', 'annotated', '--out', out], { env: repository.approvalEnv() });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /加注件 annotated copy .*000117001000/);
  assert.match(result.stdout, /TOTAL_PASSED/);
});

test('find lists the licenses the consent covers, as a table and as JSON', async () => {
  const table = await cli(['find', '--holder', repository.holder, '--purpose', PURPOSE], { env: repository.approvalEnv() });
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /证照标识 identifier/);
  assert.ok(table.stdout.includes(businessLicense));

  const json = await cli(['find', '--holder', repository.holder, '--type', BUSINESS_LICENSE, '--purpose', PURPOSE, '--json'], { env: repository.approvalEnv() });
  assert.equal(json.code, 0, json.stderr);
  const { licenses } = JSON.parse(json.stdout) as { licenses: { identifier: string; typeCode: string }[] };
  assert.ok(licenses.length >= 1);
  assert.ok(licenses.every((l) => l.typeCode === BUSINESS_LICENSE));
  assert.ok(licenses.some((l) => l.identifier === businessLicense));
});

test('a license the holder did not share: exit 2, one line naming the purpose, CONSENT_REQUIRED and the request id', async () => {
  const food = await repository.licenseOf(FOOD_LICENSE);
  const result = await cli(['fetch', food, '--purpose', PURPOSE, '--out', folder.path('food.jws')], { env: repository.approvalEnv() });
  assert.equal(
    usageErrorProblem(result, /^elicense: the holder has not shared this license with this client for purpose 000117001000 \(CONSENT_REQUIRED, request id [0-9a-f-]{36}\)\n$/),
    undefined,
  );
  const otherPurpose = await cli(['fetch', businessLicense, '--purpose', '000117009999'], { env: repository.approvalEnv() });
  assert.equal(usageErrorProblem(otherPurpose, /purpose 000117009999 \(CONSENT_REQUIRED/), undefined);
});

test('a wrong client secret is one line naming the client, exit 2', async () => {
  const result = await cli(['fetch', businessLicense, '--purpose', PURPOSE], { env: { ...repository.approvalEnv(), ELICENSE_CLIENT_SECRET: 'not-the-secret' } });
  assert.equal(usageErrorProblem(result, /^elicense: .* refused the credentials of client approval-system: .*\(INVALID_CLIENT, request id [^)]+\)\n$/), undefined);
});

test('connection problems are one line each, exit 2', async () => {
  const noSecret = await cli(['fetch', businessLicense, ...connectionFlags(), '--purpose', PURPOSE], { env: { APPROVAL_SECRET: '' } });
  assert.equal(usageErrorProblem(noSecret, /^elicense: the client secret is read from the environment: set APPROVAL_SECRET\n$/), undefined);

  const noPurpose = await cli(['fetch', businessLicense], { env: repository.approvalEnv() });
  assert.equal(usageErrorProblem(noPurpose, /^elicense: --purpose is required\n$/), undefined);

  // A port nothing listens on: the one the repository would have if it were not running.
  const closed = new URL(repository.url);
  closed.port = String(Number(closed.port) === 65535 ? 65534 : Number(closed.port) + 1);
  const unreachable = await cli(['fetch', businessLicense, '--purpose', PURPOSE, '--server', closed.href, '--timeout', '2'], { env: repository.approvalEnv() });
  assert.equal(usageErrorProblem(unreachable, /^elicense: cannot reach http:\/\/127\.0\.0\.1:\d+ \(\d attempts\): ECONNREFUSED\n$/), undefined);

  const pdfToJson = await cli(['fetch', businessLicense, '--purpose', PURPOSE, '--format', 'pdf', '--json'], { env: repository.approvalEnv() });
  assert.equal(usageErrorProblem(pdfToJson, /--json with --format pdf needs --out/), undefined);
});

test('a revoked license is fetched, reported REVOKED, exit 1', async () => {
  const identifier = await repository.issue('market-office', BUSINESS_LICENSE);
  await repository.transition('market-office', identifier, 'revoke');
  const result = await cli(['fetch', identifier, '--purpose', PURPOSE, '--out', folder.path('revoked.jws'), '--json'], { env: repository.approvalEnv() });
  assert.equal(result.code, 1, result.stderr);
  const object = JSON.parse(result.stdout) as { license: { state: string }; report: { indication: string; subIndication: string } };
  assert.equal(object.license.state, 'revoked');
  assert.equal(object.report.indication, 'TOTAL_FAILED');
  assert.equal(object.report.subIndication, 'REVOKED');

  const human = await cli(['fetch', identifier, '--purpose', PURPOSE, '--out', folder.path('revoked.pdf'), '--format', 'pdf'], { env: repository.approvalEnv() });
  assert.equal(human.code, 1, human.stderr);
  assert.match(human.stdout, /无效 \(TOTAL_FAILED\) REVOKED/);

  const unverified = await cli(['fetch', identifier, '--purpose', PURPOSE, '--out', folder.path('unverified.jws'), '--no-verify'], { env: repository.approvalEnv() });
  assert.equal(unverified.code, 0, unverified.stderr);
  assert.match(unverified.stdout, /written to .*unverified\.jws \(not verified\)/);
});
