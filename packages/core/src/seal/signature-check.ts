/** The one SM2 signature check every seal structure needs: the maker's over the seal, the signer's over TBS_Sign. */
import { OID } from '../crypto/algorithms.js';
import { verifySignature } from '../crypto/verify-signature.js';
import { errorMessage, failed, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import type { SealCertificate } from './seal-certificate.js';
import type { SesSignatureValue } from './types.js';

export interface SignedPart {
  /** Check id, e.g. `ses.signature`. */
  readonly id: string;
  /** Who signed, for messages: "the signer", "the seal maker". */
  readonly who: string;
  readonly certificate: SealCertificate;
  readonly algorithm: string;
  readonly signedBytes: Uint8Array;
  readonly signature: SesSignatureValue;
}

export async function checkSm2Signature(part: SignedPart): Promise<Check> {
  const { id, who, certificate } = part;
  if (part.algorithm !== OID.sm2WithSm3) {
    return failed(id, 'CRYPTO_CONSTRAINTS_FAILURE', `${who} used signature algorithm ${part.algorithm}; only SM2 with SM3 (${OID.sm2WithSm3}) is accepted`);
  }
  if (!certificate.publicKey) return failed(id, 'FORMAT_FAILURE', `${who}'s certificate carries no readable public key`);
  if (part.signature.encoding === 'unreadable') {
    return failed(id, 'FORMAT_FAILURE', `${who}'s signature value is neither DER SEQUENCE { r, s } nor a 64-byte r‖s`);
  }
  let ok: boolean;
  try {
    ok = await verifySignature('SM2SM3', certificate.publicKey, part.signedBytes, part.signature.raw);
  } catch (error) {
    return failed(id, 'SIG_CRYPTO_FAILURE', `${who}'s certificate key cannot check an SM2 signature: ${errorMessage(error)}`);
  }
  const form = part.signature.encoding === 'raw' ? ', value stored as bare r‖s' : '';
  return ok
    ? passed(id, `SM2 signature (ID 1234567812345678) verifies with the key of ${certificate.label}${form}`)
    : failed(id, 'SIG_CRYPTO_FAILURE', `SM2 signature does not verify with the key of ${certificate.label}`);
}
