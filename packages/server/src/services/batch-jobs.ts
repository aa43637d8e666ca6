/**
 * Batch issuance. A batch is stored whole (the job and one row per license request) in one transaction
 * and answered at once; a worker then issues its items a chunk at a time. Each chunk's licenses, events,
 * audit entries and item results commit together, so after a crash every item is either issued (with
 * its license) or still pending, and the worker carries on where it stopped. Numbers taken for a chunk
 * that never committed are skipped, never reused.
 *
 * Several servers may share one database: a worker claims the chunk it issues with a lease, renewed while
 * it works and checked when it commits, so no item is issued twice. A crashed worker's items are taken
 * over when its lease runs out.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { LicenseCredential } from '@elicense/core';
import type { IssueLicenseRequest } from '../api-schemas.js';
import type { TokenClaims } from '../auth/tokens.js';
import type { Organisation, ServerContext } from '../context.js';
import { Problem } from '../http/problem.js';
import { appendAudit } from './audit.js';
import { credentialFromRequest, formatSerial, licenseRow, officeSeal, recordIssuedMany, requireOffice, reserveNumbers, type PreparedLicense } from './issuance.js';
import { signLicenseForms } from './license-forms.js';
import { sealedOfficeKeys } from './sealed-keys.js';
import { SigningPoolError } from './signing-pool.js';

const INSERT_CHUNK = 500;
/**
 * Licenses per transaction: enough to keep every signing worker busy and amortise the commit, few enough
 * to lose little work (and skip few numbers) on a crash.
 */
const ISSUE_CHUNK = 64;

export async function submitBatch(ctx: ServerContext, client: TokenClaims, items: readonly IssueLicenseRequest[]): Promise<string> {
  for (const typeCode of new Set(items.map((item) => item.typeCode))) await requireOffice(ctx, client.office, typeCode);
  const id = randomUUID();
  const now = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('jobs').values({ id, client_id: client.clientId, office_code: client.office!, state: 'queued', total: items.length, created_at: now, updated_at: now }).execute();
    for (let start = 0; start < items.length; start += INSERT_CHUNK) {
      await trx.insertInto('job_items').values(items.slice(start, start + INSERT_CHUNK).map((item, i) => ({
        job_id: id, item_no: start + i, input: JSON.stringify(item), state: 'pending' as const, identifier: null, error: null,
      }))).execute();
    }
    await appendAudit(trx, ctx.dialect, [{ actor: client.clientId, action: 'batch.submitted', details: { job: id, items: items.length } }], ctx.now());
  });
  return id;
}

export async function jobProgress(ctx: ServerContext, id: string, client: TokenClaims) {
  const job = await ctx.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!job || job.client_id !== client.clientId) throw new Problem('NOT_FOUND', 'no batch job of this client has this id');
  const counts = await ctx.db.selectFrom('job_items').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('job_id', '=', id).groupBy('state').execute();
  const count = (state: string) => Number(counts.find((c) => c.state === state)?.n ?? 0);
  return {
    id: job.id,
    state: job.state,
    total: job.total,
    issued: count('issued'),
    failed: count('failed'),
    pending: count('pending'),
    createdAt: job.created_at,
    updatedAt: job.updated_at,
  };
}

export async function jobItems(ctx: ServerContext, id: string, client: TokenClaims, options: { state?: 'issued' | 'failed' | 'pending' | undefined; after: number; limit: number }) {
  await jobProgress(ctx, id, client);
  let query = ctx.db.selectFrom('job_items').select(['item_no', 'state', 'identifier', 'error']).where('job_id', '=', id).where('item_no', '>', options.after);
  if (options.state) query = query.where('state', '=', options.state);
  const rows = await query.orderBy('item_no').limit(options.limit).execute();
  return rows.map((r) => ({ item: r.item_no, state: r.state, ...(r.identifier ? { identifier: r.identifier } : {}), ...(r.error ? { error: r.error } : {}) }));
}

function problemText(error: unknown): string {
  if (error instanceof Problem) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

type Outcome = { readonly no: number; readonly prepared: PreparedLicense } | { readonly no: number; readonly error: string };

interface Built {
  readonly no: number;
  readonly credential: LicenseCredential;
  readonly statusIndex: number;
}

/**
 * Takes the numbers for a chunk's items and builds their credentials. The office's right to each type is
 * checked again once per chunk: it may have lost a type since the batch was accepted.
 */
async function buildChunk(ctx: ServerContext, officeCode: string, items: readonly { no: number; request: IssueLicenseRequest }[]): Promise<{ built: Built[]; failed: Outcome[] }> {
  const failed: Outcome[] = [];
  const offices = new Map<string, Organisation | Problem>();
  for (const typeCode of new Set(items.map((item) => item.request.typeCode))) {
    offices.set(typeCode, await requireOffice(ctx, officeCode, typeCode).catch((error: unknown) => {
      if (error instanceof Problem) return error;
      throw error;
    }));
  }
  const accepted = items.filter(({ no, request }) => {
    const office = offices.get(request.typeCode)!;
    if (office instanceof Problem) failed.push({ no, error: problemText(office) });
    return !(office instanceof Problem);
  });
  const next = new Map<string, { serial: number; statusIndex: number }>();
  for (const typeCode of new Set(accepted.map((item) => item.request.typeCode))) {
    next.set(typeCode, await reserveNumbers(ctx, officeCode, typeCode, accepted.filter((item) => item.request.typeCode === typeCode).length));
  }
  const built: Built[] = [];
  for (const { no, request } of accepted) {
    const numbers = next.get(request.typeCode)!;
    next.set(request.typeCode, { serial: numbers.serial + 1, statusIndex: numbers.statusIndex + 1 });
    try {
      const credential = credentialFromRequest(ctx, offices.get(request.typeCode) as Organisation, request, formatSerial(numbers.serial), numbers.statusIndex);
      built.push({ no, credential, statusIndex: numbers.statusIndex });
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      failed.push({ no, error: problemText(error) });
    }
  }
  return { built, failed };
}

/** Signs and stores built licenses: on the signing workers when the office's keys can go there, else here. */
async function signChunk(ctx: ServerContext, officeCode: string, built: readonly Built[], job: string): Promise<Outcome[]> {
  // Read once per chunk, not per license; a key added or retired is seen from the next chunk on.
  const keys = ctx.signingPool.usable ? await sealedOfficeKeys(ctx.db, officeCode) : undefined;
  const here = keys ? undefined : { signers: await ctx.keys.officeSigners(officeCode), seal: await officeSeal(ctx, officeCode) };
  const signed = await Promise.allSettled(built.map(({ credential }) => keys
    ? ctx.signingPool.sign(keys, credential, ctx.registry.get(credential.credentialSubject.certificateTypeCode), { now: ctx.now() })
    : signLicenseForms(ctx, credential, here!.signers, here!.seal)));
  // A worker that died, not a license that cannot be signed: the chunk is not committed and is tried again.
  const poolFailure = signed.find((result) => result.status === 'rejected' && result.reason instanceof SigningPoolError);
  if (poolFailure) throw (poolFailure as PromiseRejectedResult).reason;
  // Storing is not the license's fault: a failed write (a full disk) rejects the chunk, tried again later.
  return Promise.all(signed.map(async (result, i): Promise<Outcome> => {
    const { no, credential, statusIndex } = built[i]!;
    if (result.status === 'rejected') {
      ctx.log.error({ err: result.reason, job, item: no }, 'batch item failed');
      return { no, error: 'the license could not be issued' };
    }
    const blob = await ctx.blobs.put(result.value.pdf!);
    return { no, prepared: { row: licenseRow(credential, result.value, blob, statusIndex, ctx.now()), credential } };
  }));
}

interface JobRow {
  readonly id: string;
  readonly client_id: string;
  readonly office_code: string;
}

/** The chunk's commit found an item no longer claimed by this worker (its lease ran out and another took it). */
class LeaseLost extends Error {}

interface Lease {
  readonly owner: string;
  readonly ms: number;
}

const leaseEnd = (ctx: ServerContext, lease: Lease) => new Date(ctx.now().getTime() + lease.ms).toISOString();

/**
 * Claims up to a chunk of the job's pending items that no other worker holds, in one statement so two
 * workers never claim the same item. The candidates are picked in a CTE, which runs once (as an
 * `IN (subquery … LIMIT)` PostgreSQL's planner may run the subquery again and claim more than a chunk);
 * PostgreSQL skips the rows another claim has locked, SQLite runs one writer at a time.
 */
async function claimChunk(ctx: ServerContext, job: JobRow, lease: Lease): Promise<{ item_no: number; input: string }[]> {
  const now = ctx.now().toISOString();
  const skipLocked = ctx.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const { rows } = await sql<{ item_no: number; input: string }>`
    with picked as (
      select item_no from job_items
      where job_id = ${job.id} and state = 'pending' and (lease_until is null or lease_until < ${now} or lease_owner = ${lease.owner})
      order by item_no limit ${ISSUE_CHUNK}
      ${skipLocked})
    update job_items set lease_owner = ${lease.owner}, lease_until = ${leaseEnd(ctx, lease)}
    from picked where job_items.job_id = ${job.id} and job_items.item_no = picked.item_no
    returning job_items.item_no, job_items.input`.execute(ctx.db);
  return rows.sort((a, b) => a.item_no - b.item_no);
}

/** Keeps the worker's claims alive while it signs; a crashed worker stops renewing and its claims run out. */
function renewWhileWorking(ctx: ServerContext, job: JobRow, lease: Lease): () => void {
  const timer = setInterval(() => {
    ctx.db.updateTable('job_items').set({ lease_until: leaseEnd(ctx, lease) })
      .where('job_id', '=', job.id).where('lease_owner', '=', lease.owner).where('state', '=', 'pending')
      .execute()
      .catch((error: unknown) => ctx.log.warn({ err: error, job: job.id }, 'could not renew the batch lease'));
  }, Math.max(100, lease.ms / 3));
  timer.unref();
  return () => clearInterval(timer);
}

/** Issues one chunk of the job's pending items; false when there are none this worker can claim. */
async function issueChunk(ctx: ServerContext, job: JobRow, lease: Lease): Promise<boolean> {
  const items = await claimChunk(ctx, job, lease);
  if (items.length === 0) return false;
  const stopRenewing = renewWhileWorking(ctx, job, lease);
  try {
    const requests = items.map((item) => ({ no: item.item_no, request: JSON.parse(item.input) as IssueLicenseRequest }));
    const { built, failed } = await buildChunk(ctx, job.office_code, requests);
    const outcomes = [...failed, ...(await signChunk(ctx, job.office_code, built, job.id))].sort((a, b) => a.no - b.no);
    const issued = outcomes.flatMap((outcome) => ('prepared' in outcome ? [outcome.prepared] : []));
    await ctx.db.transaction().execute(async (trx) => {
      // Items first: if another worker has taken one over, nothing of this chunk is recorded.
      for (const outcome of outcomes) {
        const result = await trx.updateTable('job_items')
          .set({ ...('prepared' in outcome ? { state: 'issued', identifier: outcome.prepared.row.identifier } : { state: 'failed', error: outcome.error }), lease_owner: null, lease_until: null })
          .where('job_id', '=', job.id).where('item_no', '=', outcome.no).where('state', '=', 'pending').where('lease_owner', '=', lease.owner)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) throw new LeaseLost(`item ${outcome.no} of job ${job.id} is no longer claimed by this worker`);
      }
      await recordIssuedMany(ctx, trx, issued, job.client_id);
      await trx.updateTable('jobs').set({ state: 'running', updated_at: ctx.now().toISOString() }).where('id', '=', job.id).where('state', '!=', 'done').execute();
    });
  } catch (error) {
    if (!(error instanceof LeaseLost)) throw error;
    ctx.log.warn({ job: job.id, reason: error.message }, 'batch chunk dropped: another worker took it over');
  } finally {
    stopRenewing();
  }
  return true;
}

/** Marks the job done once no item is pending, whichever worker issued the last one. */
async function finishIfDone(ctx: ServerContext, job: JobRow): Promise<void> {
  const result = await ctx.db.updateTable('jobs').set({ state: 'done', updated_at: ctx.now().toISOString() })
    .where('id', '=', job.id).where('state', '!=', 'done')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('job_items').select('item_no').where('job_id', '=', job.id).where('state', '=', 'pending'))))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) ctx.log.info({ job: job.id }, 'batch job done');
}

export interface BatchWorker {
  /** Wakes the worker after a submission. */
  notify(): void;
  stop(): Promise<void>;
}

/**
 * Works through unfinished jobs, oldest first, until stopped; picks up where a crashed server left off.
 * `leaseMs` (the configured ELICENSE_BATCH_LEASE by default) is how long its claims last unrenewed.
 */
export function startBatchWorker(ctx: ServerContext, options: { idleMs?: number; leaseMs?: number } = {}): BatchWorker {
  const lease: Lease = { owner: randomUUID(), ms: options.leaseMs ?? ctx.config.batchLeaseSeconds * 1000 };
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });
  const loop = (async () => {
    while (!stopped) {
      try {
        const jobs = await ctx.db.selectFrom('jobs').select(['id', 'client_id', 'office_code']).where('state', 'in', ['queued', 'running']).orderBy('created_at').limit(16).execute();
        let worked = false;
        for (const job of jobs) {
          while (!stopped && (await issueChunk(ctx, job, lease))) worked = true;
          if (stopped) break;
          await finishIfDone(ctx, job);
        }
        if (!worked && !stopped) await sleep(options.idleMs ?? 1000);
      } catch (error) {
        ctx.log.error({ err: error }, 'batch worker error; retrying');
        await sleep(options.idleMs ?? 1000);
      }
    }
  })();
  return {
    notify: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      // Handed back at once, rather than when the lease runs out, for another server to carry on.
      await ctx.db.updateTable('job_items').set({ lease_owner: null, lease_until: null })
        .where('lease_owner', '=', lease.owner).where('state', '=', 'pending').execute()
        .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not release the batch lease'));
    },
  };
}
