/**
 * The platform's trust list, made from its own records: each office with the CAs that certify its
 * signing keys, its signing certificates (so QR codes, which name their signer by key id, verify), the
 * license types it may issue and its registered seals; the platform as status issuer, seal maker and TSA.
 * It is re-signed, with the next sequence number, when those records change or a day has passed.
 */
import { createHash } from 'node:crypto';
import { parsePem, signTrustList, verifyTrustList, type TrustedSeal, type TrustListContent, type VerifiedTrustList } from '@elicense/core';
import type { ServerContext } from '../context.js';
import { certificatesOf } from '../keystore.js';
import { readSetting, writeSetting } from './settings.js';

const DAY = 86_400_000;

interface PublishedTrustList {
  readonly signed: string;
  readonly contentHash: string;
  readonly sequence: number;
  readonly issued: string;
}

async function trustListBody(ctx: ServerContext): Promise<Omit<TrustListContent, 'sequence' | 'issued' | 'nextUpdate'>> {
  const keys = await ctx.db.selectFrom('signing_keys').select(['id', 'owner_code', 'role', 'chain_pem']).where('active', '=', 1).orderBy('id').execute();
  const offices = await ctx.db.selectFrom('offices').selectAll().orderBy('code').execute();
  const types = await ctx.db.selectFrom('office_license_types').selectAll().orderBy('type_code').execute();
  const seals = await ctx.db.selectFrom('seals').select(['office_code', 'registration']).orderBy('es_id').execute();
  const cas = keys.filter((k) => k.role === 'ca').map((k) => certificatesOf(k)[0]!);
  const own = (role: string) => keys.filter((k) => k.role === role).map((k) => certificatesOf(k)[0]!);
  const sealMakers = (await readSetting<string>(ctx.db, 'seal-maker-certificates')) ?? '';
  return {
    operator: ctx.operator,
    issuers: offices.map((office) => {
      const officeSeals = seals.filter((s) => s.office_code === office.code).map((s) => JSON.parse(s.registration) as TrustedSeal);
      return {
        name: office.name,
        code: office.code,
        certificates: [...cas, ...keys.filter((k) => k.role === 'issuer' && k.owner_code === office.code).map((k) => certificatesOf(k)[0]!)],
        licenseTypes: types.filter((t) => t.office_code === office.code).map((t) => t.type_code),
        ...(officeSeals.length ? { seals: officeSeals } : {}),
      };
    }),
    statusIssuers: [{ ...ctx.operator, certificates: own('status-issuer') }],
    ...(own('time-stamping-authority').length ? { timestampAuthorities: [{ ...ctx.operator, certificates: own('time-stamping-authority') }] } : {}),
    ...(sealMakers ? { sealMakers: [{ ...ctx.operator, certificates: parsePem(sealMakers).map((b) => b.der) }] } : {}),
  };
}

const cache = new WeakMap<ServerContext, { list: PublishedTrustList; verified: VerifiedTrustList; checkedAt: number }>();

/** The signed trust list, re-signed first when the records changed or it is a day old. */
export async function currentTrustList(ctx: ServerContext): Promise<{ signed: string; verified: VerifiedTrustList; sequence: number }> {
  const now = ctx.now();
  const cached = cache.get(ctx);
  // The records change rarely; look again at most every few seconds.
  if (cached && now.getTime() - cached.checkedAt < 5000) return { signed: cached.list.signed, verified: cached.verified, sequence: cached.list.sequence };
  const body = await trustListBody(ctx);
  const contentHash = createHash('sha256').update(JSON.stringify(body, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))).digest('hex');
  let published = await readSetting<PublishedTrustList>(ctx.db, 'trust-list');
  if (!published || published.contentHash !== contentHash || now.getTime() - Date.parse(published.issued) > DAY) {
    const sequence = (published?.sequence ?? 0) + 1;
    const issued = now.toISOString();
    const signer = await ctx.keys.platformSigner('trust-list-operator');
    const signed = await signTrustList({ ...body, sequence, issued, nextUpdate: new Date(now.getTime() + 7 * DAY).toISOString() }, signer);
    published = { signed, contentHash, sequence, issued };
    await writeSetting(ctx.db, 'trust-list', published);
  }
  const operatorCertificate = (await ctx.keys.platformSigner('trust-list-operator')).certificates[0]!;
  const verified = cached?.list.signed === published.signed ? cached.verified : await verifyTrustList(published.signed, { at: now, operatorCertificates: [operatorCertificate] });
  cache.set(ctx, { list: published, verified, checkedAt: now.getTime() });
  return { signed: published.signed, verified, sequence: published.sequence };
}
