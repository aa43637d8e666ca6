/**
 * Signs a license credential as `vc+jwt` (W3C VC-JOSE-COSE): compact for one signer, general JSON for
 * several (e.g. ES256 and SM2SM3 over the same payload, so international and domestic verifiers both
 * accept it).
 */
import { utf8 } from '../bytes.js';
import type { Signer } from '../crypto/signer.js';
import type { LicenseCredential } from '../license/credential.js';
import { LICENSE_JWS_TYPE } from './header.js';
import { signCompact, signGeneral, type GeneralJws } from './sign.js';

const HEADER = { typ: LICENSE_JWS_TYPE, cty: 'vc' } as const;

export function signLicenseCompact(credential: LicenseCredential, signer: Signer): Promise<string> {
  return signCompact(utf8(JSON.stringify(credential)), signer, HEADER);
}

export function signLicenseMulti(credential: LicenseCredential, signers: readonly Signer[]): Promise<GeneralJws> {
  return signGeneral(utf8(JSON.stringify(credential)), signers, HEADER);
}
