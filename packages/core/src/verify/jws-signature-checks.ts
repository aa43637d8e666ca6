/**
 * Judges one JWS signature: the header profile, the signature itself with the x5c leaf, and the
 * certificate path to the trust anchors. Integrity (`jws.*`) and trust (`cert.*`) stay separate checks.
 */
import { ElicenseError } from '../errors.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { checkProtectedHeader, checkUnprotectedHeader, type ProtectedHeader } from '../jws/header.js';
import type { ParsedSignature } from '../jws/parse.js';
import { parseCertificate, type CertificateInfo } from '../pki/certificate.js';
import { validateCertificatePath, type PathValidation } from '../pki/path.js';
import { errorMessage, failed, indeterminate, passed } from './checks.js';
import type { Check } from './report.js';

export interface SignatureContext {
  readonly at: Date;
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly expectedType: string;
  /** Undefined: nothing is trusted, the chain is INDETERMINATE. */
  readonly trustAnchors?: readonly Uint8Array[];
  readonly noTrustReason: string;
  readonly crls: readonly Uint8Array[];
  readonly revocation: 'require' | 'skip';
  readonly signatureCache?: Map<string, boolean>;
}

export interface SignatureOutcome {
  readonly checks: Check[];
  readonly header?: ProtectedHeader;
  readonly leaf?: CertificateInfo;
  readonly path?: PathValidation;
  /** The algorithm was not enabled here (e.g. SM2SM3 for an international verifier). */
  readonly algorithmNotEnabled?: boolean;
}

const CERT_CHECK_IDS = ['cert.chain', 'cert.validity', 'cert.constraints', 'cert.revocation'] as const;

function notChecked(reason: string): Check[] {
  return CERT_CHECK_IDS.map((id) => indeterminate(id, 'NO_CERTIFICATE_CHAIN_FOUND', `not checked: ${reason}`));
}

export async function checkJwsSignature(signature: ParsedSignature, ctx: SignatureContext): Promise<SignatureOutcome> {
  let header: ProtectedHeader;
  try {
    header = checkProtectedHeader(signature.protectedHeader, { algorithms: ctx.algorithms, expectedType: ctx.expectedType });
    checkUnprotectedHeader(signature.unprotectedHeader, header.raw);
  } catch (error) {
    const notEnabled =
      error instanceof ElicenseError && error.code === 'ERR_JWS_ALG_NOT_ALLOWED' && signature.protectedHeader !== null &&
      typeof signature.protectedHeader === 'object' && (signature.protectedHeader as { alg?: unknown }).alg === 'SM2SM3';
    const check = notEnabled
      ? indeterminate('jws.header', 'CRYPTO_CONSTRAINTS_FAILURE', 'SM2SM3 signatures are not enabled in this verifier')
      : failed('jws.header', 'FORMAT_FAILURE', errorMessage(error), {
          details: error instanceof ElicenseError ? { code: error.code, ...(error.field ? { field: error.field } : {}) } : {},
        });
    return { checks: [check], algorithmNotEnabled: notEnabled };
  }
  const checks: Check[] = [passed('jws.header', `${header.alg}, typ ${header.typ ?? '(none)'}, ${header.x5c.length} certificate(s) in x5c`)];

  let leaf: CertificateInfo;
  try {
    leaf = parseCertificate(header.x5c[0]!);
  } catch (error) {
    checks.push(failed('jws.signature', 'FORMAT_FAILURE', `x5c[0] is not a certificate: ${errorMessage(error)}`));
    return { checks, header };
  }
  let ok = false;
  try {
    ok = await verifySignature(header.alg, leaf.publicKey, signature.signingInput, signature.signature);
  } catch (error) {
    checks.push(failed('jws.signature', 'SIG_CRYPTO_FAILURE', `the x5c key cannot check a ${header.alg} signature: ${errorMessage(error)}`));
    return { checks, header, leaf };
  }
  if (!ok) {
    checks.push(failed('jws.signature', 'SIG_CRYPTO_FAILURE', `${header.alg} signature does not verify with the x5c leaf certificate`));
    return { checks, header, leaf };
  }
  checks.push(passed('jws.signature', `${header.alg} signature verifies with the key of ${leaf.subject}`));

  if (!ctx.trustAnchors) {
    checks.push(...notChecked(ctx.noTrustReason));
    return { checks, header, leaf };
  }
  const path = await validateCertificatePath({
    leaf,
    intermediates: header.x5c.slice(1),
    trustAnchors: ctx.trustAnchors,
    at: ctx.at,
    crls: ctx.crls,
    revocation: ctx.revocation,
    ...(ctx.signatureCache ? { signatureCache: ctx.signatureCache } : {}),
  });
  checks.push(...path.checks);
  return { checks, header, leaf, path };
}
