/**
 * The demo platform a fresh server creates in an empty database: CAs, two issuing offices with ES256
 * and SM2 signing keys, electronic seals and authorised license types, the platform's own keys (trust
 * list, status lists, annotated copies, time stamps, access tokens), CRLs, and one client of each kind
 * whose secrets go to a file in the data folder. Every key here is a demo key.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { computeUsccCheckCharacter, generateSigningKey, toPem, type SignatureAlgorithm, type SoftwareSigningKey } from '@elicense/core';
import {
  createDemoCrls,
  createDemoPki,
  createDemoSeal,
  DEMO_OFFICES,
  DEMO_SEAL_MAKER,
  demoTimesAround,
  demoTypes,
  type DemoKey,
  type DemoOffice,
  type DemoSeal,
} from '@elicense/platform/demo';
import { generateClientSecret, hashClientSecret } from '../auth/client-secrets.js';
import { DEFAULT_SCOPES, type ClientKind } from '../auth/scopes.js';
import type { Database, SigningKeysTable } from '../db/schema.js';
import { sealPrivateKey } from '../keys/key-envelope.js';
import { writeSetting } from '../services/settings.js';

export interface DemoClient {
  readonly id: string;
  readonly secret: string;
  readonly kind: ClientKind;
  readonly name: string;
  readonly office?: string;
  readonly holder?: string;
}

export interface DemoCredentials {
  readonly note: string;
  readonly clients: readonly DemoClient[];
  /** PEM: the certificate the trust list is signed with, for clients to pin. */
  readonly trustOperatorCertificate: string;
}

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';
/** The trust-list operator's certificate: what SDK clients pin (out of band, in a real deployment). */
export const DEMO_TRUST_OPERATOR_FILE = 'trust-list-operator.pem';

async function keyRow(id: string, ownerCode: string, role: SigningKeysTable['role'], alg: SignatureAlgorithm, key: SoftwareSigningKey | undefined, chain: readonly Uint8Array[], kek: Uint8Array, at: string): Promise<SigningKeysTable> {
  return {
    id,
    owner_code: ownerCode,
    role,
    alg,
    chain_pem: chain.map((der) => toPem('CERTIFICATE', der)).join(''),
    key_envelope: key ? sealPrivateKey(await key.exportPkcs8(), kek, id) : null,
    hsm_key: null,
    active: 1,
    created_at: at,
  };
}

export function demoOfficesForServer(): DemoOffice[] {
  const types = demoTypes();
  return [
    { ...DEMO_OFFICES.market, licenseTypes: [types.business, types.food] },
    { ...DEMO_OFFICES.housing, licenseTypes: [types.safety, types.operator] },
  ];
}

export async function seedDemoPlatform(db: Kysely<Database>, options: { kek: Uint8Array; font: Uint8Array; dataDir: string; now: Date }): Promise<DemoCredentials> {
  const at = options.now.toISOString();
  const times = demoTimesAround(options.now);
  const offices = demoOfficesForServer();
  const pki = await createDemoPki(times, offices);
  const platformKey: DemoKey = await pki.issueSigningCert('platform', 'issuer', 'ES256', DEMO_OFFICES.operator);
  const operator = DEMO_OFFICES.operator;

  const rows: SigningKeysTable[] = [];
  // The CAs' keys are kept (sealed like the others) so the platform can re-issue their CRLs before they lapse.
  for (const name of ['intl-root-ca', 'sm2-root-ca', 'intl-issuing-ca', 'sm2-issuing-ca']) {
    const ca = pki.get(name);
    rows.push(await keyRow(name, operator.code, ca.role === 'root-ca' ? 'root-ca' : 'ca', ca.alg, ca.key, [ca.certificate], options.kek, at));
  }
  for (const office of offices) {
    const slug = office.code.slice(-6).toLowerCase();
    for (const alg of ['es256', 'sm2']) {
      const key = pki.get(`issuer-${slug}-${alg}`);
      rows.push(await keyRow(key.name, office.code, 'issuer', key.alg, key.key, key.chain, options.kek, at));
    }
  }
  for (const [name, role] of [['trust-list-operator', 'trust-list-operator'], ['status-issuer', 'status-issuer'], ['time-stamping-authority', 'time-stamping-authority']] as const) {
    const key = pki.get(name);
    rows.push(await keyRow(name, operator.code, role, key.alg, key.key, key.chain, options.kek, at));
  }
  rows.push(await keyRow('platform', operator.code, 'platform', platformKey.alg, platformKey.key, platformKey.chain, options.kek, at));
  const tokenKey = await generateSigningKey('ES256');
  rows.push({ ...(await keyRow(`token-${randomUUID()}`, operator.code, 'token', 'ES256', tokenKey, [], options.kek, at)) });

  const seals: DemoSeal[] = [];
  for (const [i, office] of offices.entries()) {
    seals.push(await createDemoSeal(pki, office, { esID: `${office.code.slice(2, 8)}${String(i + 1).padStart(8, '0')}`, font: options.font, validStart: times.certFrom, validEnd: times.certUntil }));
  }
  const crls = await createDemoCrls(pki, times);

  const holderBase = '91990100MA0000001';
  const holder = { name: '演示市示例科技有限公司', code: `${holderBase}${computeUsccCheckCharacter(holderBase)}` };
  const clientSpecs: Omit<DemoClient, 'secret'>[] = [
    { id: 'market-office', kind: 'issuer', name: `${DEMO_OFFICES.market.name}（颁证系统）`, office: DEMO_OFFICES.market.code },
    { id: 'housing-office', kind: 'issuer', name: `${DEMO_OFFICES.housing.name}（颁证系统）`, office: DEMO_OFFICES.housing.code },
    { id: 'approval-system', kind: 'approval-system', name: '演示市政务服务中心审批系统' },
    { id: 'holder-agent', kind: 'holder-agent', name: `${holder.name}（持证人）`, holder: holder.code },
    { id: 'admin', kind: 'admin', name: '平台管理员' },
  ];
  const clients: DemoClient[] = clientSpecs.map((spec) => ({ ...spec, secret: generateClientSecret() }));

  await db.transaction().execute(async (trx) => {
    await writeSetting(trx, 'operator', operator);
    await writeSetting(trx, 'demo-holder', holder);
    await writeSetting(trx, 'crls', crls.map((der) => toPem('X509 CRL', der)).join(''));
    await writeSetting(trx, 'seal-maker-certificates', toPem('CERTIFICATE', pki.get(DEMO_SEAL_MAKER).certificate));
    for (const office of offices) {
      await trx.insertInto('offices').values({ code: office.code, name: office.name, created_at: at }).execute();
      await trx.insertInto('office_license_types').values(office.licenseTypes.map((type) => ({ office_code: office.code, type_code: type }))).execute();
    }
    await trx.insertInto('signing_keys').values(rows).execute();
    for (const seal of seals) {
      await trx.insertInto('seals').values({ es_id: seal.registration.esID, office_code: seal.officeCode, der: Buffer.from(seal.der).toString('base64'), registration: JSON.stringify(seal.registration) }).execute();
    }
    for (const client of clients) {
      await trx.insertInto('clients').values({
        id: client.id,
        kind: client.kind,
        name: client.name,
        secret_hash: await hashClientSecret(client.secret),
        office_code: client.office ?? null,
        holder_code: client.holder ?? null,
        scopes: DEFAULT_SCOPES[client.kind].join(' '),
        disabled: 0,
        created_at: at,
      }).execute();
    }
  });

  const credentials: DemoCredentials = {
    note: 'Demo client credentials for a demo platform: test only.',
    clients,
    trustOperatorCertificate: toPem('CERTIFICATE', pki.get('trust-list-operator').certificate),
  };
  await writeFile(join(options.dataDir, DEMO_TRUST_OPERATOR_FILE), credentials.trustOperatorCertificate);
  await writeFile(join(options.dataDir, DEMO_CREDENTIALS_FILE), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
