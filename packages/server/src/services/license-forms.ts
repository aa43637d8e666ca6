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
  type LicenseType,
  type Signer,
  type Timestamper,
} from '@elicense/core';
import type { ServerContext } from '../context.js';

/** The time-stamp policy of the platform's own TSA, under the 2.999 example arc. */
const PLATFORM_TSA_POLICY = '2.999.1.1';

export interface SignedForms {
  readonly signedJson: string;
  /** Absent when only the JSON form was asked for. */
  readonly pdf?: Uint8Array;
}

/** What signing needs besides the license: the same on the main thread and in a signing worker. */
export interface SigningMaterial {
  /** The office's active signers, ES256 first, SM2 after; the first also signs the QR code and the PDF. */
  readonly signers: readonly Signer[];
  /** The office's electronic seal (DER SESeal). */
  readonly seal?: Uint8Array;
  /** The platform's time-stamping key; without it the PDF has no signature timestamp. */
  readonly timeStampingSigner?: Signer;
  readonly font: Uint8Array;
  /** The QR code's verification page. */
  readonly verificationUrl: string;
  readonly now: () => Date;
}

/** The platform's TSA, in-process. */
export function platformTimestamper(signer: Signer, now: () => Date): Timestamper {
  return authorityTimestamper(createTimeStampAuthority({ signer, policy: PLATFORM_TSA_POLICY, now }));
}

/** The page a license's QR code sends a phone to. */
export function qrVerificationUrl(publicUrl: string): string {
  return `${publicUrl}/q`;
}

/** Signs the JSON form, and unless `jsonOnly`, the QR code and the sealed PDF. Needs no server context. */
export async function makeLicenseForms(material: SigningMaterial, credential: LicenseCredential, type: LicenseType, options: { jsonOnly?: boolean } = {}): Promise<SignedForms> {
  const { signers, seal } = material;
  const primary = signers[0];
  if (!primary) throw new Error('the office has no active signing key');
  const sealOption = seal ? { seal } : {};
  const signedJson = signers.length > 1
    ? JSON.stringify(await signLicenseMulti(credential, signers, sealOption))
    : await signLicenseCompact(credential, primary, sealOption);
  if (options.jsonOnly) return { signedJson };
  const qrText = await signLicenseQr(credential, primary, { verificationUrl: material.verificationUrl });
  const pdf = await issueLicensePdf({
    credential,
    type,
    signedJson,
    qrText,
    font: material.font,
    signer: primary,
    signingTime: material.now(),
    ...(seal ? { sesSeal: seal } : {}),
    ...(material.timeStampingSigner ? { timestamper: platformTimestamper(material.timeStampingSigner, material.now) } : {}),
  });
  return { signedJson, pdf };
}

/** Signs on the calling thread with the keystore's signers (any key, HSM-held ones included). */
export async function signLicenseForms(ctx: ServerContext, credential: LicenseCredential, signers: readonly Signer[], seal: Uint8Array | undefined): Promise<SignedForms & { pdf: Uint8Array }> {
  const timeStampingSigner = await ctx.keys.platformSigner('time-stamping-authority').catch(() => undefined);
  const forms = await makeLicenseForms(
    { signers, ...(seal ? { seal } : {}), ...(timeStampingSigner ? { timeStampingSigner } : {}), font: ctx.font, verificationUrl: qrVerificationUrl(ctx.config.publicUrl), now: ctx.now },
    credential,
    ctx.registry.get(credential.credentialSubject.certificateTypeCode),
  );
  return { signedJson: forms.signedJson, pdf: forms.pdf! };
}
