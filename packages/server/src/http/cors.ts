/**
 * CORS for approval systems that run in the browser: pages from the origins in ELICENSE_CORS_ORIGINS
 * may get tokens, read the API and fetch status lists and the trust list. No origin is allowed unless
 * listed, and credentials (cookies) are never allowed: the API authenticates with bearer tokens.
 */
import type { RequestHandler } from 'express';

const CORS_PATHS = /^\/(status\/|\.well-known\/|oauth\/token$|v1\/)/;

export function corsMiddleware(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    if (allowed.size === 0 || !CORS_PATHS.test(req.path)) return next();
    // Answers differ by Origin, so shared caches must keep them apart.
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return next();
    res.set({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'ETag, Retry-After, X-Request-Id, Content-Disposition, RateLimit, RateLimit-Policy',
    });
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.set({
        'Access-Control-Allow-Methods': 'GET, POST, DELETE',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, If-None-Match, Idempotency-Key, X-Request-Id',
        'Access-Control-Max-Age': '600',
      });
      res.status(204).end();
      return;
    }
    next();
  };
}
