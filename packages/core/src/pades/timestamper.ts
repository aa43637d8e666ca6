/**
 * Where RFC 3161 tokens come from when a PDF is time-stamped: any function from a digest to a token.
 * An HTTP client (the CLI's and the server's) and an in-process authority both fit.
 */
import type { DigestAlgorithm } from '../cms/index.js';
import { ElicenseError } from '../errors.js';
import { createTimeStampRequest, parseTimeStampResponse, type TimeStampAuthority } from '../tsp/index.js';

/** Returns the DER TimeStampToken (ContentInfo SignedData) for `digest`. */
export type Timestamper = (digest: Uint8Array, hashAlgorithm: DigestAlgorithm) => Promise<Uint8Array>;

function randomNonce(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

/** A Timestamper over an authority running in this process (tests, the demo, a server's own TSA). */
export function authorityTimestamper(authority: TimeStampAuthority): Timestamper {
  return async (digest, hashAlgorithm) => {
    const response = parseTimeStampResponse(await authority.respond(createTimeStampRequest({ digest, hashAlgorithm, nonce: randomNonce(), certReq: true })));
    if (response.status !== 'granted' && response.status !== 'grantedWithMods') {
      throw new ElicenseError('ERR_TIMESTAMP_FAILED', `the time-stamping authority refused: ${response.status} ${response.failInfo.join(', ')}`.trim());
    }
    if (!response.token) throw new ElicenseError('ERR_TIMESTAMP_FAILED', 'the time-stamping authority granted no token');
    return response.token;
  };
}
