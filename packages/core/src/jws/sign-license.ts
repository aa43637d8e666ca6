/**
 * Signs a license credential as `vc+jwt` (W3C VC-JOSE-COSE): compact for one signer, general JSON for
 * several (e.g. ES256 and SM2SM3 over the same payload, so international and domestic verifiers both
 * accept it).
 */
import { utf8 } from '../bytes.js';
import type { Signer } from '../crypto/signer.js';
import type { LicenseCredential } from '../license/credential.js';
import { LICENSE_JWS_TYPE } from './header.js';
import { SEAL_HEADER, sealReferenceFor } from './seal-reference.js';
import { signCompact, signGeneral, type GeneralJws, type JwsHeaderParameters } from './sign.js';

const HEADER = { typ: LICENSE_JWS_TYPE, cty: 'vc' } as const;

export interface SignLicenseOptions {
  /** The office's electronic seal (DER SESeal): the protected header references it (`elicense:seal`). */
  readonly seal?: Uint8Array;
}

async function headerFor(signers: readonly Signer[], options: SignLicenseOptions): Promise<JwsHeaderParameters> {
  return options.seal ? { ...HEADER, [SEAL_HEADER]: await sealReferenceFor(options.seal, signers) } : HEADER;
}

export async function signLicenseCompact(credential: LicenseCredential, signer: Signer, options: SignLicenseOptions = {}): Promise<string> {
  return signCompact(utf8(JSON.stringify(credential)), signer, await headerFor([signer], options));
}

export async function signLicenseMulti(credential: LicenseCredential, signers: readonly Signer[], options: SignLicenseOptions = {}): Promise<GeneralJws> {
  return signGeneral(utf8(JSON.stringify(credential)), signers, await headerFor(signers, options));
}
