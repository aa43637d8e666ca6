/**
 * PAdES baseline signing over the staged PDF writer: B-B (CMS with signing-certificate-v2 over the
 * ByteRange), B-T (plus an RFC 3161 token over the signature value), then B-LT (a DSS with the chain
 * and CRLs) and B-LTA (a document timestamp), each as an incremental update that leaves earlier
 * signatures intact.
 */
import { addUnsignedAttribute, CMS_OID, cmsDigestAlgorithm, computeDigest, parseCmsSignedData, signCmsDetached } from '../cms/index.js';
import type { Signer } from '../crypto/signer.js';
import { ElicenseError } from '../errors.js';
import { addDss, preparePdfSignature, prepareDocumentTimestamp, vriKey, type VisibleSignature } from '../pdf/sign/index.js';
import { digestSignedChunks } from '../pdf/verify/index.js';
import type { DocMdpPermission } from '../pdf/verify/index.js';
import { sealAttribute } from './seal-attribute.js';
import type { Timestamper } from './timestamper.js';

export interface SignPdfOptions {
  readonly signer: Signer;
  /** Written as /M; the proven time comes from the timestamp. */
  readonly signingTime: Date;
  readonly fieldName?: string;
  readonly visible?: VisibleSignature;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** Certify the document (the first signature only). A license is certified with 1: only LTV data may follow. */
  readonly docMdp?: DocMdpPermission;
  /** Adds a signature timestamp (B-T). */
  readonly timestamper?: Timestamper;
  /** Bytes reserved for the CMS; 16 KiB by default, plus the seal's size when there is one. */
  readonly contentsSize?: number;
  /**
   * The office's electronic seal (DER SESeal), carried as a signed attribute with the SM3 of the visible
   * appearance, which must then be the seal's picture as drawn (see seal-attribute.ts). Needs `visible`.
   */
  readonly seal?: Uint8Array;
}

/** What preparePdfSignature reserves for the CMS when not told otherwise. */
const DEFAULT_CONTENTS_SIZE = 16 * 1024;

/** Signs to PAdES B-B, or B-T with a timestamper. The Signer may be remote or an HSM: it signs only the CMS signed attributes. */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<Uint8Array> {
  const { signer, seal } = options;
  if (seal && !options.visible) throw new ElicenseError('ERR_INVALID_INPUT', 'a sealed signature shows its seal: give the visible appearance', { field: 'visible' });
  const contentsSize = options.contentsSize ?? (seal ? DEFAULT_CONTENTS_SIZE + seal.length : undefined);
  const staged = await preparePdfSignature(pdf, {
    signingTime: options.signingTime,
    ...(options.fieldName === undefined ? {} : { fieldName: options.fieldName }),
    ...(options.visible === undefined ? {} : { visible: options.visible }),
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    ...(options.location === undefined ? {} : { location: options.location }),
    ...(options.contactInfo === undefined ? {} : { contactInfo: options.contactInfo }),
    ...(options.docMdp === undefined ? {} : { docMdp: options.docMdp }),
    ...(contentsSize === undefined ? {} : { contentsSize }),
  });
  const contentDigest = await digestSignedChunks(staged.coveredChunks(), cmsDigestAlgorithm(signer.alg));
  const extraSignedAttributes = seal && options.visible ? [sealAttribute(seal, options.visible.appearance.operators)] : [];
  let cms = await signCmsDetached({ contentDigest }, signer, { extraSignedAttributes });
  if (options.timestamper) {
    // The token covers the SignerInfo's signature value as stored (ETSI EN 319 122-1 §5.3).
    const stored = parseCmsSignedData(cms).signerInfos[0]!.signature;
    const token = await options.timestamper(await computeDigest('SHA-256', stored), 'SHA-256');
    cms = addUnsignedAttribute(cms, CMS_OID.signatureTimeStampToken, token);
  }
  return staged.embed(cms);
}

export interface ValidationData {
  /** DER certificates: the signers' and TSAs' chains. */
  readonly certificates: readonly Uint8Array[];
  /** DER CRLs covering them. */
  readonly crls: readonly Uint8Array[];
}

/** B-LT: adds the chains and revocation data to the DSS, with a VRI entry for each given signature /Contents. */
export async function addValidationData(pdf: Uint8Array, data: ValidationData, signatureContents: readonly Uint8Array[] = []): Promise<Uint8Array> {
  const vri: Record<string, { certificates: readonly Uint8Array[]; crls: readonly Uint8Array[] }> = {};
  for (const contents of signatureContents) vri[vriKey(contents)] = { certificates: data.certificates, crls: data.crls };
  return addDss(pdf, { certificates: data.certificates, crls: data.crls, ...(signatureContents.length > 0 ? { vri } : {}) });
}

/** B-LTA: a document timestamp over everything so far, so the validation data stays provable after the certificates expire. */
export async function addDocumentTimestamp(pdf: Uint8Array, timestamper: Timestamper, options: { fieldName?: string; contentsSize?: number } = {}): Promise<Uint8Array> {
  const staged = await prepareDocumentTimestamp(pdf, options);
  const digest = await digestSignedChunks(staged.coveredChunks(), 'SHA-256');
  return staged.embed(await timestamper(digest, 'SHA-256'));
}
