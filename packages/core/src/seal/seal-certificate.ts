/**
 * The certificates inside seals, read for what each check needs. Path validation needs the full
 * strict parse; the signature checks need only the public key. Real seal-maker and signer certificates
 * sometimes break a rule the strict parser enforces (a 云南 CA writes a private extension whose value is
 * not DER), so the key is then taken from the SubjectPublicKeyInfo alone: the signature can still be
 * checked, and the chain check reports that the certificate is unusable for a path.
 */
import { parseCertificateCached, type CertificateInfo } from '../pki/certificate.js';
import { children, readTlv, slice } from '../pki/der.js';
import { errorMessage } from '../verify/checks.js';

export interface SealCertificate {
  readonly der: Uint8Array;
  /** The strict parse, when the certificate passes it. */
  readonly info?: CertificateInfo;
  /** Why the strict parse refused it. */
  readonly problem?: string;
  /** DER SubjectPublicKeyInfo; undefined when not even that can be found. */
  readonly publicKey?: Uint8Array;
  /** For messages: the subject, or a note that it could not be read. */
  readonly label: string;
}

/** SubjectPublicKeyInfo: the 7th field of TBSCertificate, or the 6th when the [0] version is absent. */
function subjectPublicKeyInfo(der: Uint8Array): Uint8Array | undefined {
  try {
    const top = readTlv(der, 0);
    const [tbs] = children(der, top);
    if (tbs?.tag !== 0x30) return undefined;
    const fields = children(der, tbs);
    const spki = fields[fields[0]?.tag === 0xa0 ? 6 : 5];
    return spki?.tag === 0x30 ? slice(der, spki) : undefined;
  } catch {
    return undefined;
  }
}

export function readSealCertificate(der: Uint8Array): SealCertificate {
  try {
    const info = parseCertificateCached(der);
    return { der, info, publicKey: info.publicKey, label: info.subject };
  } catch (error) {
    const publicKey = subjectPublicKeyInfo(der);
    return { der, problem: errorMessage(error), ...(publicKey ? { publicKey } : {}), label: 'a certificate the strict X.509 reader refuses' };
  }
}
