/**
 * Naming a certificate in CMS: IssuerAndSerialNumber (RFC 5652 §10.2.4), written from the issuer name
 * and serial INTEGER exactly as the certificate holds them, and finding the certificate a SignerInfo's
 * identifier names among the embedded ones.
 */
import { equalBytes, toHex } from '../bytes.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { children, content, readTlv, slice } from '../pki/der.js';
import { sameName } from '../pki/names.js';
import { sequence } from './der-build.js';

/** The serial number INTEGER TLV of a certificate, as encoded in its TBSCertificate. */
export function serialNumberTlv(certificate: CertificateInfo): Uint8Array {
  const tbs = certificate.tbs;
  const fields = children(tbs, readTlv(tbs, 0));
  const serial = fields[0]?.tag === 0xa0 ? fields[1] : fields[0];
  return slice(tbs, serial!);
}

export function issuerAndSerialNumber(certificate: CertificateInfo): Uint8Array {
  return sequence(certificate.issuerDer, serialNumberTlv(certificate));
}

/** How a SignerInfo names its certificate. */
export type SignerIdentifier =
  | { readonly kind: 'issuerAndSerialNumber'; readonly issuerDer: Uint8Array; readonly serialNumber: Uint8Array }
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyIdentifier: Uint8Array };

/** True when the issuer name matches (RFC 5280 §7.1) and the serial INTEGER has the same content octets. */
export function issuerSerialMatches(certificate: CertificateInfo, issuerDer: Uint8Array, serialNumber: Uint8Array): boolean {
  const serial = serialNumberTlv(certificate);
  if (!equalBytes(content(serial, readTlv(serial, 0)), serialNumber)) return false;
  try {
    return sameName(certificate.issuerDer, issuerDer);
  } catch {
    return false;
  }
}

export function identifies(identifier: SignerIdentifier, certificate: CertificateInfo): boolean {
  if (identifier.kind === 'subjectKeyIdentifier') return certificate.subjectKeyIdentifier === toHex(identifier.keyIdentifier);
  return issuerSerialMatches(certificate, identifier.issuerDer, identifier.serialNumber);
}
