/**
 * For the tests of the commands that talk to a license repository: a real repository server (SQLite,
 * demo platform) in this process, on a free port so the URLs in its licenses are the ones it serves.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLicenseTypeRegistry } from '@elicense/core';
import { loadConfig, startServer, type RunningServer } from '@elicense/server';
import { freePort } from '@elicense/server/test-support/storage';

/** 事项编码 of the demo consent: holder → approval-system, every 营业执照. */
export const PURPOSE = '000117001000';
export const BUSINESS_LICENSE = '11100000MB0143028R001';
export const FOOD_LICENSE = '11100000MB0143028R002';

interface DemoCredentials {
  readonly clients: readonly { readonly id: string; readonly secret: string; readonly holder?: string }[];
}

export interface TestRepository {
  readonly url: string;
  readonly server: RunningServer;
  /** The pinned trust-list operator certificate (PEM file). */
  readonly operatorPem: string;
  readonly holder: string;
  secret(clientId: string): string;
  /** The demo holder's license of this type. */
  licenseOf(typeCode: string): Promise<string>;
  /** Environment for `elicense` acting as the approval system (ELICENSE_SERVER, ELICENSE_CLIENT_ID, …). */
  approvalEnv(): Record<string, string>;
  /** Issues another license of the type to the demo holder, as its office, through the API. */
  issue(clientId: string, typeCode: string): Promise<string>;
  /** revoke, suspend or reinstate, as the issuing office. */
  transition(clientId: string, identifier: string, kind: 'revoke' | 'suspend' | 'reinstate'): Promise<void>;
  close(): Promise<void>;
}


export async function startRepository(): Promise<TestRepository> {
  const dir = await mkdtemp(join(tmpdir(), 'elicense-cli-repository-'));
  const server = await startServer(loadConfig({ PORT: String(await freePort()), ELICENSE_DATA_DIR: dir, LOG_LEVEL: 'silent' }));
  assert.ok(server.demoCredentialsFile, 'the repository seeded no demo platform');
  const credentials = JSON.parse(await readFile(server.demoCredentialsFile, 'utf8')) as DemoCredentials;
  const secret = (clientId: string) => credentials.clients.find((c) => c.id === clientId)!.secret;
  const holder = credentials.clients.find((c) => c.id === 'holder-agent')!.holder!;

  async function token(clientId: string): Promise<string> {
    const response = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${clientId}:${secret(clientId)}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 200, `token for ${clientId}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function post(clientId: string, path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(clientId)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `POST ${path}: HTTP ${response.status} ${text}`);
    return JSON.parse(text);
  }

  async function holderRow(typeCode: string) {
    const row = await server.ctx.db.selectFrom('licenses').select(['identifier', 'holder_name']).where('holder_code', '=', holder).where('type_code', '=', typeCode).executeTakeFirst();
    assert.ok(row, `the demo holder has no license of type ${typeCode}`);
    return row;
  }

  return {
    url: server.url,
    server,
    operatorPem: join(dir, 'trust-list-operator.pem'),
    holder,
    secret,
    licenseOf: async (typeCode) => (await holderRow(typeCode)).identifier,
    approvalEnv: () => ({
      ELICENSE_SERVER: server.url,
      ELICENSE_CLIENT_ID: 'approval-system',
      ELICENSE_CLIENT_SECRET: secret('approval-system'),
      ELICENSE_TRUST_OPERATOR: join(dir, 'trust-list-operator.pem'),
    }),
    async issue(clientId, typeCode) {
      const type = defaultLicenseTypeRegistry.get(typeCode);
      const to = { name: (await holderRow(typeCode)).holder_name, code: holder };
      const fields: Record<string, unknown> = { ...type.sample.fields };
      if (type.linkedFields?.holderName) fields[type.linkedFields.holderName] = to.name;
      if (type.linkedFields?.holderCode) fields[type.linkedFields.holderCode] = to.code;
      const issued = (await post(clientId, '/v1/licenses', { typeCode, holder: to, fields })) as { identifier: string };
      return issued.identifier;
    },
    async transition(clientId, identifier, kind) {
      await post(clientId, `/v1/licenses/${encodeURIComponent(identifier)}/${kind}`, { reason: 'a test of the command line' });
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
