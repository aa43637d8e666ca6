/**
 * The ESS signing-certificate attributes (RFC 2634 §5.4 v1 with SHA-1, RFC 5035 v2): they bind the
 * signer's certificate into the signed attributes, so a substituted certificate with the same key is
 * detected. eLicense writes v2 with SHA-256 and issuerSerial, as CAdES and PAdES baseline B-B ask.
 *
 *   SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies SEQUENCE OF PolicyInformation OPTIONAL }
 *   ESSCertIDv2 ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier DEFAULT {id-sha256}, certHash OCTET STRING,
 *                              issuerSerial IssuerSerial OPTIONAL }
 *   ESSCertID   ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial IssuerSerial OPTIONAL }
 *   IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 */
import { equalBytes } from '../bytes.js';
import type { CertificateInfo } from '../pki/certificate.js';
import { assertSingleDerValue, content, slice, type Tlv } from '../pki/der.js';
import { contextTag, octetString, sequence } from './der-build.js';
import { expectTag, fieldsOf, readingField, readOid } from './der-read.js';
import { computeDigest, digestAlgorithmFromOid, type DigestAlgorithm } from './digest-algorithms.js';
import { CMS_OID } from './oids.js';
import { issuerSerialMatches, serialNumberTlv } from './signer-identifier.js';

/** The DER value (one SigningCertificateV2) of the signing-certificate-v2 attribute for `certificate`. */
export async function signingCertificateV2Value(certificate: CertificateInfo): Promise<Uint8Array> {
  const certHash = await computeDigest('SHA-256', certificate.der);
  // GeneralNames holding one directoryName ([4], EXPLICIT because Name is a CHOICE).
  const issuerSerial = sequence(sequence(contextTag(4, certificate.issuerDer)), serialNumberTlv(certificate));
  return sequence(sequence(sequence(octetString(certHash), issuerSerial)));
}

export interface SigningCertificateBinding {
  readonly bound: boolean;
  readonly message: string;
  readonly version?: 1 | 2;
  readonly hashAlgorithm?: DigestAlgorithm;
}

/** Whether the first ESSCertID(v2) of the attribute names `certificate` (RFC 5035 §5.4: the first is the signer's). */
export async function checkSigningCertificate(
  attribute: { readonly oid: string; readonly value: Uint8Array },
  certificate: CertificateInfo,
): Promise<SigningCertificateBinding> {
  const version = attribute.oid === CMS_OID.signingCertificateV2 ? 2 : 1;
  const what = version === 2 ? 'signing-certificate-v2' : 'signing-certificate';
  const value = attribute.value;
  const top = fieldsOf(value, readingField(what, () => assertSingleDerValue(value)), 0x30, what);
  const certs = fieldsOf(value, top[0], 0x30, `${what}.certs`);
  const first = fieldsOf(value, certs[0], 0x30, `${what}.certs[0]`);
  let hashAlgorithm: DigestAlgorithm | undefined = version === 2 ? 'SHA-256' : 'SHA-1';
  let next = 0;
  if (version === 2 && first[0]?.tag === 0x30) {
    const oid = readOid(value, fieldsOf(value, first[0], 0x30, `${what}.hashAlgorithm`)[0], `${what}.hashAlgorithm`);
    hashAlgorithm = digestAlgorithmFromOid(oid);
    if (!hashAlgorithm || hashAlgorithm === 'SHA-1') {
      return { bound: false, version, message: `${what} hashes the certificate with ${oid}, which is not accepted` };
    }
    next = 1;
  }
  const certHash = content(value, expectTag(first[next], 0x04, `${what}.certHash`));
  if (!equalBytes(certHash, await computeDigest(hashAlgorithm, certificate.der))) {
    return { bound: false, version, hashAlgorithm, message: `the ${what} hash does not match the signer certificate` };
  }
  const issuerSerial = first[next + 1];
  if (issuerSerial && !issuerSerialMatch(value, issuerSerial, certificate, what)) {
    return { bound: false, version, hashAlgorithm, message: `the ${what} issuerSerial does not name the signer certificate` };
  }
  return { bound: true, version, hashAlgorithm, message: `${what} binds the signer certificate (${hashAlgorithm})` };
}

function issuerSerialMatch(value: Uint8Array, issuerSerial: Tlv, certificate: CertificateInfo, what: string): boolean {
  const [names, serial] = fieldsOf(value, issuerSerial, 0x30, `${what}.issuerSerial`);
  const serialBody = content(value, expectTag(serial, 0x02, `${what}.issuerSerial.serialNumber`));
  for (const name of fieldsOf(value, names, 0x30, `${what}.issuerSerial.issuer`)) {
    if (name.tag !== 0xa4) continue;
    const [directoryName] = fieldsOf(value, name, 0xa4, `${what}.issuerSerial.issuer`);
    if (directoryName && issuerSerialMatches(certificate, slice(value, directoryName), serialBody)) return true;
  }
  return false;
}
