/**
 * Certificate paths for seals: the signer's (`cert.*`) and the seal maker's (`seal.cert.*`, so the two
 * never read as one another). Without anchors the four path checks are INDETERMINATE, never passed.
 */
import type { CertificateInfo } from '../pki/certificate.js';
import { validateCertificatePath, type PathValidation } from '../pki/path.js';
import { failed, pathNotChecked, withPathPrefix } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import type { SealCertificate } from './seal-certificate.js';

export interface ChainContext {
  readonly at: Date;
  readonly crls: readonly Uint8Array[];
  readonly revocation: 'require' | 'skip';
  readonly signatureCache?: Map<string, boolean>;
}

export interface ChainOutcome {
  readonly checks: Check[];
  readonly path?: PathValidation;
}

/** `anchors` undefined: nothing trusted, for the reason given. */
export async function checkChain(
  certificate: SealCertificate,
  prefix: 'cert' | 'seal.cert' | 'tsp.cert',
  anchors: readonly Uint8Array[] | undefined,
  noTrustReason: string,
  ctx: ChainContext,
): Promise<ChainOutcome> {
  if (!anchors || anchors.length === 0) {
    return { checks: pathNotChecked(noTrustReason, prefix) };
  }
  const leaf: CertificateInfo | undefined = certificate.info;
  if (!leaf) {
    return { checks: [failed(`${prefix}.chain`, 'FORMAT_FAILURE', `the certificate cannot be used for a path: ${certificate.problem ?? 'unreadable'}`)] };
  }
  const path = await validateCertificatePath({
    leaf,
    trustAnchors: anchors,
    at: ctx.at,
    crls: ctx.crls,
    revocation: ctx.revocation,
    ...(ctx.signatureCache ? { signatureCache: ctx.signatureCache } : {}),
  });
  return { checks: withPathPrefix(path.checks, prefix), path };
}
