/**
 * The RFC 3161 token a SES_Signature (or a v5 seal) may carry over its signature value: the token's own
 * checks, then the time-stamping authority's path to the trust list's authorities (`tsp.cert.*`).
 */
import type { TrustListContent } from '../trust/trust-list.js';
import { verifyTimeStampToken, type TimeStampVerification } from '../tsp/verify-token.js';
import { errorMessage, failed, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import { checkChain, type ChainContext } from './chain-checks.js';
import { readSealCertificate } from './seal-certificate.js';

export interface TimestampOutcome {
  readonly checks: Check[];
  /** The time the token proves, when it verified and its authority is trusted. */
  readonly provenTime?: Date;
}

export async function checkSealTimestamp(
  id: string,
  token: Uint8Array,
  signatureValue: Uint8Array,
  trustList: TrustListContent | undefined,
  ctx: ChainContext,
): Promise<TimestampOutcome> {
  let verification: TimeStampVerification;
  try {
    verification = await verifyTimeStampToken(token, { data: signatureValue });
  } catch (error) {
    return { checks: [failed(id, 'FORMAT_FAILURE', `the timestamp token is unreadable: ${errorMessage(error)}`)] };
  }
  const checks: Check[] = [
    verification.valid
      ? passed(id, `RFC 3161 token over the signature value, time ${verification.genTime.toISOString()}`)
      : failed(id, 'SIG_CRYPTO_FAILURE', 'the timestamp token does not verify over the signature value'),
    ...verification.checks,
  ];
  if (!verification.valid || !verification.tsaCertificate) return { checks };
  const anchors = trustList?.timestampAuthorities?.flatMap((tsa) => tsa.certificates);
  const reason = trustList ? 'the trust list names no time-stamping authority' : 'no trust list given';
  const chain = await checkChain(readSealCertificate(verification.tsaCertificate), 'tsp.cert', anchors, reason, ctx);
  return { checks: [...checks, ...chain.checks], ...(chain.path?.status === 'valid' ? { provenTime: verification.genTime } : {}) };
}
