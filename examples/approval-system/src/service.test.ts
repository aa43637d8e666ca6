import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLicenseClient } from '@elicense/sdk';
import { loadConfig, startServer, type RunningServer } from '@elicense/server';
import { freePort } from '@elicense/server/test-support/storage';
import { createApprovalService } from './service.js';

const PURPOSE = { code: '000117001000', name: '建筑工程施工许可证核发' };
const BUSINESS_LICENSE = '11100000MB0143028R001';

let dir: string;
let repository: RunningServer;
let credentials: { clients: { id: string; secret: string; holder?: string }[]; trustOperatorCertificate: string };
let approval: { url: string; server: HttpServer; close(): void };


const secret = (id: string) => credentials.clients.find((c) => c.id === id)!.secret;

async function token(id: string): Promise<string> {
  const response = await fetch(`${repository.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`${id}:${secret(id)}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function apply(body: Record<string, string>) {
  const response = await fetch(`${approval.url}/applications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 201);
  return (await response.json()) as { id: string; approved: boolean; reasons: string[]; indication: string | null };
}

function startApproval(maxStatusAge: number) {
  const licenses = createLicenseClient({
    baseUrl: repository.url,
    clientId: 'approval-system',
    clientSecret: secret('approval-system'),
    trustOperatorCertificate: credentials.trustOperatorCertificate,
    maxStatusAge,
  });
  const service = createApprovalService({ licenses, purpose: PURPOSE, acceptedTypes: [BUSINESS_LICENSE], databaseFile: join(dir, `decisions-${maxStatusAge}.sqlite`) });
  const server = service.app.listen(0, '127.0.0.1');
  return new Promise<typeof approval>((resolve) => server.once('listening', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, close: service.close })));
}

let holder: string;
let businessLicense: string;
let foodLicense: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'elicense-approval-'));
  repository = await startServer(loadConfig({ PORT: String(await freePort()), ELICENSE_DATA_DIR: dir, LOG_LEVEL: 'silent' }));
  credentials = JSON.parse(await readFile(repository.demoCredentialsFile!, 'utf8'));
  holder = credentials.clients.find((c) => c.id === 'holder-agent')!.holder!;
  const rows = await repository.ctx.db.selectFrom('licenses').select(['identifier', 'type_code']).where('holder_code', '=', holder).execute();
  businessLicense = rows.find((r) => r.type_code === BUSINESS_LICENSE)!.identifier;
  foodLicense = rows.find((r) => r.type_code === '11100000MB0143028R002')!.identifier;
  approval = await startApproval(300);
});

after(async () => {
  approval?.server.close();
  approval?.close();
  await repository?.close();
  await rm(dir, { recursive: true, force: true });
});

test('an application naming a shared, valid license of the applicant is approved without a paper copy', async () => {
  const decision = await apply({ applicantCode: holder, applicantName: '演示市示例科技有限公司', licenseId: businessLicense });
  assert.equal(decision.approved, true, decision.reasons.join('; '));
  assert.equal(decision.indication, 'TOTAL_PASSED');
  const stored = (await (await fetch(`${approval.url}/applications/${decision.id}`)).json()) as { approved: boolean; report_sha256: string };
  assert.equal(stored.approved, true);
  assert.match(stored.report_sha256, /^[0-9a-f]{64}$/);
});

test('someone else presenting the license is refused: the holder is not the applicant', async () => {
  const decision = await apply({ applicantCode: '91110108MA01R2T568', applicantName: '别的公司', licenseId: businessLicense });
  assert.equal(decision.approved, false);
  assert.ok(decision.reasons.includes('证照持有人与申请人不一致'), decision.reasons.join('; '));
});

test('a license the holder has not shared for this service item is refused', async () => {
  const decision = await apply({ applicantCode: holder, applicantName: '演示市示例科技有限公司', licenseId: foodLicense });
  assert.equal(decision.approved, false);
  assert.match(decision.reasons[0]!, /未授权/);
});

test('once the office revokes the license, a new application is refused as REVOKED', async () => {
  const response = await fetch(`${repository.url}/v1/licenses/${encodeURIComponent(businessLicense)}/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token('market-office')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: '申请人申请注销' }),
  });
  assert.equal(response.status, 200);
  // A system that caches status for at most a second sees the revocation on its next check.
  const strict = await startApproval(1);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const response = await fetch(`${strict.url}/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ applicantCode: holder, applicantName: '演示市示例科技有限公司', licenseId: businessLicense }),
    });
    const decision = (await response.json()) as { approved: boolean; indication: string; reasons: string[] };
    assert.equal(decision.approved, false);
    assert.equal(decision.indication, 'TOTAL_FAILED');
    assert.match(decision.reasons[0]!, /REVOKED/);
  } finally {
    strict.server.close();
    strict.close();
  }
});
