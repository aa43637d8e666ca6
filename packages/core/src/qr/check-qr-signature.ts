/**
 * Judges the signature of a license QR: the header profile, the signing certificate found by key id
 * among those the verifier holds (trust list, then the caller's), the signature, and the certificate
 * path to the trust list. Integrity (`qr.*`) and trust (`cert.*`) stay separate checks.
 */
import { equalBytes } from '../bytes.js';
import { isSignatureAlgorithm, type SignatureAlgorithm } from '../crypto/algorithms.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { ElicenseError, isElicenseError } from '../errors.js';
import { isJsonObject } from '../json/strict-parse.js';
import type { ParsedSignature } from '../jws/parse.js';
import { parseCertificateCached, type CertificateInfo } from '../pki/certificate.js';
import { validateCertificatePath, type PathValidation } from '../pki/path.js';
import type { TrustListContent } from '../trust/trust-list.js';
import { errorMessage, failed, indeterminate, passed, pathNotChecked } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import { certificatesWithKeyId } from './key-id.js';
import { LICENSE_QR_TYPE } from './sign-license-qr.js';

export interface QrSignatureContext {
  readonly at: Date;
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly trustList?: TrustListContent;
  /** Certificates the caller holds besides the trust list's (signing certificates, their CAs). */
  readonly certificates: readonly Uint8Array[];
  readonly noTrustReason: string;
  readonly crls: readonly Uint8Array[];
  readonly revocation: 'require' | 'skip';
  readonly signatureCache?: Map<string, boolean>;
  /** Where the license can be checked online, for messages when it cannot be checked here. */
  readonly onlineUrl: string;
}

export interface QrSignatureOutcome {
  readonly checks: Check[];
  readonly alg?: SignatureAlgorithm;
  readonly leaf?: CertificateInfo;
  readonly path?: PathValidation;
  readonly algorithmNotEnabled?: boolean;
}

const HEADER_MEMBERS = new Set(['alg', 'typ', 'kid']);
const KEY_ID = /^[A-Za-z0-9_-]{11}$/;
/** Most certificates sharing one key id whose keys are tried: ids are 64 bits, so more than one is already odd. */
const MAX_KEY_ID_MATCHES = 4;

function invalidHeader(message: string, field: string): never {
  throw new ElicenseError('ERR_JWS_INVALID', message, { field });
}

/** The QR profile: exactly alg, typ and kid. No x5c, jwk, crit or anything else that could bring its own key. */
function readQrHeader(header: unknown, algorithms: readonly SignatureAlgorithm[]): { alg: SignatureAlgorithm; kid: string } {
  if (!isJsonObject(header)) invalidHeader('the protected header is not a JSON object', '');
  for (const name of Object.keys(header)) {
    if (!HEADER_MEMBERS.has(name)) invalidHeader(`"${name}" is not part of the QR header profile (alg, typ, kid)`, name);
  }
  const { alg, typ, kid } = header;
  if (!isSignatureAlgorithm(alg) || !algorithms.includes(alg)) {
    throw new ElicenseError('ERR_JWS_ALG_NOT_ALLOWED', `algorithm ${JSON.stringify(alg)} is not accepted`, { field: 'alg' });
  }
  if (typ !== LICENSE_QR_TYPE) invalidHeader(`"typ" must be "${LICENSE_QR_TYPE}"`, 'typ');
  if (typeof kid !== 'string' || !KEY_ID.test(kid)) invalidHeader('"kid" must be an 11-character base64url key id', 'kid');
  return { alg, kid };
}

/**
 * A signing certificate the trust list names beside its CA is validated through the CA, so CRLs still
 * apply; only one listed without any CA above it is trusted directly, as the operator chose.
 */
async function validateSignerPath(leaf: CertificateInfo, trustList: TrustListContent, ctx: QrSignatureContext): Promise<PathValidation> {
  const anchors = trustList.issuers.flatMap((issuer) => issuer.certificates);
  const others = anchors.filter((der) => !equalBytes(der, leaf.der));
  const common = {
    leaf,
    intermediates: ctx.certificates,
    at: ctx.at,
    crls: ctx.crls,
    revocation: ctx.revocation,
    ...(ctx.signatureCache ? { signatureCache: ctx.signatureCache } : {}),
  };
  const throughCa = await validateCertificatePath({ ...common, trustAnchors: others });
  if (throughCa.path.length > 0 || others.length === anchors.length) return throughCa;
  return validateCertificatePath({ ...common, trustAnchors: [leaf.der] });
}

async function verifiesWith(der: Uint8Array, alg: SignatureAlgorithm, signature: ParsedSignature): Promise<CertificateInfo | undefined> {
  try {
    const certificate = parseCertificateCached(der);
    return (await verifySignature(alg, certificate.publicKey, signature.signingInput, signature.signature)) ? certificate : undefined;
  } catch {
    // A certificate that cannot be read, or whose key does not fit the algorithm, did not make this signature.
    return undefined;
  }
}

export async function checkQrSignature(signature: ParsedSignature, ctx: QrSignatureContext): Promise<QrSignatureOutcome> {
  let header: { alg: SignatureAlgorithm; kid: string };
  try {
    header = readQrHeader(signature.protectedHeader, ctx.algorithms);
  } catch (error) {
    const notEnabled = isElicenseError(error, 'ERR_JWS_ALG_NOT_ALLOWED') && isJsonObject(signature.protectedHeader) && signature.protectedHeader.alg === 'SM2SM3';
    const check = notEnabled
      ? indeterminate('qr.header', 'CRYPTO_CONSTRAINTS_FAILURE', 'SM2SM3 signatures are not enabled in this verifier')
      : failed('qr.header', 'FORMAT_FAILURE', errorMessage(error));
    return { checks: [check], algorithmNotEnabled: notEnabled };
  }
  const { alg, kid } = header;
  const checks: Check[] = [passed('qr.header', `${alg}, typ ${LICENSE_QR_TYPE}, key id ${kid}`)];
  const pool = [...(ctx.trustList?.issuers.flatMap((issuer) => issuer.certificates) ?? []), ...ctx.certificates];
  const candidates = (await certificatesWithKeyId(kid, pool)).slice(0, MAX_KEY_ID_MATCHES);
  if (candidates.length === 0) {
    const where = ctx.trustList ? 'the trust list' : 'no trust list';
    checks.push(
      indeterminate(
        'qr.signer',
        'NO_CERTIFICATE_CHAIN_FOUND',
        `no certificate with key id ${kid} in ${where}${ctx.certificates.length > 0 ? ' or the given certificates' : ''}: the signature cannot be checked offline; verify the license online at ${ctx.onlineUrl}`,
      ),
      indeterminate('qr.signature', 'NO_CERTIFICATE_CHAIN_FOUND', 'not checked: the signing certificate is unknown'),
      ...pathNotChecked('the signing certificate is unknown'),
    );
    return { checks, alg };
  }
  let leaf: CertificateInfo | undefined;
  for (const der of candidates) {
    leaf = await verifiesWith(der, alg, signature);
    if (leaf) break;
  }
  if (!leaf) {
    checks.push(
      passed('qr.signer', `key id ${kid} names ${candidates.length} certificate(s)`),
      failed('qr.signature', 'SIG_CRYPTO_FAILURE', `the ${alg} signature does not verify with the certificate key id ${kid} names: the QR content was changed or forged`),
    );
    return { checks, alg };
  }
  checks.push(passed('qr.signer', `key id ${kid} names ${leaf.subject}`), passed('qr.signature', `${alg} signature verifies with the key of ${leaf.subject}`));
  if (!ctx.trustList) {
    checks.push(...pathNotChecked(ctx.noTrustReason));
    return { checks, alg, leaf };
  }
  const path = await validateSignerPath(leaf, ctx.trustList, ctx);
  checks.push(...path.checks);
  return { checks, alg, leaf, path };
}
