/**
 * An RFC 3161 client over HTTP: sends a query with a fresh nonce, and accepts only a granted reply
 * whose token covers the digest sent and echoes the nonce. Each way it can go wrong is its own reason.
 */
import { randomBytes } from 'node:crypto';
import {
  createTimeStampRequest,
  parseTimeStampResponse,
  verifyTimeStampToken,
  type DigestAlgorithm,
  type TimeStampVerification,
} from '@elicense/core';
import { QUERY_TYPE, REPLY_TYPE } from './server.js';

export type TimestampFailure = 'network' | 'timeout' | 'http' | 'content-type' | 'too-large' | 'malformed' | 'rejected' | 'nonce' | 'imprint';

export class TimestampRequestError extends Error {
  override readonly name = 'TimestampRequestError';
  constructor(
    readonly reason: TimestampFailure,
    message: string,
  ) {
    super(message);
  }
}

/** A reply holds one token with a few certificates; more than this is not a time-stamp reply. */
const MAX_REPLY_BYTES = 1 << 20;

export interface TimestampResult {
  /** The whole DER TimeStampResp, as `openssl ts -reply -in` reads it. */
  readonly response: Uint8Array;
  /** The DER token, for id-aa-signatureTimeStampToken. */
  readonly token: Uint8Array;
  readonly verification: TimeStampVerification;
}

export interface RequestTimestampOptions {
  readonly timeoutMs: number;
  /** Ask for the TSA certificate in the token (default true, so the token can be verified alone). */
  readonly certReq?: boolean;
}

async function post(url: string, body: Uint8Array, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { method: 'POST', headers: { 'Content-Type': QUERY_TYPE }, body: new Uint8Array(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new TimestampRequestError('timeout', `${url} did not answer within ${timeoutMs} ms`);
    throw new TimestampRequestError('network', `cannot reach ${url}: ${(error as Error).message}`);
  }
}

export async function requestTimestamp(
  url: string,
  digest: Uint8Array,
  hashAlgorithm: DigestAlgorithm,
  options: RequestTimestampOptions,
): Promise<TimestampResult> {
  const nonce = BigInt(`0x${randomBytes(8).toString('hex')}`);
  const query = createTimeStampRequest({ digest, hashAlgorithm, nonce, certReq: options.certReq ?? true });
  const res = await post(url, query, options.timeoutMs);
  if (!res.ok) throw new TimestampRequestError('http', `${url} answered HTTP ${res.status} ${res.statusText}`.trim());
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== REPLY_TYPE) throw new TimestampRequestError('content-type', `${url} answered ${type || 'no content type'}, not ${REPLY_TYPE}`);
  const response = new Uint8Array(await res.arrayBuffer());
  if (response.length > MAX_REPLY_BYTES) throw new TimestampRequestError('too-large', `the reply is ${response.length} bytes`);

  let parsed;
  try {
    parsed = parseTimeStampResponse(response);
  } catch (error) {
    throw new TimestampRequestError('malformed', `the reply is not a TimeStampResp: ${(error as Error).message}`);
  }
  if ((parsed.status !== 'granted' && parsed.status !== 'grantedWithMods') || !parsed.token) {
    const why = [...parsed.failInfo, ...parsed.statusStrings].join('; ');
    throw new TimestampRequestError('rejected', `the TSA refused: ${parsed.status}${why ? ` (${why})` : ''}`);
  }
  let verification: TimeStampVerification;
  try {
    verification = await verifyTimeStampToken(parsed.token, { digest, hashAlgorithm });
  } catch (error) {
    throw new TimestampRequestError('malformed', `the token is malformed: ${(error as Error).message}`);
  }
  if (verification.nonce === undefined || BigInt(`0x${verification.nonce}`) !== nonce) {
    throw new TimestampRequestError('nonce', 'the token does not echo the nonce sent: a replayed or misrouted reply');
  }
  if (verification.checks.find((c) => c.id === 'tsp.message-imprint')?.indication !== 'TOTAL_PASSED') {
    throw new TimestampRequestError('imprint', 'the token covers another digest than the one sent');
  }
  return { response, token: parsed.token, verification };
}
