/**
 * Trust decisions about one signature once its chain is known: is the signer the organisation the
 * license names as its issuer, and does the trust list let that issuer issue this license type?
 */
import { equalBytes } from '../bytes.js';
import type { CertificateInfo } from '../pki/certificate.js';
import type { PathValidation } from '../pki/path.js';
import type { TrustListContent } from '../trust/trust-list.js';
import { failed, indeterminate, passed } from './checks.js';
import type { Check } from './report.js';

export function checkIssuerBound(leaf: CertificateInfo, issuerCode: string | undefined): Check {
  const id = 'trust.issuer-bound';
  if (issuerCode === undefined) return failed(id, 'SIG_CONSTRAINTS_FAILURE', 'the license names no issuing authority code');
  if (leaf.organizationCode === undefined) {
    return failed(id, 'SIG_CONSTRAINTS_FAILURE', `the signing certificate ${leaf.subject} carries no organisation code (organizationIdentifier)`);
  }
  if (leaf.organizationCode !== issuerCode) {
    return failed(id, 'SIG_CONSTRAINTS_FAILURE', `signed by organisation ${leaf.organizationCode}, but the license names issuer ${issuerCode}`);
  }
  return passed(id, `the signer's organisation ${issuerCode} is the license's issuer`);
}

export function checkIssuerAuthorized(
  path: PathValidation | undefined,
  trustList: TrustListContent | undefined,
  issuerCode: string | undefined,
  typeCode: string | undefined,
): Check {
  const id = 'trust.issuer-authorized-for-type';
  if (!trustList) return indeterminate(id, 'NO_CERTIFICATE_CHAIN_FOUND', 'not checked: no trust list');
  if (!path || path.path.length === 0) return indeterminate(id, 'NO_CERTIFICATE_CHAIN_FOUND', 'not checked: no certificate chain to the trust list');
  const onPath = (der: Uint8Array) => path.path.some((cert) => equalBytes(cert.der, der));
  const entry = trustList.issuers.find((issuer) => issuer.code === issuerCode && issuer.certificates.some(onPath));
  if (!entry) {
    const named = trustList.issuers.find((issuer) => issuer.code === issuerCode);
    return failed(
      id,
      'SIG_CONSTRAINTS_FAILURE',
      named
        ? `the signing certificate does not chain to the certificates the trust list gives for ${named.name}`
        : `issuer ${issuerCode ?? '(none)'} is not in the trust list`,
    );
  }
  if (typeCode === undefined || !entry.licenseTypes.includes(typeCode)) {
    return failed(id, 'SIG_CONSTRAINTS_FAILURE', `${entry.name} is trusted, but not to issue license type ${typeCode ?? '(none)'}`);
  }
  return passed(id, `${entry.name} may issue license type ${typeCode}`);
}
