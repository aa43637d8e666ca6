/**
 * The electronic seal a PDF signature carries: a CMS signed attribute, so the signature covers it.
 *
 *   id-elicense-sesSeal OBJECT IDENTIFIER ::= { 2 999 38540 1 }
 *   SealOnSignature ::= SEQUENCE {
 *     seal           SESeal,        -- GB/T 38540 seal, the DER exactly as its maker signed it
 *     appearanceSm3  OCTET STRING   -- SM3 of the signature widget's normal appearance stream, decoded
 *   }
 *
 * GB/T 38540 and GM/T 0031 define no OID for a seal inside CMS, and the project has no registered arc.
 * The UUID arc 2.25 needs no registration, but its 128-bit arcs exceed what many DER readers decode
 * (ours in pki/der.ts, Go's encoding/asn1), so a file carrying one would stop parsing there. Until the
 * project registers an IANA Private Enterprise Number this sits under the ITU-T example arc 2.999
 * (38540 names the standard); the OID is this one constant, and verifiers know it from here.
 */
import { recentValues } from '../recent-values.js';
import { sm3 } from '../crypto/sm3.js';
import { octetString, sequence } from '../cms/der-build.js';
import type { CmsAttribute } from '../cms/index.js';
import { ElicenseError } from '../errors.js';
import { children, content, readTlv, slice } from '../pki/der.js';

export const SEAL_ATTRIBUTE_OID = '2.999.38540.1';

/** A seal with a certificate list and an SVG picture stays well under this; more is not a seal. */
export const MAX_SEAL_ATTRIBUTE_BYTES = 2 * 1024 * 1024;

export interface SealOnSignature {
  /** The DER SESeal as received. */
  readonly seal: Uint8Array;
  /** SM3 of the appearance stream the signer drew the seal as. */
  readonly appearanceSm3: Uint8Array;
}

/** SM3 of the last few appearance strings: an office's licenses all show the same drawing of its seal. */
const recentAppearanceDigests = recentValues<string, Uint8Array>(8);

function appearanceSm3(appearance: Uint8Array | string): Uint8Array {
  if (typeof appearance !== 'string') return sm3(appearance);
  return recentAppearanceDigests(appearance, () => sm3(Uint8Array.from(appearance, (c) => c.charCodeAt(0) & 0xff)));
}

/** The attribute for `seal` shown as `appearance`: the content stream's operators, as bytes or Latin-1 text (as the PDF writer takes them). */
export function sealAttribute(seal: Uint8Array, appearance: Uint8Array | string): CmsAttribute {
  return { oid: SEAL_ATTRIBUTE_OID, values: [sequence(seal, octetString(appearanceSm3(appearance)))] };
}

function malformed(message: string): never {
  throw new ElicenseError('ERR_ASN1_INVALID', `the seal attribute ${message}`, { field: 'signedAttrs.sesSeal' });
}

/** The seal attribute among the signed attributes; undefined when there is none. Throws on a malformed one. */
export function readSealAttribute(attributes: readonly CmsAttribute[] | undefined): SealOnSignature | undefined {
  const found = attributes?.filter((attribute) => attribute.oid === SEAL_ATTRIBUTE_OID) ?? [];
  if (found.length === 0) return undefined;
  const [attribute] = found;
  if (found.length > 1 || attribute!.values.length !== 1) malformed('must appear once, with one value');
  const value = attribute!.values[0]!;
  if (value.length > MAX_SEAL_ATTRIBUTE_BYTES) malformed(`is larger than ${MAX_SEAL_ATTRIBUTE_BYTES} bytes`);
  try {
    const top = readTlv(value, 0);
    if (top.tag !== 0x30 || top.end !== value.length) malformed('is not one SEQUENCE');
    const [sealTlv, hashTlv, extra] = children(value, top);
    if (!sealTlv || sealTlv.tag !== 0x30 || !hashTlv || hashTlv.tag !== 0x04 || extra) malformed('is not SEQUENCE { SESeal, OCTET STRING }');
    const appearanceSm3 = content(value, hashTlv);
    if (appearanceSm3.length !== 32) malformed('appearance hash is not 32 bytes (SM3)');
    return { seal: slice(value, sealTlv), appearanceSm3 };
  } catch (error) {
    if (error instanceof ElicenseError) throw error;
    return malformed(`is not DER: ${error instanceof Error ? error.message : String(error)}`);
  }
}
