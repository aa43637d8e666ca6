/**
 * Makes the text of a license's QR code: verification URL, identifier, and the core fields signed as a
 * compact JWS whose header names the signing certificate by key id only (`{"alg","typ","kid"}`).
 */
import { base64url, utf8 } from '../bytes.js';
import { ALGORITHMS } from '../crypto/algorithms.js';
import type { Signer } from '../crypto/signer.js';
import { ElicenseError } from '../errors.js';
import type { LicenseCredential } from '../license/credential.js';
import { licenseQrClaims } from './claims.js';
import { certificateKeyId } from './key-id.js';
import { composeLicenseQrText } from './qr-text.js';
import { MIN_QR_MODULE_MM, qrSymbolSize } from './symbol-size.js';

/** Explicit typing (RFC 8725 §3.11): this JWS cannot be taken for a license JWS or a status list. */
export const LICENSE_QR_TYPE = 'elicense-qr';

export interface SignLicenseQrOptions {
  /** The verification page; `?id=<identifier>` is added. */
  readonly verificationUrl: string;
}

async function signedForm(claims: Record<string, unknown>, signer: Signer, kid: string): Promise<string> {
  const header = base64url(utf8(JSON.stringify({ alg: signer.alg, typ: LICENSE_QR_TYPE, kid })));
  const payload = base64url(utf8(JSON.stringify(claims)));
  return `${header}.${payload}.${base64url(await signer.sign(utf8(`${header}.${payload}`)))}`;
}

/**
 * The QR text for `credential`, signed by `signer` (its first certificate is the one the key id names).
 * Status references are included when the symbol still prints with modules of at least 0.3 mm at the
 * page's QR size, and left out otherwise (status is then checked online); a symbol that is too large
 * even without them is ERR_INPUT_TOO_LARGE.
 */
export async function signLicenseQr(credential: LicenseCredential, signer: Signer, options: SignLicenseQrOptions): Promise<string> {
  if (!ALGORITHMS[signer.alg].canSign) throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${signer.alg} is accepted for verification only`);
  const certificate = signer.certificates[0];
  if (!certificate) throw new ElicenseError('ERR_INVALID_INPUT', 'the signer has no certificate for the QR key id', { field: 'signer.certificates' });
  const kid = await certificateKeyId(certificate);
  const identifier = credential.credentialSubject.certificateIdentifier;
  let text = '';
  for (const status of (credential.credentialStatus?.length ?? 0) > 0 ? [true, false] : [false]) {
    text = composeLicenseQrText(options.verificationUrl, identifier, await signedForm(licenseQrClaims(credential, { status }), signer, kid));
    if (qrSymbolSize(text).moduleMm >= MIN_QR_MODULE_MM) return text;
  }
  const size = qrSymbolSize(text);
  throw new ElicenseError(
    'ERR_INPUT_TOO_LARGE',
    `the QR text is ${utf8(text).length} bytes: version ${size.version}, ${size.modules} modules of ${size.moduleMm.toFixed(3)} mm, under ${MIN_QR_MODULE_MM} mm`,
    { field: 'qr.text' },
  );
}
