/**
 * What a signature shows: the decoded normal appearance stream (/AP /N) of the signature field's
 * widget, read with the hostile-input parser from the revision a viewer displays.
 */
import { PdfStream, type RevisionView } from '../pdf/parse/index.js';
import { findSignatureFields } from '../pdf/verify/index.js';

/** A seal drawn as vectors or an image's Form XObject is far below this. */
const MAX_APPEARANCE_BYTES = 4 * 1024 * 1024;

export type SignatureAppearanceRead =
  | { readonly found: true; readonly content: Uint8Array }
  | { readonly found: false; readonly reason: string };

function absent(reason: string): SignatureAppearanceRead {
  return { found: false, reason };
}

export async function readSignatureAppearance(view: RevisionView, fieldName: string): Promise<SignatureAppearanceRead> {
  const fields = findSignatureFields(view).filter((field) => field.name === fieldName);
  if (fields.length !== 1) return absent(fields.length === 0 ? `no signature field named "${fieldName}" in the AcroForm` : `${fields.length} signature fields are named "${fieldName}"`);
  const widgets = fields[0]!.widgets;
  if (widgets.length !== 1) return absent(`the signature field has ${widgets.length} widgets, not one`);
  const normal = view.resolve(view.dict(widgets[0]!.dict.get('AP'))?.get('N'));
  if (!(normal instanceof PdfStream)) return absent('the signature widget has no normal appearance stream (/AP /N)');
  const decoded = await view.decode(normal);
  if (!decoded.decoded) return absent(`the appearance stream uses the ${decoded.filter} filter, which is not read`);
  if (decoded.data.length > MAX_APPEARANCE_BYTES) return absent(`the appearance stream is larger than ${MAX_APPEARANCE_BYTES} bytes`);
  return { found: true, content: decoded.data };
}
