/** What a caller hands the verifier: the time, the trust it has, and where status comes from. */
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import type { LicenseTypeRegistry } from '../license/registry.js';
import type { VerifiedTrustList } from '../trust/verify-trust-list.js';

/** Fetches the document published at a status list URL; undefined when it cannot be had. */
export type StatusResolver = (url: string) => Promise<string | Uint8Array | undefined>;

export type TrustInput =
  | { readonly list: VerifiedTrustList }
  /** The caller had a trust list but it did not verify: reported, and nothing is trusted. */
  | { readonly error: string };

export interface VerifyOptions {
  /** The time validity is judged at. Core never reads the clock. */
  readonly at: Date;
  /** Without it nothing is trusted: signatures are still checked, chains are INDETERMINATE. */
  readonly trust?: TrustInput;
  /** CRLs for the certificates on the signing paths. */
  readonly crls?: readonly Uint8Array[];
  /** 'skip' waives certificate revocation checking explicitly; the default requires it. */
  readonly certificateRevocation?: 'require' | 'skip';
  /** Where license status lists come from; 'waived' skips the status check explicitly. */
  readonly status?: StatusResolver | 'waived';
  /** Accepted JWS algorithms; by default the registered JOSE ones (SM2SM3 only where configured). */
  readonly algorithms?: readonly SignatureAlgorithm[];
  readonly registry?: LicenseTypeRegistry;
  /** Memo of certificate signature checks, shared across verifications. */
  readonly signatureCache?: Map<string, boolean>;
  /** Memo of verified status lists, shared across verifications; entries expire with the lists. */
  readonly statusCache?: Map<string, unknown>;
  /** Reads the QR code in a PNG or JPEG and returns its text; core decodes no images itself. */
  readonly decodeQrImage?: (image: Uint8Array) => Promise<string>;
  /** Signing certificates (DER) for signers a QR names only by key id, besides those in the trust list. */
  readonly signerCertificates?: readonly Uint8Array[];
}
