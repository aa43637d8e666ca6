/** A holder's consents (授权用证), and who read the holder's licenses and why. */
import { z } from 'zod';
import { consentRequest } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import { defineRoute, type RouteHost } from '../http/route.js';
import { consentView, grantConsent, holderOf, withdrawConsent } from '../services/consents.js';

const consentSchema = z.object({
  id: z.string(), clientId: z.string(), license: z.string().optional(), typeCode: z.string().optional(), purposeCode: z.string(), purposeName: z.string(),
  fields: z.array(z.string()).optional(), validFrom: z.string(), validUntil: z.string(), withdrawnAt: z.string().optional(), createdAt: z.string(),
}).openapi('Consent');

export function consentRoutes(host: RouteHost, ctx: ServerContext): void {
  defineRoute(host, {
    method: 'post',
    path: '/v1/consents',
    summary: 'Grant an approval system access to a license, or to the holder\'s licenses of a type, for a purpose',
    tags: ['Consent'],
    scopes: ['consents:manage'],
    body: consentRequest,
    responses: { 201: { description: 'Granted', schema: consentSchema } },
  }, async ({ body, client }, _req, res) => {
    const row = await grantConsent(ctx, client!, body);
    res.status(201).location(`${ctx.config.publicUrl}/v1/consents/${row.id}`).json(consentView(row));
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/consents',
    summary: 'The holder\'s consents',
    tags: ['Consent'],
    scopes: ['consents:manage'],
    responses: { 200: { description: 'Consents, newest first', schema: z.object({ consents: z.array(consentSchema) }) } },
  }, async ({ client }, _req, res) => {
    const rows = await ctx.db.selectFrom('consents').selectAll().where('holder_code', '=', holderOf(client!)).orderBy('created_at', 'desc').limit(1000).execute();
    res.json({ consents: rows.map(consentView) });
  });

  defineRoute(host, {
    method: 'delete',
    path: '/v1/consents/:id',
    summary: 'Withdraw a consent',
    tags: ['Consent'],
    scopes: ['consents:manage'],
    params: z.object({ id: z.uuid() }),
    responses: { 200: { description: 'Withdrawn', schema: consentSchema } },
  }, async ({ params, client }, _req, res) => {
    res.json(consentView(await withdrawConsent(ctx, client!, params.id)));
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/holder/reads',
    summary: 'Who read the holder\'s licenses, when, and for which purpose',
    tags: ['Consent'],
    scopes: ['consents:manage'],
    query: z.object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    responses: { 200: { description: 'Reads, newest first' } },
  }, async ({ query, client }, _req, res) => {
    let q = ctx.db.selectFrom('audit_log').selectAll().where('holder_code', '=', holderOf(client!)).where('action', '=', 'license.read');
    if (query.before) q = q.where('seq', '<', query.before);
    const rows = await q.orderBy('seq', 'desc').limit(query.limit).execute();
    const names = new Map((await ctx.db.selectFrom('clients').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
    res.json({
      reads: rows.map((row) => {
        const details = JSON.parse(row.details) as { format?: string; purposeName?: string };
        return { seq: row.seq, at: row.at, reader: row.actor, readerName: names.get(row.actor) ?? row.actor, license: row.license, purposeCode: row.purpose_code, purposeName: details.purposeName ?? null, format: details.format ?? null };
      }),
    });
  });
}
