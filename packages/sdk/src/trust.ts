/**
 * Trust inputs: the pinned operator certificate, the trust list verified against it (re-verified only
 * when the document changes or passes its nextUpdate), and CRLs in PEM or DER.
 */
import { looksLikePem, parseCertificate, parseCrl, parsePem, verifyTrustList, type TrustInput, type VerifiedTrustList } from '@elicense/core';
import { LicenseSdkError } from './errors.js';

/** PEM text, PEM bytes or DER bytes of one certificate (or several: any of them may sign). */
export type CertificateInput = string | Uint8Array;

/** The DER certificates in a PEM or DER input; throws when there is none or one does not parse. */
export function readOperatorCertificates(input: CertificateInput): Uint8Array[] {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const ders = looksLikePem(bytes)
    ? parsePem(new TextDecoder().decode(bytes)).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der)
    : [bytes];
  if (ders.length === 0) throw new LicenseSdkError('trustOperatorCertificate holds no PEM CERTIFICATE block');
  for (const der of ders) {
    try {
      parseCertificate(der);
    } catch (error) {
      throw new LicenseSdkError(`trustOperatorCertificate is not a certificate: ${(error as Error).message}`, { cause: error });
    }
  }
  return ders;
}

/** CRLs from PEM text (X509 CRL blocks) or DER; throws on one that does not parse, so a typo is not silent. */
export function readCrls(input: string | readonly (string | Uint8Array)[]): Uint8Array[] {
  const items = typeof input === 'string' ? [input] : input;
  const crls: Uint8Array[] = [];
  for (const item of items) {
    const bytes = typeof item === 'string' ? new TextEncoder().encode(item) : item;
    const ders = looksLikePem(bytes) ? parsePem(new TextDecoder().decode(bytes)).filter((b) => b.label === 'X509 CRL').map((b) => b.der) : [bytes];
    for (const der of ders) {
      try {
        parseCrl(der);
      } catch (error) {
        throw new LicenseSdkError(`a CRL does not parse: ${(error as Error).message}`, { cause: error });
      }
      crls.push(der);
    }
  }
  return crls;
}

/** Verifies trust-list documents against the pinned operator, remembering the last answer. */
export class TrustListVerifier {
  private last: { text: string; result: TrustInput; recheckAfter: number } | undefined;

  constructor(private readonly operatorCertificates: readonly Uint8Array[]) {}

  async verify(text: string, at: Date): Promise<TrustInput> {
    const last = this.last;
    if (last && last.text === text && at.getTime() <= last.recheckAfter) return last.result;
    let result: TrustInput;
    let recheckAfter = Number.POSITIVE_INFINITY;
    try {
      const list: VerifiedTrustList = await verifyTrustList(text, { at, operatorCertificates: this.operatorCertificates });
      result = { list };
      // Past nextUpdate the list is stale, and core says so: verify again then, so the flag is set.
      if (!list.stale) recheckAfter = Date.parse(list.content.nextUpdate);
    } catch (error) {
      result = { error: `the trust list does not verify against the pinned operator certificate: ${(error as Error).message}` };
    }
    this.last = { text, result, recheckAfter };
    return result;
  }
}
