/**
 * Request ids and the request log: one structured line per request, written when its answer has been
 * sent or its client has gone, with the id, the method, the path, the status and the time taken.
 *
 * The path is logged without its query (a search names a holder's code there); headers and bodies are
 * never logged, so tokens and client secrets cannot reach the log. The id is the client's X-Request-Id
 * when that is a short plain token, else a new UUID; it is sent back in X-Request-Id and carried by every
 * problem body, so a caller can quote it. A fetch does little else than check a token and a consent: a
 * child logger made for each request (as pino-http does) cost it more than the consent check, so the
 * fields are written out once, at the end.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's id: logged, sent back in X-Request-Id, quoted in problem bodies. */
    id: string;
    /** The server's logger, for what a handler reports about this request (with `requestFields`). */
    log: Logger;
  }
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** How a request appears in the log: never its query, headers or body. */
export function requestFields(req: IncomingMessage & { originalUrl?: string }): { id: string; method: string | undefined; url: string } {
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return { id: req.id, method: req.method, url: query === -1 ? url : url.slice(0, query) };
}

export function requestLogging(log: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    req.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.log = log;
    res.setHeader('X-Request-Id', req.id);
    const started = performance.now();
    // 'close' comes once for every response: after 'finish' when it was sent, alone when the client left.
    res.once('close', () => {
      const fields = { req: requestFields(req), res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) };
      if (!res.writableFinished) log.warn(fields, 'request aborted');
      else if (res.statusCode >= 500) log.error(fields, 'request failed');
      else log.info(fields, 'request completed');
    });
    next();
  };
}
