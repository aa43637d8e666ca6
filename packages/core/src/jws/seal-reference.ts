/**
 * The seal a signed JSON license names in its protected header:
 *
 *   "elicense:seal": { "esID": "22010000000001", "pictureSm3": "<64 hex>", "sealSm3": "<64 hex>" }
 *
 * esID and pictureSm3 are what the trust list's seal registry records, so a verifier checks the
 * reference there (registered to the license's issuer, active, same picture) without the seal itself;
 * sealSm3 (SM3 of the DER SESeal) names the exact seal object for whoever holds it, e.g. a PDF form of
 * the license that carries the seal. The member is not listed in `crit`: it adds a check, it does not
 * change what the signature means, and a verifier that ignores it (joserfc, jose) still judges the
 * signature correctly, whereas a private `crit` entry would make every such verifier refuse the license.
 */
import { byteKey, toHex } from '../bytes.js';
import { recentValues } from '../recent-values.js';
import type { Signer } from '../crypto/signer.js';
import { sm3 } from '../crypto/sm3.js';
import { ElicenseError } from '../errors.js';
import { isJsonObject } from '../json/strict-parse.js';
import { parseSesSeal } from '../seal/parse-ses-seal.js';
import { checkSignerInSeal } from '../seal/seal-membership.js';
import type { ParsedSesSeal } from '../seal/types.js';

export const SEAL_HEADER = 'elicense:seal';

export interface SealReference {
  /** 印章标识 of the seal. */
  readonly esID: string;
  /** Lowercase hex SM3 of the seal's picture data, as the registry records it. */
  readonly pictureSm3: string;
  /** Lowercase hex SM3 of the DER SESeal. */
  readonly sealSm3: string;
}

const HEX_SM3 = /^[0-9a-f]{64}$/;
const MAX_ES_ID_LENGTH = 64;

/** The seal, parsed, once it is known to list every signer's certificate: no one seals with a seal that does not name them. */
export async function sealListingSigners(seal: Uint8Array, signers: readonly Signer[], field = 'seal'): Promise<ParsedSesSeal> {
  let parsed: ParsedSesSeal;
  try {
    parsed = parseSesSeal(seal);
  } catch (error) {
    throw new ElicenseError('ERR_INVALID_INPUT', `the seal is not a readable SESeal: ${error instanceof Error ? error.message : String(error)}`, { field });
  }
  for (const signer of signers) {
    const certificate = signer.certificates[0];
    const listed = certificate ? await checkSignerInSeal(parsed, certificate) : undefined;
    if (listed?.indication !== 'TOTAL_PASSED') {
      throw new ElicenseError('ERR_INVALID_INPUT', `seal ${parsed.esID} does not list the ${signer.alg} signer's certificate`, { field });
    }
  }
  return parsed;
}

/**
 * The last few seals referenced, with the signers already found in them: an office signs thousands of
 * licenses with one seal, and SM3 over a seal and its picture costs about a millisecond each time.
 * New seal bytes are recognised by their whole content, so a different seal is never taken for a known one.
 */
type KnownSeal = { reference?: SealReference; readonly signers: WeakSet<Signer> };
const knownSeals = recentValues<string, KnownSeal>(8);
/**
 * The same, by the seal's bytes object: a signer hands the same seal array to every license, and reading
 * a seal (often 40 KB with its picture) into a content key costs more than the rest of a JWS header.
 * Callers must not change a seal's bytes once they have signed with it.
 */
const sealsByIdentity = new WeakMap<Uint8Array, KnownSeal>();

/** The reference a license signed by `signers` writes for `seal`. */
export async function sealReferenceFor(seal: Uint8Array, signers: readonly Signer[]): Promise<SealReference> {
  let known = sealsByIdentity.get(seal);
  if (!known) {
    known = knownSeals(byteKey(seal), () => ({ signers: new WeakSet<Signer>() }));
    sealsByIdentity.set(seal, known);
  }
  if (known.reference && signers.every((signer) => known.signers.has(signer))) return known.reference;
  const parsed = await sealListingSigners(seal, signers);
  known.reference ??= Object.freeze({ esID: parsed.esID, pictureSm3: toHex(sm3(parsed.picture.data)), sealSm3: toHex(sm3(seal)) });
  for (const signer of signers) known.signers.add(signer);
  return known.reference;
}

function invalid(message: string, member: string): never {
  throw new ElicenseError('ERR_JWS_INVALID', `"${SEAL_HEADER}" ${message}`, { field: `${SEAL_HEADER}.${member}` });
}

/** The reference in a protected header, checked for shape; undefined when the header has none. */
export function readSealReference(header: Readonly<Record<string, unknown>>): SealReference | undefined {
  if (!(SEAL_HEADER in header)) return undefined;
  const value = header[SEAL_HEADER];
  if (!isJsonObject(value)) invalid('must be an object', '');
  for (const name of Object.keys(value)) if (!['esID', 'pictureSm3', 'sealSm3'].includes(name)) invalid(`has an unknown member "${name}"`, name);
  const { esID, pictureSm3, sealSm3 } = value;
  if (typeof esID !== 'string' || esID.length === 0 || esID.length > MAX_ES_ID_LENGTH) invalid(`esID must be 1 to ${MAX_ES_ID_LENGTH} characters`, 'esID');
  if (typeof pictureSm3 !== 'string' || !HEX_SM3.test(pictureSm3)) invalid('pictureSm3 must be 64 lowercase hex digits', 'pictureSm3');
  if (typeof sealSm3 !== 'string' || !HEX_SM3.test(sealSm3)) invalid('sealSm3 must be 64 lowercase hex digits', 'sealSm3');
  return { esID, pictureSm3, sealSm3 };
}
