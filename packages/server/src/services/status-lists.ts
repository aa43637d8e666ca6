/**
 * Bitstring Status List credentials, per license type and purpose, signed by the platform's status
 * issuer. A list is rebuilt from the licenses table when a change marked it stale or its signature is
 * older than the verifiers' cache time, so what verifiers see lags a revocation by at most that time.
 */
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { createStatusBitstring, setStatusBit, signStatusList, type StatusPurpose } from '@elicense/core';
import type { ServerContext } from '../context.js';
import type { Database, LicenseState } from '../db/schema.js';
import { STATUS_LIST_SIZE, statusListId, statusListOf, statusListUrl } from './status-urls.js';

/** Which license states set the bit of each purpose. */
const STATES_SETTING: Record<StatusPurpose, readonly LicenseState[]> = {
  revocation: ['revoked', 'superseded'],
  suspension: ['suspended'],
};

/** Makes sure the lists covering these indexes have a row, so later changes always find one to mark. */
export async function ensureStatusLists(ctx: ServerContext, typeCode: string, firstIndex: number, lastIndex: number): Promise<void> {
  const rows = [];
  for (let list = statusListOf(firstIndex); list <= statusListOf(lastIndex); list++) {
    for (const purpose of ['revocation', 'suspension'] as const) {
      rows.push({ id: statusListId(typeCode, purpose, list), signed: '', stale: 1, signed_at: new Date(0).toISOString(), etag: '' });
    }
  }
  await ctx.db.insertInto('status_lists').values(rows).onConflict((c) => c.column('id').doNothing()).execute();
}

/** Called in the transaction that changes a license's state. */
export async function markStatusListStale(trx: Transaction<Database>, typeCode: string, index: number): Promise<void> {
  const list = statusListOf(index);
  await trx
    .updateTable('status_lists')
    .set({ stale: sql`stale + 1` })
    .where('id', 'in', [statusListId(typeCode, 'revocation', list), statusListId(typeCode, 'suspension', list)])
    .execute();
}

export interface PublishedStatusList {
  readonly signed: string;
  readonly etag: string;
  readonly signedAt: Date;
}

/** The current signed list, re-signed first when stale; undefined for a list that was never used. */
export async function currentStatusList(ctx: ServerContext, typeCode: string, purpose: StatusPurpose, listNo: number): Promise<PublishedStatusList | undefined> {
  const id = statusListId(typeCode, purpose, listNo);
  const row = await ctx.db.selectFrom('status_lists').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const now = ctx.now();
  const age = now.getTime() - Date.parse(row.signed_at);
  if (row.stale === 0 && row.signed && age < ctx.config.statusMaxAgeSeconds * 1000) {
    return { signed: row.signed, etag: row.etag, signedAt: new Date(row.signed_at) };
  }
  const first = listNo * STATUS_LIST_SIZE;
  const set = await ctx.db
    .selectFrom('licenses')
    .select('status_index')
    .where('type_code', '=', typeCode)
    .where('status_index', '>=', first)
    .where('status_index', '<', first + STATUS_LIST_SIZE)
    .where('state', 'in', [...STATES_SETTING[purpose]])
    .execute();
  const bits = createStatusBitstring(STATUS_LIST_SIZE);
  for (const { status_index } of set) setStatusBit(bits, status_index - first, true);
  const signed = await signStatusList(
    {
      id: statusListUrl(ctx.config.publicUrl, typeCode, purpose, listNo),
      issuer: ctx.operator,
      purpose,
      bits,
      // A little in the past: a verifier whose clock lags ours must not find the list not yet valid.
      validFrom: new Date(now.getTime() - 300_000),
      // Valid for a day: verifiers refresh well before, on the cache time the response carries.
      validUntil: new Date(now.getTime() + 86_400_000),
    },
    await ctx.keys.platformSigner('status-issuer'),
  );
  const etag = createHash('sha256').update(signed).digest('base64url').slice(0, 32);
  // Subtract only the changes this build saw: a change made meanwhile keeps the list stale.
  await ctx.db
    .updateTable('status_lists')
    .set({ signed, etag, signed_at: now.toISOString(), stale: sql`stale - ${row.stale}` })
    .where('id', '=', id)
    .execute();
  return { signed, etag, signedAt: now };
}
