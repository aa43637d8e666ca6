/**
 * The electronic seal on a license PDF's issuing signature (seal-attribute.ts): the seal itself as
 * GB/T 38540 judges it (maker's signature, validity when signed, maker's path), the PDF signer as one
 * the seal lists, the trust list's registry (registered to the license's issuer, active, same picture),
 * and the visible seal: the widget must show the appearance the signer bound to the seal.
 */
import { equalBytes, toHex } from '../bytes.js';
import { sm3 } from '../crypto/sm3.js';
import type { CmsAttribute } from '../cms/index.js';
import { checkSealIssuer } from '../jws/seal-registry-checks.js';
import type { PathValidation } from '../pki/path.js';
import { checkChain } from '../seal/chain-checks.js';
import { parseSesSeal } from '../seal/parse-ses-seal.js';
import { readSealCertificate } from '../seal/seal-certificate.js';
import { checkSealRegistration, checkSealSignature, checkSealValidity } from '../seal/seal-checks.js';
import { checkSignerInSeal } from '../seal/seal-membership.js';
import { SES_VERSION_NAMES, type ParsedSesSeal } from '../seal/types.js';
import { chainContext, sealMakerAnchors, sesTrust, type SesVerifyOptions } from '../seal/verify-options.js';
import { errorMessage, failed, indeterminate, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import { readSealAttribute, type SealOnSignature } from './seal-attribute.js';
import type { SignatureAppearanceRead } from './signature-appearance.js';

export interface PdfSealInput {
  readonly signedAttributes: readonly CmsAttribute[] | undefined;
  /** The PDF signer's certificate, DER. */
  readonly signerCertificate: Uint8Array;
  readonly signerPath?: PathValidation;
  /** What the signature's widget shows. */
  readonly appearance: SignatureAppearanceRead;
  readonly issuerCode: string | undefined;
  /** When the seal was used: the trusted timestamp's time, else the time the signer states. */
  readonly sealingTime: { readonly time?: Date; readonly what: string };
  /** The time, trust and revocation data the seal maker's path is judged with. */
  readonly options: SesVerifyOptions;
}

export interface PdfSealOutcome {
  readonly checks: Check[];
  readonly warnings: string[];
}

/** The seal checks keep the seal module's meaning under `seal.*`, apart from the document's own `ses.*`. */
const RENAMED: Readonly<Record<string, string>> = {
  'ses.seal-signature': 'seal.signature',
  'ses.seal-validity': 'seal.validity',
  'ses.signer-in-seal': 'seal.signer-in-seal',
};
const renamed = (check: Check): Check => ({ ...check, id: RENAMED[check.id] ?? check.id });

/**
 * Without a seal attribute: an office that registers seals has declared its licenses sealed, so an
 * unsealed signature from it cannot be confirmed (INDETERMINATE); otherwise unsealed PDFs (older ones,
 * other tools, offices without seals) stay valid, with a warning that the appearance is not a checked seal.
 */
function noSeal(input: PdfSealInput): PdfSealOutcome {
  const registers = sesTrust(input.options).trustList?.issuers.find((issuer) => issuer.code === input.issuerCode && (issuer.seals?.length ?? 0) > 0);
  if (registers) {
    return { checks: [indeterminate('seal.present', 'SIG_CONSTRAINTS_FAILURE', `${registers.name} registers electronic seals, but this signature carries none`)], warnings: [] };
  }
  return { checks: [], warnings: ['the PDF signature carries no electronic seal (SES_Seal): its visible appearance is not a verified seal'] };
}

function checkAppearance(binding: SealOnSignature, appearance: SignatureAppearanceRead, seal: ParsedSesSeal): Check {
  const id = 'seal.appearance';
  if (!appearance.found) return failed(id, 'SIG_CONSTRAINTS_FAILURE', `the signature binds seal ${seal.esID} to an appearance, but ${appearance.reason}`);
  const shown = sm3(appearance.content);
  return equalBytes(shown, binding.appearanceSm3)
    ? passed(id, `the visible seal is the drawing of seal ${seal.esID}'s picture the signer bound to the seal`)
    : failed(id, 'SIG_CONSTRAINTS_FAILURE', `the visible seal (SM3 ${toHex(shown)}) is not the drawing of seal ${seal.esID}'s picture the signature names (SM3 ${toHex(binding.appearanceSm3)})`);
}

export async function checkPdfSeal(input: PdfSealInput): Promise<PdfSealOutcome> {
  let binding: SealOnSignature | undefined;
  try {
    binding = readSealAttribute(input.signedAttributes);
  } catch (error) {
    return { checks: [failed('seal.format', 'FORMAT_FAILURE', errorMessage(error))], warnings: [] };
  }
  if (!binding) return noSeal(input);
  let seal: ParsedSesSeal;
  try {
    seal = parseSesSeal(binding.seal);
  } catch (error) {
    return { checks: [failed('seal.format', 'FORMAT_FAILURE', `the signature's seal is not a readable SESeal: ${errorMessage(error)}`)], warnings: [] };
  }
  const trust = sesTrust(input.options);
  const makers = sealMakerAnchors(trust);
  // The maker's chain, the maker's signature and the signer's membership are checked at once.
  const pendingChain = checkChain(readSealCertificate(seal.makerCertificate), 'seal.cert', makers.anchors, makers.reason, chainContext(input.options, input.options.at));
  const pendingSignature = checkSealSignature(seal);
  const pendingMembership = checkSignerInSeal(seal, input.signerCertificate);
  for (const pending of [pendingChain, pendingSignature, pendingMembership]) pending.catch(() => undefined);
  const makerChain = await pendingChain;
  const { time, what } = input.sealingTime;
  return {
    checks: [
      passed('seal.present', `the signature carries seal ${seal.esID} "${seal.property.name}" as a signed attribute`),
      passed('seal.format', `SESeal ${SES_VERSION_NAMES[seal.version]} from ${seal.header.vendorId}, picture ${seal.picture.type} ${seal.picture.widthMm}×${seal.picture.heightMm} mm`),
      renamed(await pendingSignature),
      renamed(checkSealValidity(seal, time, what)),
      renamed(await pendingMembership),
      checkSealRegistration(seal, trust.trustList, time ?? input.options.at, input.signerPath),
      checkSealIssuer(seal.esID, trust.trustList, input.issuerCode),
      checkAppearance(binding, input.appearance, seal),
      ...makerChain.checks,
    ],
    warnings: [],
  };
}
