/** Health, readiness, metrics, the verification service and the audit-chain check. */
import express from 'express';
import { Registry, collectDefaultMetrics, Counter, Histogram } from 'prom-client';
import { sql } from 'kysely';
import type { RequestHandler } from 'express';
import type { ServerContext } from '../context.js';
import { defineRoute, type RouteHost } from '../http/route.js';
import { verifyAuditChain } from '../services/audit.js';
import { verifyForPlatform } from '../services/verification.js';
import { Problem } from '../http/problem.js';

export interface Metrics {
  readonly registry: Registry;
  /** Counts and times every request by route and status. */
  readonly middleware: RequestHandler;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'elicense_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({ name: 'elicense_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [registry] });
  return {
    registry,
    middleware: (req, res, next) => {
      const end = duration.startTimer();
      res.on('finish', () => {
        // The route pattern, not the URL: identifiers must not become label values.
        const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
        end({ method: req.method, route });
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    },
  };
}

const VERIFY_TYPES = ['application/pdf', 'application/json', 'application/jose', 'application/vc+jwt', 'application/ofd', 'application/octet-stream', 'image/png', 'image/jpeg'];

export function operationRoutes(host: RouteHost, ctx: ServerContext, metrics: Metrics): void {
  host.router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  host.router.get('/readyz', async (_req, res) => {
    await sql`select 1`.execute(ctx.db).catch(() => {
      throw new Problem('NOT_READY', 'the database does not answer');
    });
    res.set('Cache-Control', 'no-store').json({ status: 'ready', database: ctx.dialect });
  });
  host.router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  host.router.post('/v1/verify', express.raw({ type: () => true, limit: ctx.config.bodyLimit }));
  defineRoute(host, {
    method: 'post',
    path: '/v1/verify',
    summary: 'Verify a license: JSON (JWS), PDF, OFD, SES seal or a QR-code image',
    description: 'Returns the verification report (ETSI indications, every check with its id) against the platform\'s trust list, CRLs and status lists. 200 even when the license is not valid: read `valid` and `indication`.',
    tags: ['Verification'],
    scopes: 'public',
    rawBody: VERIFY_TYPES,
    responses: { 200: { description: 'The verification report' }, 400: { description: 'Empty body' } },
  }, async ({ body }, _req, res) => {
    const bytes = body as unknown;
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new Problem('BAD_REQUEST', 'send the license as the request body');
    const report = await verifyForPlatform(ctx, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    res.set('Cache-Control', 'no-store').json(report);
  });

  defineRoute(host, {
    method: 'get',
    path: '/v1/admin/audit/verify',
    summary: 'Recompute the audit log\'s hash chain from the first entry',
    tags: ['Audit'],
    scopes: ['audit:verify'],
    responses: { 200: { description: '{ valid, entries, head } or where the chain breaks' } },
  }, async (_input, _req, res) => {
    res.set('Cache-Control', 'no-store').json(await verifyAuditChain(ctx.db));
  });
}
