/**
 * One report shape for every format (JSON, PDF, seal/OFD, QR), after ETSI EN 319 102-1: each check has
 * its own indication, and the overall indication is the worst of them (failed beats indeterminate beats
 * passed). `valid` is true only for TOTAL_PASSED.
 */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'REVOKED_NO_POE'
  | 'TRY_LATER'
  | 'SIGNED_DATA_NOT_FOUND';

export type ReportFormat = 'jws' | 'pdf' | 'ses' | 'ofd' | 'qr' | 'unknown';

export interface Check {
  /** Stable id, e.g. `jws.signature`, `cert.chain`, `trust.issuer-authorized-for-type`. */
  readonly id: string;
  readonly indication: Indication;
  readonly subIndication?: SubIndication;
  readonly message: string;
  /** Which signature the check belongs to, when the document has several. */
  readonly signature?: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface SignerSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  /** 统一社会信用代码 of the signing organisation, from the certificate. */
  readonly organizationCode?: string;
  readonly organizationName?: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface SignatureReport {
  readonly index: number;
  readonly alg: string;
  readonly indication: Indication;
  readonly subIndication?: SubIndication;
  readonly signer?: SignerSummary;
  /** The certificate path used, leaf first, as subject names. */
  readonly chain?: readonly string[];
  /** PDF signatures: what kind, in which field, and how much of the file they cover. */
  readonly pdf?: PdfSignatureSummary;
}

export interface PdfSignatureSummary {
  readonly kind: 'certification' | 'approval' | 'timestamp';
  readonly field: string;
  readonly subFilter?: string;
  readonly coveredBytes?: number;
  readonly fileBytes?: number;
  readonly wholeFile?: boolean;
  /** /M: the time the signer claims. */
  readonly claimedSigningTime?: string;
  /** The time a valid timestamp proves (signature timestamp, or the document timestamp itself). */
  readonly timestampTime?: string;
  /** PAdES baseline level reached: B-B, B-T, B-LT, B-LTA. */
  readonly level?: string;
}

export interface LicenseSummary {
  readonly identifier?: string;
  readonly typeCode?: string;
  readonly typeName?: string;
  readonly number?: string;
  readonly holderName?: string;
  readonly holderCode?: string;
  readonly issuerName?: string;
  readonly issuerCode?: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface SnapshotReference {
  readonly sha256: string;
  readonly sequence?: number;
  readonly issued?: string;
  readonly nextUpdate?: string;
  readonly stale?: boolean;
  readonly source?: string;
}

export interface VerificationReport {
  readonly valid: boolean;
  readonly indication: Indication;
  readonly subIndication?: SubIndication;
  readonly format: ReportFormat;
  /** The time validity was judged at. */
  readonly validationTime: string;
  readonly license?: LicenseSummary;
  readonly signatures: readonly SignatureReport[];
  readonly checks: readonly Check[];
  readonly trustList?: SnapshotReference;
  readonly statusSources?: readonly SnapshotReference[];
  readonly warnings: readonly string[];
}

const RANK: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

/** The worst check decides; among equally bad checks the first one in order gives the sub-indication. */
export function worstOf(checks: readonly Pick<Check, 'indication' | 'subIndication'>[]): {
  indication: Indication;
  subIndication?: SubIndication;
} {
  let worst: Pick<Check, 'indication' | 'subIndication'> = { indication: 'TOTAL_PASSED' };
  for (const check of checks) {
    if (RANK[check.indication] > RANK[worst.indication]) worst = check;
  }
  return worst.subIndication === undefined
    ? { indication: worst.indication }
    : { indication: worst.indication, subIndication: worst.subIndication };
}
