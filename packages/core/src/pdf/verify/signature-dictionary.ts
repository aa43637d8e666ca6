/** What makes a dictionary a signature value, whatever field (if any) holds it. */
import { isName, type PdfDict } from '../parse/index.js';

/** A dictionary that a viewer or verifier would take for a signature value. */
export function looksLikeSignature(dict: PdfDict): boolean {
  if (isName(dict.get('Type'), 'Sig') || isName(dict.get('Type'), 'DocTimeStamp')) return true;
  return dict.has('ByteRange') && dict.has('Contents') && dict.has('Filter');
}
