/**
 * A license's seal against the trust list's seal registry, for both forms of a license: the seal must
 * be registered to the organisation the license names as its issuer (`seal.issuer`), and, for the
 * JSON form's reference, registered, active and showing the registered picture (`trust.seal-status`).
 * The PDF form carries the whole seal and judges its registration with the seal module's check.
 */
import type { TrustedIssuer, TrustedSeal, TrustListContent } from '../trust/trust-list.js';
import { failed, indeterminate, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import type { SealReference } from './seal-reference.js';

function registrations(trustList: TrustListContent, esID: string): { issuer: TrustedIssuer; seal: TrustedSeal }[] {
  return trustList.issuers.flatMap((issuer) => issuer.seals?.filter((seal) => seal.esID === esID).map((seal) => ({ issuer, seal })) ?? []);
}

/** `seal.issuer`: a seal registered to one office does not seal another office's licenses. */
export function checkSealIssuer(esID: string, trustList: TrustListContent | undefined, issuerCode: string | undefined): Check {
  const id = 'seal.issuer';
  if (!trustList) return indeterminate(id, 'NO_CERTIFICATE_CHAIN_FOUND', 'not checked: no trust list');
  const found = registrations(trustList, esID);
  if (found.length === 0) return passed(id, `seal ${esID} is registered to no issuer, so the registry binds it to none`);
  const own = found.find(({ issuer }) => issuer.code === issuerCode);
  if (!own) return failed(id, 'SIG_CONSTRAINTS_FAILURE', `seal ${esID} is registered to ${found.map(({ issuer }) => issuer.name).join(', ')}, not to the license's issuer ${issuerCode ?? '(none)'}`);
  return passed(id, `seal ${esID} is registered to the license's issuer ${own.issuer.name}`);
}

/**
 * `trust.seal-status` for a reference: without the seal only the registry can vouch for it, so an
 * unregistered esID fails. `time` is when the license was sealed (its issuance).
 */
export function checkSealReference(reference: SealReference, trustList: TrustListContent | undefined, issuerCode: string | undefined, time: Date): Check {
  const id = 'trust.seal-status';
  const { esID } = reference;
  if (!trustList) return indeterminate(id, 'NO_CERTIFICATE_CHAIN_FOUND', 'not checked: no trust list');
  const found = registrations(trustList, esID).find(({ issuer }) => issuer.code === issuerCode);
  if (!found) return failed(id, 'SIG_CONSTRAINTS_FAILURE', `the license references seal ${esID}, which the trust list does not register for issuer ${issuerCode ?? '(none)'}`);
  const { issuer, seal } = found;
  const since = seal.statusSince ? ` since ${seal.statusSince}` : '';
  if (seal.status === 'revoked') return failed(id, 'REVOKED', `the trust list marks seal ${esID} of ${issuer.name} revoked${since}`);
  if (seal.status === 'suspended') return failed(id, 'SIG_CONSTRAINTS_FAILURE', `the trust list marks seal ${esID} of ${issuer.name} suspended${since}`);
  if (seal.pictureSm3 !== reference.pictureSm3) return failed(id, 'SIG_CONSTRAINTS_FAILURE', `the license's seal ${esID} names a picture other than the registered one`);
  if (time.getTime() < Date.parse(seal.validStart) || time.getTime() > Date.parse(seal.validEnd)) {
    return failed(id, 'EXPIRED', `the registration of seal ${esID} runs ${seal.validStart} to ${seal.validEnd}, which excludes ${time.toISOString()}`);
  }
  return passed(id, `seal ${esID} "${seal.name}" is registered to ${issuer.name}, active, with the referenced picture`);
}
