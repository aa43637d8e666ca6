/**
 * A real license repository for the SDK's tests: the server's own `startServer` on a free port, a
 * temporary data folder, and SQLite or a fresh PostgreSQL database (made from `test`, dropped on close).
 * Helpers act as the demo clients over HTTP: the market office issues and revokes, the holder's agent
 * shares. Nothing is mocked.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toPem } from '@elicense/core';
import { loadConfig } from '../../server/src/config.js';
import type { ServerContext } from '../../server/src/context.js';
import { DEMO_PURPOSE, sampleRequest } from '../../server/src/platform/demo-licenses.js';
import type { DemoCredentials } from '../../server/src/platform/demo-platform.js';
import { startServer } from '../../server/src/server.js';
import { createPostgresDatabase, freePort } from '../../server/test-support/storage.js';
import type { LicenseClientOptions } from '../src/index.js';

export const BUSINESS_LICENSE = '11100000MB0143028R001';
export const FOOD_LICENSE = '11100000MB0143028R002';
export const PURPOSE = DEMO_PURPOSE;

export interface Repository {
  /** Where it listens. */
  readonly url: string;
  /** What its licenses name it (ELICENSE_PUBLIC_URL). */
  readonly publicUrl: string;
  readonly ctx: ServerContext;
  readonly credentials: DemoCredentials;
  /** The demo holder (营业执照 and consent holder). */
  readonly holderCode: string;
  readonly holderName: string;
  /** The trust-list operator's certificate, PEM: what an approval system pins. */
  readonly operatorCertificatePem: string;
  secret(clientId: string): string;
  /** Client options for the demo approval system: its secret, the demo purpose, the pinned operator. */
  approvalClientOptions(extra?: Partial<LicenseClientOptions>): LicenseClientOptions;
  /** Issues a license of `typeCode` to the demo holder as the market office; returns its identifier. */
  issue(typeCode: string): Promise<string>;
  /** The holder's agent shares one license with the approval system for the demo purpose. */
  share(identifier: string): Promise<void>;
  revoke(identifier: string): Promise<void>;
  close(): Promise<void>;
}



export interface RepositoryOptions {
  readonly database: 'sqlite' | 'postgres';
  /**
   * 'listening' names the repository by the address it listens at (found before start); 'separate'
   * gives it a public URL nobody can reach, as behind a gateway, and the SDK maps it (publicUrl).
   */
  readonly publicUrl?: 'listening' | 'separate';
  readonly env?: Record<string, string>;
}

export async function startRepository(options: RepositoryOptions): Promise<Repository> {
  const dataDir = await mkdtemp(join(tmpdir(), `elicense-sdk-${options.database}-`));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    let databaseUrl = `sqlite:${join(dataDir, 'elicense.sqlite')}`;
    if (options.database === 'postgres') {
      const created = await createPostgresDatabase('elicense_sdk');
      cleanups.push(created.drop);
      databaseUrl = created.url;
    }
    const separate = options.publicUrl === 'separate';
    const port = separate ? 0 : await freePort();
    const publicUrl = separate ? 'https://repository.elicense.test' : `http://127.0.0.1:${port}`;
    const config = loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      ELICENSE_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      ELICENSE_PUBLIC_URL: publicUrl,
      LOG_LEVEL: 'silent',
      ...options.env,
    });
    const running = await startServer(config);
    cleanups.push(() => running.close());
    const credentials = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    const secret = (id: string) => {
      const found = credentials.clients.find((c) => c.id === id);
      assert.ok(found, `no demo client ${id}`);
      return found.secret;
    };
    const holderAgent = credentials.clients.find((c) => c.kind === 'holder-agent');
    assert.ok(holderAgent?.holder, 'the demo platform has a holder agent');
    const holder = await running.ctx.db.selectFrom('settings').select('value').where('name', '=', 'demo-holder').executeTakeFirstOrThrow();
    const holderName = (JSON.parse(holder.value) as { name: string }).name;
    const operator = await running.ctx.keys.platformSigner('trust-list-operator');

    const tokens = new Map<string, string>();
    const call = async (clientId: string, path: string, body: unknown): Promise<Record<string, unknown>> => {
      let token = tokens.get(clientId);
      if (!token) {
        const res = await fetch(`${running.url}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret(clientId) }),
        });
        assert.equal(res.status, 200, await res.clone().text());
        token = ((await res.json()) as { access_token: string }).access_token;
        tokens.set(clientId, token);
      }
      const res = await fetch(`${running.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      assert.ok(res.status === 200 || res.status === 201, `${clientId} POST ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };

    const operatorCertificatePem = toPem('CERTIFICATE', operator.certificates[0]!);
    return {
      url: running.url,
      publicUrl,
      ctx: running.ctx,
      credentials,
      holderCode: holderAgent.holder,
      holderName,
      operatorCertificatePem,
      secret,
      approvalClientOptions: (extra = {}) => ({
        baseUrl: running.url,
        clientId: 'approval-system',
        clientSecret: secret('approval-system'),
        purpose: PURPOSE.code,
        trustOperatorCertificate: operatorCertificatePem,
        ...extra,
      }),
      async issue(typeCode) {
        const request = sampleRequest(running.ctx.registry.get(typeCode), { name: holderName, code: holderAgent.holder! });
        const issued = await call('market-office', '/v1/licenses', request);
        return issued.identifier as string;
      },
      async share(identifier) {
        await call('holder-agent', '/v1/consents', {
          clientId: 'approval-system',
          license: identifier,
          purposeCode: PURPOSE.code,
          purposeName: PURPOSE.name,
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        });
      },
      async revoke(identifier) {
        await call('market-office', `/v1/licenses/${encodeURIComponent(identifier)}/revoke`, { reason: '吊销：测试' });
      },
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** A clock the test moves, for the SDK: the server keeps the real time. */
export function movableClock(): { now: () => Date; advance(seconds: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (seconds) => { offset += seconds * 1000; } };
}
