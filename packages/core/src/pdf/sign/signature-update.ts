/** What signatures and document timestamps share: the dictionary object, its field, the staged result. */
import type { PDFObject, PDFRef } from 'pdf-lib';
import { ElicenseError } from '../../errors.js';
import type { PdfUpdateDraft } from '../write/update-draft.js';
import { signatureDictionary } from './signature-dictionary.js';
import { attachSignatureField, type SignatureFieldOptions } from './signature-field.js';
import { stageSignature, type StagedPdfSignature } from './staged-signature.js';

/** Room for a CMS with a three-certificate chain and an RFC 3161 timestamp carrying its own chain. */
export const DEFAULT_CONTENTS_SIZE = 16_384;
const MAX_CONTENTS_SIZE = 1024 * 1024;

export interface SignatureUpdate {
  readonly draft: PdfUpdateDraft;
  /** Entries of the signature dictionary besides /ByteRange and /Contents, in writing order. */
  readonly entries: ReadonlyArray<readonly [string, PDFObject]>;
  readonly field: SignatureFieldOptions;
  readonly contentsSize: number | undefined;
  /** Called with the signature dictionary's reference before the update is written (e.g. for /Perms). */
  readonly beforeWrite?: (signatureRef: PDFRef) => void;
}

export function stageSignatureUpdate(update: SignatureUpdate): StagedPdfSignature {
  const contentsSize = update.contentsSize ?? DEFAULT_CONTENTS_SIZE;
  if (!Number.isInteger(contentsSize) || contentsSize < 64 || contentsSize > MAX_CONTENTS_SIZE) {
    throw new ElicenseError('ERR_INVALID_INPUT', `contentsSize must be an integer from 64 to ${MAX_CONTENTS_SIZE}`, { field: 'contentsSize' });
  }
  const { draft } = update;
  const signatureRef = draft.allocate();
  const fieldName = attachSignatureField(draft, signatureRef, update.field);
  update.beforeWrite?.(signatureRef);
  const layout = signatureDictionary(update.entries, contentsSize);
  draft.put(signatureRef, layout.bytes);
  return stageSignature(draft.write(), signatureRef.objectNumber, layout, fieldName);
}
