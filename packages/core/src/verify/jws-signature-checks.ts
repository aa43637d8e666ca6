/**
 * Judges one JWS signature: the header profile, the signature itself with the x5c leaf, and the
 * certificate path to the trust anchors. Integrity (`jws.*`) and trust (`cert.*`) stay separate checks.
 */
import { ElicenseError, isElicenseError } from '../errors.js';
import { isJsonObject } from '../json/strict-parse.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { checkProtectedHeader, checkUnprotectedHeader, type ProtectedHeader } from '../jws/header.js';
import type { ParsedSignature } from '../jws/parse.js';
import { parseCertificate, type CertificateInfo } from '../pki/certificate.js';
import { validateCertificatePath, type PathValidation } from '../pki/path.js';
import { errorMessage, failed, indeterminate, passed, pathNotChecked } from './checks.js';
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

interface CheckedHeader {
  readonly header: ProtectedHeader;
  readonly leaf: CertificateInfo;
  readonly intermediates: readonly CertificateInfo[];
}

/**
 * Every license a signer issues carries the same protected header, so its profile check and the
 * parsing of its x5c certificates are remembered per decoded header (parseJws decodes each exact header
 * text once, into one object) and the options that judged it. A pure function of those inputs: the cache
 * cannot change an answer, only its cost. Keyed on the object, so the long header text is not hashed again.
 */
const checkedHeaders = new WeakMap<object, Map<string, CheckedHeader>>();

function checkHeaderAndCertificates(signature: ParsedSignature, ctx: SignatureContext): CheckedHeader {
  const decoded = signature.protectedHeader;
  const byOptions = typeof decoded === 'object' && decoded !== null ? checkedHeaders.get(decoded) : undefined;
  const key = `${ctx.expectedType}|${ctx.algorithms.join(',')}`;
  const cached = byOptions?.get(key);
  if (cached) return cached;
  const header = checkProtectedHeader(signature.protectedHeader, { algorithms: ctx.algorithms, expectedType: ctx.expectedType });
  const leaf = parseCertificate(header.x5c[0]!);
  const intermediates = header.x5c.slice(1).flatMap((der) => {
    try {
      return [parseCertificate(der)];
    } catch {
      // An unreadable intermediate is simply not a path candidate; the chain check reports what is missing.
      return [];
    }
  });
  const checked = { header, leaf, intermediates };
  // checkProtectedHeader accepted it, so it is an object; a verifier uses a handful of option sets.
  if (byOptions) byOptions.set(key, checked);
  else checkedHeaders.set(decoded as object, new Map([[key, checked]]));
  return checked;
}

function headerSummary(header: ProtectedHeader): string {
  return `${header.alg}, typ ${header.typ ?? '(none)'}, ${header.x5c.length} certificate(s) in x5c`;
}

/** Who made a signature: known from its header and certificate path, before the signature value is checked. */
export interface SignerFacts {
  readonly header: ProtectedHeader;
  readonly leaf: CertificateInfo;
  /** Absent when there were no trust anchors to build a path to. */
  readonly path?: PathValidation;
}

export interface StartedSignatureCheck {
  /**
   * Settles when the signer's path does, which is usually before the signature value (the path's
   * certificate signatures are remembered), so a caller can judge the signer while the signature is
   * computed. Absent when the header or its certificate was unreadable.
   */
  readonly signer?: Promise<SignerFacts>;
  readonly outcome: Promise<SignatureOutcome>;
}

export async function checkJwsSignature(signature: ParsedSignature, ctx: SignatureContext): Promise<SignatureOutcome> {
  return startJwsSignatureCheck(signature, ctx).outcome;
}

/** Starts the signature's computation and its path validation at once; see StartedSignatureCheck. */
export function startJwsSignatureCheck(signature: ParsedSignature, ctx: SignatureContext): StartedSignatureCheck {
  let checked: CheckedHeader;
  try {
    checked = checkHeaderAndCertificates(signature, ctx);
    checkUnprotectedHeader(signature.unprotectedHeader, checked.header.raw);
  } catch (error) {
    return { outcome: (async () => headerFailure(signature, ctx, error))() };
  }
  const { header, leaf } = checked;
  // The signature is computed off the main thread while the certificate path is validated here.
  const signatureValid = verifySignature(header.alg, leaf.publicKey, signature.signingInput, signature.signature);
  const pathValidation = ctx.trustAnchors
    ? validateCertificatePath({
        leaf,
        intermediates: checked.intermediates,
        trustAnchors: ctx.trustAnchors,
        at: ctx.at,
        crls: ctx.crls,
        revocation: ctx.revocation,
        ...(ctx.signatureCache ? { signatureCache: ctx.signatureCache } : {}),
      })
    : undefined;
  const signer = pathValidation ? pathValidation.then((path) => ({ header, leaf, path })) : Promise.resolve({ header, leaf });
  signer.catch(() => undefined);
  return { signer, outcome: judgeSignature(checked, signatureValid, signer, ctx) };
}

function headerFailure(signature: ParsedSignature, ctx: SignatureContext, error: unknown): SignatureOutcome {
  if (isElicenseError(error, 'ERR_CERT_INVALID') || isElicenseError(error, 'ERR_INPUT_TOO_LARGE')) {
    const header = checkProtectedHeader(signature.protectedHeader, { algorithms: ctx.algorithms, expectedType: ctx.expectedType });
    return {
      checks: [passed('jws.header', headerSummary(header)), failed('jws.signature', 'FORMAT_FAILURE', `x5c[0] is not a certificate: ${errorMessage(error)}`)],
      header,
    };
  }
  const notEnabled =
    isElicenseError(error, 'ERR_JWS_ALG_NOT_ALLOWED') && isJsonObject(signature.protectedHeader) && signature.protectedHeader.alg === 'SM2SM3';
  const check = notEnabled
    ? indeterminate('jws.header', 'CRYPTO_CONSTRAINTS_FAILURE', 'SM2SM3 signatures are not enabled in this verifier')
    : failed('jws.header', 'FORMAT_FAILURE', errorMessage(error), {
        details: error instanceof ElicenseError ? { code: error.code, ...(error.field ? { field: error.field } : {}) } : {},
      });
  return { checks: [check], algorithmNotEnabled: notEnabled };
}

async function judgeSignature(
  { header, leaf }: CheckedHeader,
  signatureValid: Promise<boolean>,
  signer: Promise<SignerFacts>,
  ctx: SignatureContext,
): Promise<SignatureOutcome> {
  const checks: Check[] = [passed('jws.header', headerSummary(header))];
  let ok = false;
  try {
    ok = await signatureValid;
  } catch (error) {
    checks.push(failed('jws.signature', 'SIG_CRYPTO_FAILURE', `the x5c key cannot check a ${header.alg} signature: ${errorMessage(error)}`));
    return { checks, header, leaf };
  }
  if (!ok) {
    checks.push(failed('jws.signature', 'SIG_CRYPTO_FAILURE', `${header.alg} signature does not verify with the x5c leaf certificate`));
    return { checks, header, leaf };
  }
  checks.push(passed('jws.signature', `${header.alg} signature verifies with the key of ${leaf.subject}`));

  const { path } = await signer;
  if (!path) {
    checks.push(...pathNotChecked(ctx.noTrustReason));
    return { checks, header, leaf };
  }
  checks.push(...path.checks);
  return { checks, header, leaf, path };
}
