/**
 * A few licenses for the demo platform, issued through the same path as any license, and one consent,
 * so a fresh server has something to read, share and verify.
 */
import { randomUUID } from 'node:crypto';
import type { LicenseType } from '@elicense/core';
import { demoTypes } from '@elicense/platform/demo';
import type { IssueLicenseRequest } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import { appendAudit } from '../services/audit.js';
import { prepareLicense, recordIssued, requireOffice, reserveNumbers } from '../services/issuance.js';
import { readSetting } from '../services/settings.js';

export const DEMO_PURPOSE = { code: '000117001000', name: '建筑工程施工许可证核发' } as const;

/** The type's sample data, made out to `holder`. */
export function sampleRequest(type: LicenseType, holder?: { name: string; code: string }): IssueLicenseRequest {
  const to = holder ?? type.sample.holder;
  const fields: Record<string, unknown> = { ...type.sample.fields };
  if (type.linkedFields?.holderName) fields[type.linkedFields.holderName] = to.name;
  if (type.linkedFields?.holderCode) fields[type.linkedFields.holderCode] = to.code;
  return { typeCode: type.code, holder: to, fields };
}

export async function issueDemoLicenses(ctx: ServerContext): Promise<string[]> {
  const holder = (await readSetting<{ name: string; code: string }>(ctx.db, 'demo-holder'))!;
  const types = demoTypes(ctx.registry);
  const plan: { office: string; request: IssueLicenseRequest }[] = [
    { office: 'market-office', request: sampleRequest(ctx.registry.get(types.business), holder) },
    { office: 'market-office', request: sampleRequest(ctx.registry.get(types.food), holder) },
    { office: 'housing-office', request: sampleRequest(ctx.registry.get(types.safety), holder) },
    { office: 'housing-office', request: sampleRequest(ctx.registry.get(types.operator)) },
  ];
  const identifiers: string[] = [];
  for (const { office: clientId, request } of plan) {
    const client = await ctx.db.selectFrom('clients').select(['office_code']).where('id', '=', clientId).executeTakeFirstOrThrow();
    const office = await requireOffice(ctx, client.office_code!, request.typeCode);
    const { serial, statusIndex } = await reserveNumbers(ctx, office.code, request.typeCode);
    const prepared = await prepareLicense(ctx, office, request, serial, statusIndex);
    await ctx.db.transaction().execute((trx) => recordIssued(ctx, trx, prepared, clientId));
    identifiers.push(prepared.row.identifier);
  }
  // The holder shares every business license it has with the approval system, for one service item.
  const now = ctx.now();
  const consent = {
    id: randomUUID(),
    holder_code: holder.code,
    client_id: 'approval-system',
    lineage: null,
    type_code: types.business,
    purpose_code: DEMO_PURPOSE.code,
    purpose_name: DEMO_PURPOSE.name,
    fields: null,
    valid_from: now.toISOString(),
    valid_until: new Date(now.getTime() + 90 * 86_400_000).toISOString(),
    revoked_at: null,
    created_at: now.toISOString(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('consents').values(consent).execute();
    await appendAudit(trx, ctx.dialect, [{ actor: 'holder-agent', action: 'consent.granted', holderCode: holder.code, purposeCode: DEMO_PURPOSE.code, details: { consent: consent.id, recipient: 'approval-system', typeCode: types.business, validUntil: consent.valid_until } }], now);
  });
  return identifiers;
}
