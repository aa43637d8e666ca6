/**
 * 授权用证: a holder's consent lets one approval system read one license (every version of it), or every
 * license of a type the holder has, for one purpose (事项), for a period, optionally only some fields.
 */
import { randomUUID } from 'node:crypto';
import type { ConsentRequest } from '../api-schemas.js';
import type { TokenClaims } from '../auth/tokens.js';
import type { ServerContext } from '../context.js';
import type { ConsentsTable, LicensesTable } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import { appendAudit } from './audit.js';

export function holderOf(client: TokenClaims): string {
  if (client.kind !== 'holder-agent' || !client.holder) throw new Problem('FORBIDDEN', 'only a holder\'s agent can manage the holder\'s consents');
  return client.holder;
}

export function consentView(row: ConsentsTable) {
  return {
    id: row.id,
    clientId: row.client_id,
    ...(row.lineage ? { license: row.lineage } : {}),
    ...(row.type_code ? { typeCode: row.type_code } : {}),
    purposeCode: row.purpose_code,
    purposeName: row.purpose_name,
    ...(row.fields ? { fields: JSON.parse(row.fields) as string[] } : {}),
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    ...(row.revoked_at ? { withdrawnAt: row.revoked_at } : {}),
    createdAt: row.created_at,
  };
}

export async function grantConsent(ctx: ServerContext, client: TokenClaims, request: ConsentRequest): Promise<ConsentsTable> {
  const holder = holderOf(client);
  const now = ctx.now();
  const validFrom = request.validFrom ? new Date(request.validFrom) : now;
  const validUntil = new Date(request.validUntil);
  if (validUntil <= validFrom || validUntil <= now) {
    throw new Problem('VALIDATION_FAILED', 'validUntil must be in the future and after validFrom', { errors: [{ field: 'validUntil', message: 'must be in the future and after validFrom' }] });
  }
  const recipient = await ctx.db.selectFrom('clients').select(['id', 'kind']).where('id', '=', request.clientId).executeTakeFirst();
  if (!recipient || recipient.kind !== 'approval-system') {
    throw new Problem('VALIDATION_FAILED', 'clientId is not a registered approval system', { errors: [{ field: 'clientId', message: 'not a registered approval system' }] });
  }
  let lineage: string | null = null;
  if (request.license) {
    const license = await ctx.db.selectFrom('licenses').select(['lineage', 'holder_code']).where('identifier', '=', request.license).executeTakeFirst();
    if (!license || license.holder_code !== holder) throw new Problem('NOT_FOUND', 'the holder has no license with this identifier');
    lineage = license.lineage;
  } else if (!ctx.registry.find(request.typeCode)) {
    throw new Problem('VALIDATION_FAILED', 'unknown license type', { errors: [{ field: 'typeCode', message: 'unknown license type' }] });
  }
  const row: ConsentsTable = {
    id: randomUUID(),
    holder_code: holder,
    client_id: request.clientId,
    lineage,
    type_code: lineage ? null : request.typeCode!,
    purpose_code: request.purposeCode,
    purpose_name: request.purposeName,
    fields: request.fields ? JSON.stringify(request.fields) : null,
    valid_from: validFrom.toISOString(),
    valid_until: validUntil.toISOString(),
    revoked_at: null,
    created_at: now.toISOString(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('consents').values(row).execute();
    await appendAudit(trx, ctx.dialect, [{ actor: client.clientId, action: 'consent.granted', holderCode: holder, purposeCode: row.purpose_code, details: { consent: row.id, recipient: row.client_id, license: lineage, typeCode: row.type_code, fields: request.fields ?? null, validUntil: row.valid_until } }], now);
  });
  return row;
}

export async function withdrawConsent(ctx: ServerContext, client: TokenClaims, id: string): Promise<ConsentsTable> {
  const holder = holderOf(client);
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('consents').set({ revoked_at: now.toISOString() })
      .where('id', '=', id).where('holder_code', '=', holder).where('revoked_at', 'is', null)
      .returningAll().executeTakeFirst();
    if (!row) throw new Problem('NOT_FOUND', 'no active consent of the holder has this id');
    await appendAudit(trx, ctx.dialect, [{ actor: client.clientId, action: 'consent.withdrawn', holderCode: holder, purposeCode: row.purpose_code, details: { consent: id } }], now);
    return row;
  });
}

/** The consent that lets `clientId` read `license` for `purposeCode` now, if there is one. db/license-reads.ts joins on the same conditions. */
export async function findGrant(ctx: ServerContext, clientId: string, license: Pick<LicensesTable, 'holder_code' | 'lineage' | 'type_code'>, purposeCode: string): Promise<ConsentsTable | undefined> {
  const now = ctx.now().toISOString();
  const grants = await ctx.db
    .selectFrom('consents')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('holder_code', '=', license.holder_code)
    .where('purpose_code', '=', purposeCode)
    .where('revoked_at', 'is', null)
    .where('valid_from', '<=', now)
    .where('valid_until', '>', now)
    .where((eb) => eb.or([eb('lineage', '=', license.lineage), eb('type_code', '=', license.type_code)]))
    .execute();
  // A grant of the whole license wins over one of some fields.
  return grants.find((grant) => grant.fields === null) ?? grants[0];
}
