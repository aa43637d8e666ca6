/**
 * The CRLs the platform publishes (/.well-known/elicense/crls.pem) and verifies against. A CRL lapses at
 * its nextUpdate, after which every signature under its CA can only be INDETERMINATE; so when less than
 * half of its period is left, a CRL whose CA key the platform holds (the demo CAs) is re-issued with the
 * same entries, the next number and a new period. A CA the platform does not run publishes its own;
 * its CRLs are left as they are and named in the log.
 */
import { sql } from 'kysely';
import { createCrl, equalBytes, parseCertificate, parseCrl, parsePem, toPem, type CertificateListInfo, type Signer } from '@elicense/core';
import type { ServerContext } from '../context.js';
import { readSetting, writeSetting } from './settings.js';

const CRLS_SETTING = 'crls';
/** A re-issued CRL starts a little in the past, for verifiers whose clocks run slow. */
const BACKDATE_MS = 5 * 60_000;
/** How often a running server looks. */
export const CRL_REFRESH_INTERVAL_MS = 6 * 3_600_000;

export interface CrlRefresh {
  /** Issuers whose CRLs were re-issued. */
  readonly reissued: readonly string[];
  /** Issuers whose CRLs are due but whose keys the platform does not hold. */
  readonly due: readonly string[];
}

const crlsIn = (pem: string): CertificateListInfo[] => parsePem(pem).filter((block) => block.label === 'X509 CRL').map((block) => parseCrl(block.der));

function isDue(crl: CertificateListInfo, now: Date): boolean {
  if (!crl.nextUpdate) return false;
  const period = crl.nextUpdate.getTime() - crl.thisUpdate.getTime();
  return crl.nextUpdate.getTime() - now.getTime() < period / 2;
}

async function reissue(crl: CertificateListInfo, ca: Signer, now: Date): Promise<Uint8Array> {
  const period = crl.nextUpdate!.getTime() - crl.thisUpdate.getTime();
  return createCrl({
    issuerCertificate: ca.certificates[0]!,
    issuerKey: ca,
    thisUpdate: new Date(now.getTime() - BACKDATE_MS),
    nextUpdate: new Date(now.getTime() + period),
    crlNumber: BigInt(crl.crlNumber ?? '0') + 1n,
    revoked: crl.revoked.map((entry) => ({ serialNumber: entry.serialNumber, revocationDate: entry.revocationDate, ...(entry.reason ? { reason: entry.reason } : {}) })),
  });
}

/**
 * Re-issues the CRLs that are due. Read, re-issue and write happen in one transaction with the row
 * locked (on PostgreSQL), so two servers never give out two different CRLs under one number.
 */
export async function refreshCrls(ctx: ServerContext): Promise<CrlRefresh> {
  const now = ctx.now();
  const reissued: string[] = [];
  const due: string[] = [];
  if (!crlsIn((await readSetting<string>(ctx.db, CRLS_SETTING)) ?? '').some((crl) => isDue(crl, now))) return { reissued, due };
  // Opened before the transaction: SQLite has one connection, which the transaction holds.
  const cas = await ctx.keys.caSigners();
  await ctx.db.transaction().execute(async (trx) => {
    const lock = ctx.dialect === 'postgres' ? sql` for update` : sql``;
    const { rows } = await sql<{ value: string }>`select value from settings where name = ${CRLS_SETTING}${lock}`.execute(trx);
    if (!rows[0]) return;
    const next: Uint8Array[] = [];
    for (const crl of crlsIn(JSON.parse(rows[0].value) as string)) {
      const ca = isDue(crl, now) ? cas.find((signer) => equalBytes(parseCertificate(signer.certificates[0]!).subjectDer, crl.issuerDer)) : undefined;
      if (!ca) {
        if (isDue(crl, now)) due.push(crl.issuer);
        next.push(crl.der);
        continue;
      }
      next.push(await reissue(crl, ca, now));
      reissued.push(crl.issuer);
    }
    if (reissued.length > 0) await writeSetting(trx, CRLS_SETTING, next.map((der) => toPem('X509 CRL', der)).join(''));
  });
  if (reissued.length > 0) ctx.log.info({ issuers: reissued }, 'CRLs re-issued');
  if (due.length > 0) ctx.log.warn({ issuers: due }, 'CRLs near their nextUpdate whose CA keys the platform does not hold: their CAs must publish new ones');
  return { reissued, due };
}

/** Refreshes now and then every few hours until stopped; stopping waits for a refresh under way. */
export function startCrlRefresher(ctx: ServerContext): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = refreshCrls(ctx).catch((error: unknown) => ctx.log.error({ err: error }, 'CRL refresh failed'));
  };
  const timer = setInterval(run, CRL_REFRESH_INTERVAL_MS);
  timer.unref();
  run();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
