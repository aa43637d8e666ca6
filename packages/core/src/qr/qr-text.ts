/**
 * The text a license QR code holds: the verification page's URL with the identifier, then the signed
 * form in the URL fragment:
 *
 *   https://verify.example.gov.cn/v1?id=<identifier>#<compact JWS>
 *
 * A phone camera opens the page for the identifier. The signed form sits in the fragment because
 * browsers never send a fragment to the server (RFC 3986 §3.5): the page works without it, the holder's
 * name stays out of server and proxy logs, and the page's own script can still read it and verify offline.
 */
import { ElicenseError } from '../errors.js';

/** The most a QR symbol holds in byte mode (version 40-L); longer text cannot have come from one. */
export const MAX_LICENSE_QR_TEXT = 2953;

export interface LicenseQrText {
  /** The URL without the fragment. */
  readonly verificationUrl: string;
  /** The URL's `id` parameter, when present. */
  readonly identifier?: string;
  /** The fragment: the compact JWS; absent in a QR that holds only a URL. */
  readonly signed?: string;
}

function invalid(message: string): never {
  throw new ElicenseError('ERR_QR_INVALID', message, { field: 'qr.text' });
}

function httpUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid(`${what} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(`${what} is not an http(s) URL`);
  return url;
}

export function composeLicenseQrText(verificationUrl: string, identifier: string, signed: string): string {
  const url = httpUrl(verificationUrl, 'the verification URL');
  if (url.hash !== '') invalid('the verification URL must not have a fragment: the signed form goes there');
  url.searchParams.set('id', identifier);
  return `${url.href}#${signed}`;
}

/** Splits QR text into URL, identifier and signed part; ERR_QR_INVALID when it is not a license QR. */
export function parseLicenseQrText(text: string): LicenseQrText {
  if (typeof text !== 'string' || text.length === 0) invalid('the QR code is empty');
  if (text.length > MAX_LICENSE_QR_TEXT) {
    throw new ElicenseError('ERR_INPUT_TOO_LARGE', `${text.length} characters is more than a QR code holds`, { field: 'qr.text' });
  }
  const hash = text.indexOf('#');
  const urlText = hash < 0 ? text : text.slice(0, hash);
  const url = httpUrl(urlText, 'the QR code text');
  const identifier = url.searchParams.get('id') ?? undefined;
  const signed = hash < 0 ? undefined : text.slice(hash + 1);
  return {
    verificationUrl: urlText,
    ...(identifier === undefined ? {} : { identifier }),
    ...(signed === undefined || signed === '' ? {} : { signed }),
  };
}
