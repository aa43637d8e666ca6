/**
 * The signed JSON license travels inside its PDF as an associated file (PDF 2.0 §14.13, as in PDF/A-3):
 * `license.jws` in the EmbeddedFiles name tree and in the catalog's /AF, with /AFRelationship /Data (it
 * is the data the page presents). Its /Subtype says which JWS serialization it holds.
 */
import { fromUtf8 } from '../../bytes.js';
import { ElicenseError } from '../../errors.js';
import { parseJsonStrict, isJsonObject } from '../../json/strict-parse.js';
import { parseJws } from '../../jws/parse.js';
import type { LicenseCredential } from '../../license/credential.js';

export const EMBEDDED_LICENSE_FILE_NAME = 'license.jws';
/** The compact serialization is a `vc+jwt` (W3C VC-JOSE-COSE); the JSON serializations are `jose+json` (RFC 7515 §9.2). */
export const EMBEDDED_LICENSE_MEDIA_TYPES = { compact: 'application/vc+jwt', json: 'application/jose+json' } as const;
export const EMBEDDED_LICENSE_DESCRIPTION = '电子证照数据（签名的 JSON 证照，JWS）';

/** The media type for the embedded file, after checking the JWS is the license the page shows. */
export function licenseJwsMediaType(signedJson: string, credential: LicenseCredential): string {
  if (typeof signedJson !== 'string') {
    throw new ElicenseError('ERR_INVALID_INPUT', 'signedJson is the JWS string of the license', { field: 'signedJson' });
  }
  const jws = parseJws(signedJson);
  let payload: unknown;
  try {
    payload = parseJsonStrict(fromUtf8(jws.payload));
  } catch (cause) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'the JWS payload is not a JSON license', { cause, field: 'signedJson' });
  }
  if (!isJsonObject(payload) || payload.id !== credential.id) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'signedJson signs a different license than the one rendered', { field: 'signedJson' });
  }
  return jws.form === 'compact' ? EMBEDDED_LICENSE_MEDIA_TYPES.compact : EMBEDDED_LICENSE_MEDIA_TYPES.json;
}
