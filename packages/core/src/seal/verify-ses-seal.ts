/**
 * Verifies an electronic seal on its own (a Seal.esl, or a seal handed over for registration): format,
 * the maker's signature, the seal's validity now, the registry, and the maker's certificate path.
 */
import { errorMessage, failed, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import { checkChain } from './chain-checks.js';
import { parseSesSeal } from './parse-ses-seal.js';
import { readSealCertificate } from './seal-certificate.js';
import { checkSealRegistration, checkSealSignature, checkSealValidity } from './seal-checks.js';
import { checkSealTimestamp } from './timestamp-checks.js';
import { SES_VERSION_NAMES, type ParsedSesSeal } from './types.js';
import { chainContext, sealMakerAnchors, sesTrust, type SesVerifyOptions } from './verify-options.js';

export interface SesSealVerification {
  readonly checks: Check[];
  readonly seal?: ParsedSesSeal;
}

export async function verifySesSeal(der: Uint8Array, options: SesVerifyOptions): Promise<SesSealVerification> {
  let seal: ParsedSesSeal;
  try {
    seal = parseSesSeal(der);
  } catch (error) {
    return { checks: [failed('ses.format', 'FORMAT_FAILURE', `not a readable SESeal: ${errorMessage(error)}`)] };
  }
  const trust = sesTrust(options);
  const ctx = chainContext(options, options.at);
  const makers = sealMakerAnchors(trust);
  const checks: Check[] = [
    passed('ses.format', `SESeal ${SES_VERSION_NAMES[seal.version]}, seal ${seal.esID} "${seal.property.name}" from ${seal.header.vendorId}`),
    await checkSealSignature(seal),
    checkSealValidity(seal, options.at, 'the validation time'),
    checkSealRegistration(seal, trust.trustList, options.at),
    ...(await checkChain(readSealCertificate(seal.makerCertificate), 'seal.cert', makers.anchors, makers.reason, ctx)).checks,
  ];
  // v5 seals carry a timestamp over the maker's signature (GM/T 0031-2025).
  if (seal.timeStamp) checks.push(...(await checkSealTimestamp('ses.seal-timestamp', seal.timeStamp, seal.signature.bytes, trust.trustList, ctx)).checks);
  return { checks, seal };
}
