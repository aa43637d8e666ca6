/**
 * `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): a retried request with the same key and
 * body gets the first response instead of a second license. The key is claimed before the work starts;
 * the response is stored in the same transaction that records the work, so a crash in between leaves
 * a claim that expires, never a half-recorded answer.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { ServerContext } from '../context.js';
import type { Database } from '../db/schema.js';
import { Problem } from '../http/problem.js';

/** A claim older than this is taken to belong to a request that died. */
const CLAIM_TIMEOUT_MS = 120_000;

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export type Claim =
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'claimed'; complete(trx: Transaction<Database>, response: StoredResponse): Promise<void>; release(): Promise<void> };

export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export async function claimIdempotencyKey(ctx: ServerContext, clientId: string, key: string, body: unknown): Promise<Claim> {
  if (key.length === 0 || key.length > 255) throw new Problem('BAD_REQUEST', 'Idempotency-Key must be 1 to 255 characters');
  const hash = requestHash(body);
  const now = ctx.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('idempotency_keys').selectAll().where('client_id', '=', clientId).where('key', '=', key).executeTakeFirst();
    if (existing) {
      if (existing.request_hash !== hash) throw new Problem('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request body');
      if (existing.status !== 0) return { replay: { status: existing.status, body: JSON.parse(existing.body) as unknown } };
      if (now.getTime() - Date.parse(existing.created_at) < CLAIM_TIMEOUT_MS) {
        throw new Problem('CONFLICT', 'a request with this Idempotency-Key is still being processed; retry later');
      }
      const taken = await trx.updateTable('idempotency_keys').set({ created_at: now.toISOString() })
        .where('client_id', '=', clientId).where('key', '=', key).where('created_at', '=', existing.created_at).executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) throw new Problem('CONFLICT', 'a request with this Idempotency-Key is still being processed; retry later');
      return {};
    }
    await trx.insertInto('idempotency_keys').values({ client_id: clientId, key, request_hash: hash, status: 0, body: '', created_at: now.toISOString() }).execute();
    return {};
  }).catch(async (error: unknown) => {
    // Two first attempts at once: the loser sees the winner's claim.
    if (!(error instanceof Problem) && /unique|duplicate|constraint/i.test(String((error as Error)?.message))) {
      throw new Problem('CONFLICT', 'a request with this Idempotency-Key is still being processed; retry later');
    }
    throw error;
  });
  if ('replay' in outcome && outcome.replay) return { kind: 'replay', response: outcome.replay };
  return {
    kind: 'claimed',
    async complete(trx, response) {
      await trx.updateTable('idempotency_keys').set({ status: response.status, body: JSON.stringify(response.body) })
        .where('client_id', '=', clientId).where('key', '=', key).execute();
    },
    async release() {
      await ctx.db.deleteFrom('idempotency_keys').where('client_id', '=', clientId).where('key', '=', key).where('status', '=', 0).execute();
    },
  };
}
