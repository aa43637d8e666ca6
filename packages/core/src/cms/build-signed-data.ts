/**
 * Writes ContentInfo(SignedData) with one SignerInfo (RFC 5652 §5): version, digest algorithms, the
 * encapsulated content info (detached unless content is given), the certificates in the order given
 * (leaf first, as readers that take the first certificate expect), and the SignerInfo.
 */
import { concatBytes } from '../bytes.js';
import { encodeOid, encodeTlv, encodeUnsignedInteger } from '../pki/der.js';
import { contextTag, octetString, sequence, setOf } from './der-build.js';
import { CMS_OID } from './oids.js';

export interface SignerInfoParts {
  /** IssuerAndSerialNumber DER. */
  readonly signerIdentifier: Uint8Array;
  readonly digestAlgorithm: Uint8Array;
  /** The DER SET OF attributes (tag 0x31), exactly the bytes signed. */
  readonly signedAttributes: Uint8Array;
  readonly signatureAlgorithm: Uint8Array;
  /** The signature in its CMS form (DER `SEQUENCE { r, s }` for ECDSA and SM2). */
  readonly signature: Uint8Array;
  /** DER SET OF unsigned attributes (tag 0x31), when there are any. */
  readonly unsignedAttributes?: Uint8Array;
}

/** An IMPLICIT [n] retag of a DER SET: same content, context tag. */
export function retagSet(set: Uint8Array, tagNumber: number): Uint8Array {
  const out = set.slice();
  out[0] = 0xa0 | tagNumber;
  return out;
}

export function encodeSignerInfo(parts: SignerInfoParts): Uint8Array {
  return sequence(
    encodeUnsignedInteger(Uint8Array.of(1)),
    parts.signerIdentifier,
    parts.digestAlgorithm,
    retagSet(parts.signedAttributes, 0),
    parts.signatureAlgorithm,
    octetString(parts.signature),
    parts.unsignedAttributes ? retagSet(parts.unsignedAttributes, 1) : new Uint8Array(0),
  );
}

export interface SignedDataParts {
  readonly digestAlgorithm: Uint8Array;
  readonly contentType: string;
  /** Present for encapsulated content (a time-stamp token's TSTInfo); absent for a detached signature. */
  readonly content?: Uint8Array;
  readonly certificates: readonly Uint8Array[];
  readonly signerInfo: Uint8Array;
}

export function encodeSignedData(parts: SignedDataParts): Uint8Array {
  // RFC 5652 §5.1: version 3 when the content is not id-data, else 1 (issuerAndSerialNumber signers only).
  const version = parts.contentType === CMS_OID.data ? 1 : 3;
  const encapsulated = sequence(
    encodeOid(parts.contentType),
    parts.content ? contextTag(0, octetString(parts.content)) : new Uint8Array(0),
  );
  const certificates = parts.certificates.length > 0 ? encodeTlv(0xa0, concatBytes(...parts.certificates)) : new Uint8Array(0);
  const signedData = sequence(
    encodeUnsignedInteger(Uint8Array.of(version)),
    setOf([parts.digestAlgorithm]),
    encapsulated,
    certificates,
    setOf([parts.signerInfo]),
  );
  return sequence(encodeOid(CMS_OID.signedData), contextTag(0, signedData));
}
