/**
 * Stage one of a PAdES signature: the PDF with a new incremental update holding the signature field,
 * its widget, and a signature dictionary (/SubFilter /ETSI.CAdES.detached) whose /Contents is a
 * placeholder. The caller makes the CMS over `coveredChunks()` and calls `embed`.
 */
import { PDFName, type PDFObject } from 'pdf-lib';
import { ElicenseError } from '../../errors.js';
import { pdfDate, pdfTextString } from '../write/pdf-text.js';
import { PdfUpdateDraft } from '../write/update-draft.js';
import { docMdpReference, setDocMdpPermissions, type DocMdpPermission } from './certification.js';
import { certificationLevel, listFormFields } from './form-fields.js';
import type { SignatureFieldOptions } from './signature-field.js';
import { stageSignatureUpdate } from './signature-update.js';
import type { StagedPdfSignature } from './staged-signature.js';

export interface PreparePdfSignatureOptions extends SignatureFieldOptions {
  /** The claimed signing time, written as /M: PAdES carries it here, not as a CMS signing-time attribute. */
  readonly signingTime: Date;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** The signer's name as shown by viewers; normally the certificate's subject says it. */
  readonly name?: string;
  /** Bytes reserved for the CMS (chain and signature timestamp included); 16 KiB by default. */
  readonly contentsSize?: number;
  /** Makes this the certification signature with these DocMDP permissions; only for the first signature. */
  readonly docMdp?: DocMdpPermission;
}

export async function preparePdfSignature(pdf: Uint8Array, options: PreparePdfSignatureOptions): Promise<StagedPdfSignature> {
  const draft = await PdfUpdateDraft.open(pdf);
  const level = certificationLevel(draft);
  if (level === 1) {
    throw new ElicenseError(
      'ERR_INVALID_INPUT',
      'the document is certified with no changes allowed (DocMDP P=1): only DSS and document timestamps may follow',
      { field: 'pdf' },
    );
  }
  if (options.docMdp !== undefined && (level !== undefined || listFormFields(draft).some((f) => f.signed))) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'only the first signature of a document can certify it', { field: 'docMdp' });
  }

  const entries: Array<readonly [string, PDFObject]> = [
    ['Type', PDFName.of('Sig')],
    ['Filter', PDFName.of('Adobe.PPKLite')],
    ['SubFilter', PDFName.of('ETSI.CAdES.detached')],
    ['M', pdfDate(options.signingTime, 'signingTime')],
  ];
  for (const [key, value] of [
    ['Name', options.name],
    ['Reason', options.reason],
    ['Location', options.location],
    ['ContactInfo', options.contactInfo],
  ] as const) {
    if (value !== undefined) entries.push([key, pdfTextString(value)]);
  }
  const docMdp = options.docMdp;
  if (docMdp !== undefined) entries.push(['Reference', docMdpReference(draft, docMdp)]);

  return stageSignatureUpdate({
    draft,
    entries,
    field: options,
    contentsSize: options.contentsSize,
    ...(docMdp === undefined ? {} : { beforeWrite: (signatureRef) => setDocMdpPermissions(draft, signatureRef) }),
  });
}
