/** SHA-256 through WebCrypto, as bytes or lowercase hex (the form reports use). */
import { bufferSource, toHex } from '../bytes.js';

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bufferSource(data)));
}

export async function sha256Hex(data: Uint8Array): Promise<string> {
  return toHex(await sha256(data));
}
