/**
 * Stage one of a document timestamp (PAdES B-LTA, ISO 32000-2 12.8.5): an invisible field whose
 * value is a /Type /DocTimeStamp dictionary with /SubFilter /ETSI.RFC3161. The TSA stamps the digest
 * of `coveredChunks()`; `embed` takes its TimeStampToken.
 */
import { PDFName } from 'pdf-lib';
import { PdfUpdateDraft } from '../write/update-draft.js';
import { stageSignatureUpdate } from './signature-update.js';
import type { StagedPdfSignature } from './staged-signature.js';

export interface PrepareDocumentTimestampOptions {
  /** Name of the new invisible field (or an existing empty signature field); `Signature<n>` by default. */
  readonly fieldName?: string;
  /** Bytes reserved for the TimeStampToken with the TSA's chain; 16 KiB by default. */
  readonly contentsSize?: number;
}

/** Allowed after a P=1 certification: document timestamps are exempt from DocMDP (see certification.ts). */
export async function prepareDocumentTimestamp(pdf: Uint8Array, options: PrepareDocumentTimestampOptions = {}): Promise<StagedPdfSignature> {
  const draft = await PdfUpdateDraft.open(pdf);
  return stageSignatureUpdate({
    draft,
    entries: [
      ['Type', PDFName.of('DocTimeStamp')],
      ['Filter', PDFName.of('Adobe.PPKLite')],
      ['SubFilter', PDFName.of('ETSI.RFC3161')],
    ],
    field: options.fieldName === undefined ? {} : { fieldName: options.fieldName },
    contentsSize: options.contentsSize,
  });
}
