/** Makes JWS in compact form (one signer) or general JSON form (several signers over one payload). */
import { base64, base64url, utf8 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { ALGORITHMS } from '../crypto/algorithms.js';
import type { Signer } from '../crypto/signer.js';

export interface JwsHeaderParameters {
  readonly typ?: string;
  readonly cty?: string;
  readonly kid?: string;
  readonly [name: string]: unknown;
}

export interface GeneralJws {
  readonly payload: string;
  readonly signatures: readonly { readonly protected: string; readonly signature: string }[];
}

export interface FlattenedJws {
  readonly payload: string;
  readonly protected: string;
  readonly signature: string;
}

/**
 * Encoded protected headers per signer, by the other parameters as JSON: an office signs every license
 * with the same header, whose x5c chain makes encoding it cost about as much as the rest of a JWS. Kept
 * with the certificate list it was made from, so a signer given other certificates is encoded afresh.
 */
const encodedHeaders = new WeakMap<Signer, { certificates: readonly Uint8Array[]; byParameters: Map<string, string> }>();
/** Header variants kept per signer: a few types and seals at most, in practice. */
const HEADERS_PER_SIGNER = 16;

function protectedHeaderFor(signer: Signer, extra: JwsHeaderParameters): string {
  const spec = ALGORITHMS[signer.alg];
  if (!spec.canSign) throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${signer.alg} is accepted for verification only`);
  if (signer.certificates.length === 0) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'the signer has no certificate: x5c is required');
  }
  const parameters = JSON.stringify(extra);
  let known = encodedHeaders.get(signer);
  if (known?.certificates !== signer.certificates) encodedHeaders.set(signer, (known = { certificates: signer.certificates, byParameters: new Map() }));
  let encoded = known.byParameters.get(parameters);
  if (encoded === undefined) {
    const header = { alg: signer.alg, ...extra, x5c: signer.certificates.map((der) => base64(der)) };
    encoded = base64url(utf8(JSON.stringify(header)));
    if (known.byParameters.size >= HEADERS_PER_SIGNER) known.byParameters.clear();
    known.byParameters.set(parameters, encoded);
  }
  return encoded;
}

async function signOne(signer: Signer, header: JwsHeaderParameters, payloadB64: string) {
  const protectedB64 = protectedHeaderFor(signer, header);
  const signature = await signer.sign(utf8(`${protectedB64}.${payloadB64}`));
  return { protected: protectedB64, signature: base64url(signature) };
}

export async function signCompact(payload: Uint8Array, signer: Signer, header: JwsHeaderParameters = {}): Promise<string> {
  const payloadB64 = base64url(payload);
  const one = await signOne(signer, header, payloadB64);
  return `${one.protected}.${payloadB64}.${one.signature}`;
}

export async function signFlattened(
  payload: Uint8Array,
  signer: Signer,
  header: JwsHeaderParameters = {},
): Promise<FlattenedJws> {
  const payloadB64 = base64url(payload);
  return { payload: payloadB64, ...(await signOne(signer, header, payloadB64)) };
}

/** One payload, one signature per signer (e.g. ES256 for international and SM2 for domestic verifiers). */
export async function signGeneral(
  payload: Uint8Array,
  signers: readonly Signer[],
  header: JwsHeaderParameters = {},
): Promise<GeneralJws> {
  if (signers.length === 0) throw new ElicenseError('ERR_INVALID_INPUT', 'at least one signer is needed');
  const payloadB64 = base64url(payload);
  const signatures = await Promise.all(signers.map((signer) => signOne(signer, header, payloadB64)));
  return { payload: payloadB64, signatures };
}
