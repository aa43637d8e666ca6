/**
 * The HTTP application: security headers, request ids and logs, metrics, body limits, rate limits per
 * client, the routes, and problem+json for every error.
 */
import express, { type Express, type Request } from 'express';
import helmet from 'helmet';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ServerContext } from './context.js';
import { corsMiddleware } from './http/cors.js';
import { docsRouter, openApiDocument } from './http/openapi.js';
import { Problem, problemHandler, sendProblem } from './http/problem.js';
import { requestLogging } from './http/request-log.js';
import type { RouteHost } from './http/route.js';
import { batchRoutes } from './routes/batch.js';
import { consentRoutes } from './routes/consents.js';
import { licenseRoutes } from './routes/licenses.js';
import { oauthRoutes } from './routes/oauth.js';
import { createMetrics, operationRoutes } from './routes/operations.js';
import { publicRoutes } from './routes/public.js';
import { publicPageRoutes } from './routes/public-page.js';
import { verifyPageRoutes } from './routes/verify-page.js';
import type { BatchWorker } from './services/batch-jobs.js';

export function createApp(ctx: ServerContext, options: { worker?: BatchWorker } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const metrics = createMetrics();

  app.use(requestLogging(ctx.log));
  app.use(helmet({ contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'] } } }));
  app.use(metrics.middleware);
  app.use(corsMiddleware(ctx.config.corsOrigins ?? []));
  app.use('/v1/licenses:batch', express.json({ limit: '200mb' }));
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use('/oauth/token', express.urlencoded({ extended: false, limit: '16kb' }));

  const limiter = rateLimit({
    windowMs: 60_000,
    limit: ctx.config.rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req, res) => (res.locals.client ? `client:${(res.locals.client as { clientId: string }).clientId}` : ipKeyGenerator(req.ip ?? '')),
    handler: (req, res) => sendProblem(res, new Problem('RATE_LIMITED', 'too many requests; slow down and retry after the time in RateLimit-Reset'), String(req.id)),
  });

  const router = express.Router();
  const registry = new OpenAPIRegistry();
  const host: RouteHost = {
    router,
    registry,
    async authenticate(req: Request) {
      const header = req.headers.authorization;
      if (!header?.startsWith('Bearer ')) return undefined;
      return ctx.tokens.verify(header.slice(7).trim());
    },
    afterAuthentication: [limiter],
  };
  oauthRoutes(host, ctx);
  publicRoutes(host, ctx);
  licenseRoutes(host, ctx);
  batchRoutes(host, ctx, options.worker);
  consentRoutes(host, ctx);
  operationRoutes(host, ctx, metrics);
  publicPageRoutes(router, ctx);
  verifyPageRoutes(router, ctx);

  let document: unknown;
  router.get('/openapi.json', (_req, res) => {
    document ??= openApiDocument(registry, ctx.config.publicUrl);
    res.set('Cache-Control', 'public, max-age=300').json(document);
  });
  router.use(docsRouter());
  router.get('/', (_req, res) => {
    res.json({ name: 'eLicense license repository', docs: `${ctx.config.publicUrl}/docs`, openapi: `${ctx.config.publicUrl}/openapi.json`, trustList: `${ctx.config.publicUrl}/.well-known/elicense/trust-list.json` });
  });
  app.use(router);
  app.use((req, res) => sendProblem(res, new Problem('NOT_FOUND', `no route for ${req.method} ${req.path}`), String(req.id)));
  app.use(problemHandler);
  return app;
}
