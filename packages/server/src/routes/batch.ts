/** Batch issuance as jobs: submit, then poll progress and read the results. */
import { z } from 'zod';
import { batchRequest } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import { defineRoute, type RouteHost } from '../http/route.js';
import { jobItems, jobProgress, submitBatch, type BatchWorker } from '../services/batch-jobs.js';

const jobSchema = z.object({
  id: z.string(), state: z.enum(['queued', 'running', 'done']), total: z.number(), issued: z.number(), failed: z.number(), pending: z.number(), createdAt: z.string(), updatedAt: z.string(),
}).openapi('BatchJob');
const jobParam = z.object({ id: z.uuid() });

export function batchRoutes(host: RouteHost, ctx: ServerContext, worker: BatchWorker | undefined): void {
  defineRoute(host, {
    method: 'post',
    // `:batch` is a custom method (AIP-136); the colon is escaped for the router.
    path: '/v1/licenses\\:batch',
    summary: 'Issue many licenses as a job',
    description: 'Up to 100,000 license requests, each as for POST /v1/licenses. The job is stored at once and worked through in the background; poll its Location.',
    tags: ['Issuance'],
    scopes: ['licenses:issue'],
    body: batchRequest,
    responses: { 202: { description: 'Accepted', schema: jobSchema } },
  }, async ({ body, client }, _req, res) => {
    const id = await submitBatch(ctx, client!, body.items);
    worker?.notify();
    res.status(202).location(`${ctx.config.publicUrl}/v1/jobs/${id}`).json(await jobProgress(ctx, id, client!));
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/jobs/:id',
    summary: 'Progress of a batch job',
    tags: ['Issuance'],
    scopes: ['licenses:issue'],
    params: jobParam,
    responses: { 200: { description: 'Progress', schema: jobSchema } },
  }, async ({ params, client }, _req, res) => {
    res.set('Cache-Control', 'no-store').json(await jobProgress(ctx, params.id, client!));
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/jobs/:id/items',
    summary: 'Results of a batch job\'s items: identifiers issued, errors for the ones that failed',
    tags: ['Issuance'],
    scopes: ['licenses:issue'],
    params: jobParam,
    query: z.object({
      state: z.enum(['issued', 'failed', 'pending']).optional(),
      after: z.coerce.number().int().min(-1).default(-1).openapi({ description: 'Item number to continue after' }),
      limit: z.coerce.number().int().min(1).max(5000).default(1000),
    }),
    responses: { 200: { description: 'A page of items' } },
  }, async ({ params, query, client }, _req, res) => {
    res.json({ items: await jobItems(ctx, params.id, client!, query) });
  });
}
