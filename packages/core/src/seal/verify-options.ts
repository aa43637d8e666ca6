/** What the seal verifiers take: the time, the trust, revocation data, and for a signature its document. */
import type { TrustListContent } from '../trust/trust-list.js';
import type { TrustInput, VerifyOptions } from '../verify/options.js';
import type { ChainContext } from './chain-checks.js';

export interface SesVerifyOptions {
  /** The time validity is judged at. Core never reads the clock. */
  readonly at: Date;
  /** Without it nothing is trusted: the cryptography is still checked, the chains are INDETERMINATE. */
  readonly trust?: TrustInput;
  readonly crls?: readonly Uint8Array[];
  /** 'skip' waives certificate revocation checking explicitly; the default requires it. */
  readonly certificateRevocation?: 'require' | 'skip';
  readonly signatureCache?: Map<string, boolean>;
}

export interface SesSignatureVerifyOptions extends SesVerifyOptions {
  /** The signed document's bytes (for OFD: Signature.xml as stored), checked against dataHash with SM3. */
  readonly data?: Uint8Array;
  /** Or its SM3 hash, when the caller hashed it. */
  readonly dataHash?: Uint8Array;
}

/** The seal options carried by the document verifier's options. */
export function sesVerifyOptions(options: VerifyOptions): SesVerifyOptions {
  return {
    at: options.at,
    ...(options.trust ? { trust: options.trust } : {}),
    ...(options.crls ? { crls: options.crls } : {}),
    ...(options.certificateRevocation ? { certificateRevocation: options.certificateRevocation } : {}),
    ...(options.signatureCache ? { signatureCache: options.signatureCache } : {}),
  };
}

export interface SesTrust {
  readonly trustList?: TrustListContent;
  /** Why nothing is trusted, when that is so. */
  readonly noTrustReason: string;
}

export function sesTrust(options: SesVerifyOptions): SesTrust {
  if (options.trust && 'list' in options.trust) return { trustList: options.trust.list.content, noTrustReason: '' };
  return { noTrustReason: options.trust ? 'the trust list is unusable' : 'no trust list given' };
}

export function chainContext(options: SesVerifyOptions, at: Date): ChainContext {
  return {
    at,
    crls: options.crls ?? [],
    revocation: options.certificateRevocation ?? 'require',
    ...(options.signatureCache ? { signatureCache: options.signatureCache } : {}),
  };
}

/** The seal makers' certificates; undefined (with the reason) when the trust list names none. */
export function sealMakerAnchors(trust: SesTrust): { anchors?: readonly Uint8Array[]; reason: string } {
  if (!trust.trustList) return { reason: trust.noTrustReason };
  const anchors = trust.trustList.sealMakers?.flatMap((maker) => maker.certificates) ?? [];
  return anchors.length > 0 ? { anchors, reason: '' } : { reason: 'the trust list names no seal maker' };
}
