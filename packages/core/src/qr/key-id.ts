/**
 * A QR cannot carry a certificate, so it names its signer by key id: the first 8 bytes of SHA-256 over
 * the DER certificate, base64url (11 characters), as the EU Digital COVID Certificate does. The verifier
 * looks the id up among certificates it already holds.
 */
import { base64url, equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/digest.js';

const KEY_ID_BYTES = 8;

/** Trust lists repeat the same certificate arrays for every verification: each is hashed once. */
const keyIds = new WeakMap<Uint8Array, Promise<string>>();

export function certificateKeyId(certificate: Uint8Array): Promise<string> {
  let kid = keyIds.get(certificate);
  if (!kid) {
    kid = sha256(certificate).then((digest) => base64url(digest.subarray(0, KEY_ID_BYTES)));
    keyIds.set(certificate, kid);
  }
  return kid;
}

/** The certificates of `pool` whose key id is `kid`, each once. */
export async function certificatesWithKeyId(kid: string, pool: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const ids = await Promise.all(pool.map((der) => certificateKeyId(der)));
  const found: Uint8Array[] = [];
  for (const [i, id] of ids.entries()) {
    const der = pool[i]!;
    if (id === kid && !found.some((f) => equalBytes(f, der))) found.push(der);
  }
  return found;
}
