/**
 * The PDF form of a license as an issuing office produces it: rendered from the license data, then
 * certified (DocMDP P=1: afterwards only validation data and timestamps may be added) with a visible
 * signature whose appearance is the office's seal, over its name and the issue date.
 */
import type { Signer } from '../crypto/signer.js';
import { ElicenseError } from '../errors.js';
import type { LicenseCredential } from '../license/credential.js';
import type { LicenseType } from '../license/types/license-type.js';
import { drawOfficialSeal, licenseSealPlacement, renderLicensePdf, type OfficialSealOptions } from '../pdf/render/index.js';
import { sealedAppearance } from './sealed-appearance.js';
import { addDocumentTimestamp, addValidationData, signPdf, type ValidationData } from './sign-pdf.js';
import type { Timestamper } from './timestamper.js';

export interface IssueLicensePdfOptions {
  readonly credential: LicenseCredential;
  readonly type: LicenseType;
  /** The signed JSON form of the same license, embedded as license.jws. */
  readonly signedJson: string;
  /** What the QR code holds. */
  readonly qrText: string;
  /** TrueType-outline CJK font bytes; pass the same array every time (the parsed font is cached per array). */
  readonly font: Uint8Array;
  /** The issuing office's signer; its certificate names the office the license names. */
  readonly signer: Signer;
  readonly signingTime: Date;
  /** The seal's look; the organisation name defaults to the license's issuing authority. */
  readonly seal?: Partial<Omit<OfficialSealOptions, 'font'>>;
  /**
   * The office's electronic seal (DER SESeal, GB/T 38540), carried in the signature. Its picture must be
   * the official seal `seal` describes (made by `officialSealPicture` with the same options and font).
   */
  readonly sesSeal?: Uint8Array;
  /** B-T: a signature timestamp. */
  readonly timestamper?: Timestamper;
  /** B-LT: chains and CRLs added to the DSS after signing (needs the timestamper for a meaningful B-LT). */
  readonly validationData?: ValidationData;
  /** B-LTA: a document timestamp after the DSS (uses the timestamper). */
  readonly archiveTimestamp?: boolean;
}

export async function issueLicensePdf(options: IssueLicensePdfOptions): Promise<Uint8Array> {
  const { credential, type, font } = options;
  const unsigned = await renderLicensePdf({ credential, type, signedJson: options.signedJson, qr: { text: options.qrText }, font });
  const look: OfficialSealOptions = {
    organizationName: credential.credentialSubject.certificateIssuingAuthorityName,
    centerText: '电子证照专用章',
    ...options.seal,
    font,
  };
  const seal = options.sesSeal ? await sealedAppearance(options.sesSeal, options.signer, look) : drawOfficialSeal(look);
  const placement = licenseSealPlacement({ credential, type, font, ...(options.seal?.diameterMm ? { seal: { diameterMm: options.seal.diameterMm } } : {}) });
  let pdf = await signPdf(unsigned, {
    signer: options.signer,
    signingTime: options.signingTime,
    fieldName: '颁证机构签章',
    visible: {
      page: placement.pageIndex,
      rect: [...placement.rect],
      appearance: { width: seal.size, height: seal.size, operators: seal.operators },
    },
    reason: `签发电子证照 ${credential.credentialSubject.certificateIdentifier}`,
    docMdp: 1,
    ...(options.sesSeal ? { seal: options.sesSeal } : {}),
    ...(options.timestamper ? { timestamper: options.timestamper } : {}),
  });
  if (options.validationData) pdf = await addValidationData(pdf, options.validationData);
  if (options.archiveTimestamp) {
    if (!options.timestamper) throw new ElicenseError('ERR_INVALID_INPUT', 'an archive timestamp needs a timestamper', { field: 'archiveTimestamp' });
    pdf = await addDocumentTimestamp(pdf, options.timestamper);
  }
  return pdf;
}
