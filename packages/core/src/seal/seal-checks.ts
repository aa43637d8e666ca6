/**
 * What makes a seal good, apart from certificate paths: the maker's signature, the validity window at
 * the time that matters, and what the trust list's seal registry says about it.
 */
import { equalBytes, toHex } from '../bytes.js';
import { sm3 } from '../crypto/sm3.js';
import type { PathValidation } from '../pki/path.js';
import type { TrustedIssuer, TrustedSeal, TrustListContent } from '../trust/trust-list.js';
import { failed, indeterminate, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import { readSealCertificate } from './seal-certificate.js';
import { checkSm2Signature } from './signature-check.js';
import type { ParsedSesSeal } from './types.js';

const iso = (date: Date): string => date.toISOString();

export function checkSealSignature(seal: ParsedSesSeal): Promise<Check> {
  return checkSm2Signature({
    id: 'ses.seal-signature',
    who: 'the seal maker',
    certificate: readSealCertificate(seal.makerCertificate),
    algorithm: seal.signatureAlgorithm,
    signedBytes: seal.signedBytes,
    signature: seal.signature,
  });
}

/** The seal's own window (validStart..validEnd) at `time`, which is `what` (e.g. "the signing time"). */
export function checkSealValidity(seal: ParsedSesSeal, time: Date | undefined, what: string): Check {
  const id = 'ses.seal-validity';
  const window = `${iso(seal.property.validStart)} to ${iso(seal.property.validEnd)}`;
  if (!time) return indeterminate(id, 'SIG_CONSTRAINTS_FAILURE', `the seal is valid ${window}, but ${what} cannot be read`);
  if (time < seal.property.validStart) return failed(id, 'NOT_YET_VALID', `the seal is valid from ${iso(seal.property.validStart)}, after ${what} ${iso(time)}`);
  if (time > seal.property.validEnd) return failed(id, 'EXPIRED', `the seal expired ${iso(seal.property.validEnd)}, before ${what} ${iso(time)}`);
  return passed(id, `the seal is valid ${window}, which includes ${what} ${iso(time)}`);
}

function findRegistered(trustList: TrustListContent, esID: string): { issuer: TrustedIssuer; seal: TrustedSeal } | undefined {
  for (const issuer of trustList.issuers) {
    const seal = issuer.seals?.find((entry) => entry.esID === esID);
    if (seal) return { issuer, seal };
  }
  return undefined;
}

function registrationMismatch(seal: ParsedSesSeal, registered: TrustedSeal): string | undefined {
  if (toHex(sm3(seal.picture.data)) !== registered.pictureSm3) return 'its picture is not the registered picture';
  if (seal.property.name !== registered.name) return `its name "${seal.property.name}" is not the registered "${registered.name}"`;
  if (seal.property.type !== registered.type) return `its type ${seal.property.type} is not the registered type ${registered.type}`;
  return undefined;
}

/**
 * `trust.seal-status`: a seal the registry revokes or suspends fails even while its certificates are
 * good; so does one that differs from its registration. An unregistered seal fails only when the
 * signer's organisation registers its seals; otherwise the registry has nothing to say about it.
 */
export function checkSealRegistration(
  seal: ParsedSesSeal,
  trustList: TrustListContent | undefined,
  time: Date,
  signerPath?: PathValidation,
): Check {
  const id = 'trust.seal-status';
  if (!trustList) return indeterminate(id, 'NO_CERTIFICATE_CHAIN_FOUND', 'not checked: no trust list');
  const found = findRegistered(trustList, seal.esID);
  if (!found) {
    const onPath = (der: Uint8Array) => signerPath?.path.some((cert) => equalBytes(cert.der, der)) ?? false;
    const signerIssuer = trustList.issuers.find((issuer) => issuer.certificates.some(onPath));
    if (signerIssuer?.seals) return failed(id, 'SIG_CONSTRAINTS_FAILURE', `seal ${seal.esID} is not among the seals ${signerIssuer.name} registers`);
    return passed(id, `seal ${seal.esID} is not registered in the trust list, and its signer's organisation registers no seals`);
  }
  const { issuer, seal: registered } = found;
  const since = registered.statusSince ? ` since ${registered.statusSince}` : '';
  if (registered.status === 'revoked') return failed(id, 'REVOKED', `the trust list marks seal ${seal.esID} of ${issuer.name} revoked${since}`);
  if (registered.status === 'suspended') return failed(id, 'SIG_CONSTRAINTS_FAILURE', `the trust list marks seal ${seal.esID} of ${issuer.name} suspended${since}`);
  const mismatch = registrationMismatch(seal, registered);
  if (mismatch) return failed(id, 'SIG_CONSTRAINTS_FAILURE', `seal ${seal.esID} is registered to ${issuer.name}, but ${mismatch}`);
  if (time.getTime() < Date.parse(registered.validStart) || time.getTime() > Date.parse(registered.validEnd)) {
    return failed(id, 'EXPIRED', `the registration of seal ${seal.esID} runs ${registered.validStart} to ${registered.validEnd}, which excludes ${iso(time)}`);
  }
  return passed(id, `seal ${seal.esID} "${registered.name}" is registered to ${issuer.name} and active`);
}
