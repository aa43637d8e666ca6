/**
 * Revoke, suspend, reinstate (one transaction each: the state, the event, the audit entry and the
 * status list's stale mark), and renew or change, which issue a new version superseding the old one.
 */
import { nextVersion, type LicenseCredential } from '@elicense/core';
import type { ServerContext } from '../context.js';
import type { LicenseState, LicensesTable } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import { appendAudit } from './audit.js';
import { asValidationProblem, recordIssued, reserveStatusIndexes, signAndStore, statusEntries } from './issuance.js';
import { markStatusListStale } from './status-lists.js';

export type Transition = 'revoke' | 'suspend' | 'reinstate';

const TRANSITIONS: Record<Transition, { from: readonly LicenseState[]; to: LicenseState; event: 'revoked' | 'suspended' | 'reinstated' }> = {
  revoke: { from: ['valid', 'suspended'], to: 'revoked', event: 'revoked' },
  suspend: { from: ['valid'], to: 'suspended', event: 'suspended' },
  reinstate: { from: ['suspended'], to: 'valid', event: 'reinstated' },
};

/** The office's own license, or 404: another office's license is not shown to exist. */
export async function officeLicense(ctx: ServerContext, officeCode: string | undefined, identifier: string): Promise<LicensesTable> {
  const row = await ctx.db.selectFrom('licenses').selectAll().where('identifier', '=', identifier).executeTakeFirst();
  if (!row || row.office_code !== officeCode) throw new Problem('NOT_FOUND', 'no license with this identifier was issued by the office');
  return row;
}

export async function transition(ctx: ServerContext, actor: { clientId: string; office?: string }, identifier: string, kind: Transition, reason: string): Promise<LicensesTable> {
  const rule = TRANSITIONS[kind];
  const license = await officeLicense(ctx, actor.office, identifier);
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('licenses')
      .set({ state: rule.to, updated_at: now })
      .where('identifier', '=', identifier)
      .where('state', 'in', [...rule.from])
      .returningAll()
      .executeTakeFirst();
    if (!updated) {
      const current = await trx.selectFrom('licenses').select('state').where('identifier', '=', identifier).executeTakeFirstOrThrow();
      throw new Problem('INVALID_STATE', `cannot ${kind} a license that is ${current.state}`);
    }
    await trx.insertInto('license_events').values({ identifier, action: rule.event, reason, actor: actor.clientId, at: now }).execute();
    await markStatusListStale(trx, license.type_code, license.status_index);
    await appendAudit(trx, ctx.dialect, [{ actor: actor.clientId, action: `license.${rule.event}`, license: identifier, holderCode: license.holder_code, details: { reason } }], ctx.now());
    return updated;
  });
}

export interface VersionChange {
  readonly kind: 'renew' | 'change';
  readonly reason: string;
  readonly issuedDate?: string | undefined;
  readonly validFrom?: string | undefined;
  readonly validUntil?: string | undefined;
  readonly number?: string | undefined;
  readonly holder?: { name: string; code: string; codeType?: '001' | '111' | undefined } | undefined;
  readonly fields?: Record<string, unknown> | undefined;
}

/** Issues version n+1 and marks version n superseded, in one transaction. */
export async function issueNewVersion(ctx: ServerContext, actor: { clientId: string; office?: string }, identifier: string, change: VersionChange): Promise<LicensesTable> {
  const current = await officeLicense(ctx, actor.office, identifier);
  if (current.state !== 'valid' && current.state !== 'suspended') throw new Problem('INVALID_STATE', `cannot ${change.kind} a license that is ${current.state}`);
  const statusIndex = await reserveStatusIndexes(ctx, current.type_code);
  let credential: LicenseCredential;
  try {
    credential = nextVersion(JSON.parse(current.credential) as LicenseCredential, {
      issuedDate: change.issuedDate ?? ctx.now(),
      ...(change.validFrom ? { validFrom: change.validFrom } : change.kind === 'renew' ? { validFrom: ctx.now() } : {}),
      ...(change.validUntil ? { validUntil: change.validUntil } : {}),
      ...(change.fields ? { fields: change.fields } : {}),
      ...(change.number ? { number: change.number } : {}),
      ...(change.holder ? { holder: { name: change.holder.name, code: change.holder.code, ...(change.holder.codeType ? { codeType: change.holder.codeType } : {}) } } : {}),
      credentialStatus: statusEntries(ctx, current.type_code, statusIndex),
    }, ctx.registry);
  } catch (error) {
    asValidationProblem(error);
  }
  const prepared = await signAndStore(ctx, credential, statusIndex);
  const now = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const superseded = await trx
      .updateTable('licenses')
      .set({ state: 'superseded', superseded_by: prepared.row.identifier, updated_at: now })
      .where('identifier', '=', identifier)
      .where('state', 'in', ['valid', 'suspended'])
      .executeTakeFirst();
    if (Number(superseded.numUpdatedRows) !== 1) throw new Problem('CONFLICT', 'the license changed while the new version was being made; read it again');
    await trx.insertInto('license_events').values({ identifier, action: 'superseded', reason: change.reason, actor: actor.clientId, at: now }).execute();
    await markStatusListStale(trx, current.type_code, current.status_index);
    await recordIssued(ctx, trx, prepared, actor.clientId, change.kind === 'renew' ? 'renewed' : 'changed', change.reason);
  });
  return prepared.row;
}
