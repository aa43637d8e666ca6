/**
 * The verification service: any license form, verified with core against the platform's own trust
 * list, CRLs and status lists, exactly as an approval system would with the SDK.
 */
import { DOMESTIC_JWS_ALGORITHMS, parsePem, verifyDocument, type StatusPurpose, type VerificationReport } from '@elicense/core';
import type { ServerContext } from '../context.js';
import { readSetting } from './settings.js';
import { currentStatusList } from './status-lists.js';
import { currentTrustList } from './trust-list.js';

/** Resolves the platform's own status-list URLs from the database; any other URL is unknown here. */
export function localStatusResolver(ctx: ServerContext) {
  const prefix = `${ctx.config.publicUrl}/status/`;
  return async (url: string): Promise<string | undefined> => {
    if (!url.startsWith(prefix)) return undefined;
    const match = /^([^/]+)\/(revocation|suspension)\/(\d{1,9})$/.exec(url.slice(prefix.length));
    if (!match) return undefined;
    return (await currentStatusList(ctx, match[1]!, match[2] as StatusPurpose, Number(match[3])))?.signed;
  };
}

export async function platformCrls(ctx: ServerContext): Promise<Uint8Array[]> {
  const pem = (await readSetting<string>(ctx.db, 'crls')) ?? '';
  return parsePem(pem).filter((b) => b.label === 'X509 CRL').map((b) => b.der);
}

export async function verifyForPlatform(ctx: ServerContext, bytes: Uint8Array): Promise<VerificationReport> {
  const { verified } = await currentTrustList(ctx);
  return verifyDocument(bytes, {
    at: ctx.now(),
    trust: { list: verified },
    crls: await platformCrls(ctx),
    status: localStatusResolver(ctx),
    algorithms: DOMESTIC_JWS_ALGORITHMS,
    registry: ctx.registry,
  });
}
