/**
 * Verifies a signed trust list against a pinned operator certificate and reads its content. A list that
 * cannot be verified throws; a stale one (past its nextUpdate) is returned with `stale: true`, and the
 * license verifier reports that.
 */
import { equalBytes, fromUtf8, utf8 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { ALGORITHMS } from '../crypto/algorithms.js';
import { sha256Hex } from '../crypto/digest.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { parseJsonStrict } from '../json/strict-parse.js';
import { checkProtectedHeader } from '../jws/header.js';
import { parseJws } from '../jws/parse.js';
import { parseCertificate, type CertificateInfo } from '../pki/certificate.js';
import { readTrustListContent, TRUST_LIST_TYPE, type TrustListContent } from './trust-list.js';

export interface VerifiedTrustList {
  readonly content: TrustListContent;
  /** SHA-256 of the trust list document as received: names the exact snapshot in reports. */
  readonly sha256: string;
  readonly operatorCertificate: CertificateInfo;
  /** False when the operator certificate was taken from the list itself rather than pinned by the caller. */
  readonly pinned: boolean;
  readonly stale: boolean;
}

const ALL_ALGORITHMS = Object.values(ALGORITHMS).map((spec) => spec.alg);

function invalid(message: string, cause?: unknown): never {
  throw new ElicenseError('ERR_TRUST_LIST_INVALID', message, cause === undefined ? {} : { cause });
}

async function verifyWith(
  input: string | Uint8Array,
  at: Date,
  pickOperator: (embedded: Uint8Array) => Uint8Array | undefined,
  pinned: boolean,
): Promise<VerifiedTrustList> {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  let jws;
  try {
    jws = parseJws(bytes);
  } catch (cause) {
    return invalid(`trust list is not a signed JWS document: ${(cause as Error).message}`, cause);
  }
  if (jws.form === 'compact' || jws.signatures.length !== 1) invalid('trust list must be a flattened JWS JSON document');
  const signature = jws.signatures[0]!;
  const header = checkProtectedHeader(signature.protectedHeader, { algorithms: ALL_ALGORITHMS, expectedType: TRUST_LIST_TYPE });
  const operatorDer = pickOperator(header.x5c[0]!);
  if (!operatorDer) invalid('trust list is not signed by a pinned operator certificate');
  const operatorCertificate = parseCertificate(operatorDer);
  const ok = await verifySignature(header.alg, operatorCertificate.publicKey, signature.signingInput, signature.signature);
  if (!ok) invalid('trust list signature does not verify with the operator certificate');
  let payload: unknown;
  try {
    payload = parseJsonStrict(fromUtf8(jws.payload), { maxLength: 32 << 20 });
  } catch (cause) {
    return invalid(`trust list payload is not strict JSON: ${(cause as Error).message}`, cause);
  }
  const content = readTrustListContent(payload);
  const issued = new Date(content.issued);
  if (issued < operatorCertificate.notBefore || issued > operatorCertificate.notAfter) {
    invalid('the operator certificate was not valid when the trust list was issued');
  }
  return {
    content,
    sha256: await sha256Hex(bytes),
    operatorCertificate,
    pinned,
    stale: at.getTime() > Date.parse(content.nextUpdate),
  };
}

export function verifyTrustList(
  input: string | Uint8Array,
  options: { at: Date; operatorCertificates: readonly Uint8Array[] },
): Promise<VerifiedTrustList> {
  if (options.operatorCertificates.length === 0) invalid('no pinned operator certificate given');
  return verifyWith(input, options.at, (embedded) => options.operatorCertificates.find((pin) => equalBytes(pin, embedded)), true);
}

/**
 * Trusts whichever operator certificate the list itself carries: for a list the user handed over
 * explicitly (as `openssl verify -CAfile` trusts the file it is given). Reports say it was not pinned.
 */
export function verifyTrustListTrustingEmbeddedOperator(
  input: string | Uint8Array,
  options: { at: Date },
): Promise<VerifiedTrustList> {
  return verifyWith(input, options.at, (embedded) => embedded, false);
}
