/**
 * An RFC 3161 time-stamping service over HTTP (RFC 3161 §3.4): POST application/timestamp-query,
 * answered with application/timestamp-reply by core's authority. Bodies are bounded and read before
 * anything else; every other request gets a plain status (405, 413, 415).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_TIME_STAMP_REQUEST_BYTES, type TimeStampAuthority } from '@elicense/core';

export const QUERY_TYPE = 'application/timestamp-query';
export const REPLY_TYPE = 'application/timestamp-reply';

function send(res: ServerResponse, status: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(length), ...headers });
  res.end(body);
}

/** The whole body, or undefined once it passes `limit` (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return resolve(undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function createTsaServer(authority: TimeStampAuthority): Server {
  return createServer(async (req, res) => {
    try {
      if (req.method !== 'POST') return send(res, 405, 'POST an application/timestamp-query\n', undefined, { Allow: 'POST' });
      if (mediaType(req.headers['content-type']) !== QUERY_TYPE) return send(res, 415, `Content-Type must be ${QUERY_TYPE}\n`);
      const body = await readBody(req, MAX_TIME_STAMP_REQUEST_BYTES);
      if (!body) return send(res, 413, `a time-stamp query is at most ${MAX_TIME_STAMP_REQUEST_BYTES} bytes\n`, undefined, { Connection: 'close' });
      send(res, 200, await authority.respond(body), REPLY_TYPE);
    } catch {
      // Nothing internal reaches the client; the authority itself answers bad requests with rejections.
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    }
  });
}

export interface RunningTsa {
  readonly url: string;
  close(): Promise<void>;
}

export async function startTsaServer(authority: TimeStampAuthority, host: string, port: number): Promise<RunningTsa> {
  const server = createTsaServer(authority);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
