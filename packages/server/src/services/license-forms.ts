/**
 * The two signed forms of a license: the JSON form (one JWS signature per office key: ES256 for
 * international verifiers, SM2 for domestic ones) and the sealed PDF (PAdES B-T, certified, with the
 * office's electronic seal, the QR code and the JSON form inside).
 */
import {
  authorityTimestamper,
  createTimeStampAuthority,
  issueLicensePdf,
  signLicenseCompact,
  signLicenseMulti,
  signLicenseQr,
  type LicenseCredential,
  type Signer,
  type Timestamper,
} from '@elicense/core';
import type { ServerContext } from '../context.js';

/** The time-stamp policy of the platform's own TSA, under the 2.999 example arc. */
const PLATFORM_TSA_POLICY = '2.999.1.1';

export interface SignedForms {
  readonly signedJson: string;
  readonly pdf: Uint8Array;
}

const timestampers = new WeakMap<ServerContext, Promise<Timestamper | undefined>>();

/** The platform's TSA, in-process; absent when the platform has no time-stamping key. */
function platformTimestamper(ctx: ServerContext): Promise<Timestamper | undefined> {
  let timestamper = timestampers.get(ctx);
  if (!timestamper) {
    timestamper = ctx.keys.platformSigner('time-stamping-authority').then(
      (signer) => authorityTimestamper(createTimeStampAuthority({ signer, policy: PLATFORM_TSA_POLICY, now: ctx.now })),
      () => undefined,
    );
    timestampers.set(ctx, timestamper);
  }
  return timestamper;
}

export function qrVerificationUrl(ctx: ServerContext): string {
  return `${ctx.config.publicUrl}/q`;
}

export async function signLicenseForms(ctx: ServerContext, credential: LicenseCredential, signers: readonly Signer[], seal: Uint8Array | undefined): Promise<SignedForms> {
  const primary = signers[0];
  if (!primary) throw new Error('the office has no active signing key');
  const sealOption = seal ? { seal } : {};
  const signedJson = signers.length > 1
    ? JSON.stringify(await signLicenseMulti(credential, signers, sealOption))
    : await signLicenseCompact(credential, primary, sealOption);
  const qrText = await signLicenseQr(credential, primary, { verificationUrl: qrVerificationUrl(ctx) });
  const timestamper = await platformTimestamper(ctx);
  const pdf = await issueLicensePdf({
    credential,
    type: ctx.registry.get(credential.credentialSubject.certificateTypeCode),
    signedJson,
    qrText,
    font: ctx.font,
    signer: primary,
    signingTime: ctx.now(),
    ...(seal ? { sesSeal: seal } : {}),
    ...(timestamper ? { timestamper } : {}),
  });
  return { signedJson, pdf };
}
