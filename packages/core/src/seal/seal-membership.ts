/**
 * GB/T 38540 step 3: the signer's certificate must be one the seal lists, byte for byte
 * (certListType 1) or by hash (certListType 2, where the hash is named only by a free-text type).
 */
import { bufferSource, equalBytes } from '../bytes.js';
import { sm3 } from '../crypto/sm3.js';
import { failed, passed } from '../verify/checks.js';
import type { Check } from '../verify/report.js';
import type { ParsedSesSeal } from './types.js';

type HashName = 'SM3' | 'SHA-256' | 'SHA-1';

function hashNamed(type: string): HashName | undefined {
  const name = type.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (name.includes('sm3')) return 'SM3';
  if (name.includes('sha256')) return 'SHA-256';
  if (name.includes('sha1')) return 'SHA-1';
  return undefined;
}

async function digest(name: HashName, data: Uint8Array): Promise<Uint8Array> {
  return name === 'SM3' ? sm3(data) : new Uint8Array(await crypto.subtle.digest(name, bufferSource(data)));
}

export async function checkSignerInSeal(seal: ParsedSesSeal, signerCertificate: Uint8Array): Promise<Check> {
  const id = 'ses.signer-in-seal';
  const { property } = seal;
  if (property.certListType === 1) {
    const index = property.certificates.findIndex((cert) => equalBytes(cert, signerCertificate));
    return index >= 0
      ? passed(id, `the signer's certificate is entry ${index + 1} of the ${property.certificates.length} the seal lists`)
      : failed(id, 'SIG_CONSTRAINTS_FAILURE', `the signer's certificate is not among the ${property.certificates.length} certificate(s) seal ${seal.esID} lists`);
  }
  const hashes = new Map<HashName, Uint8Array>();
  for (const [index, entry] of property.certDigests.entries()) {
    // A type we cannot name is tried against each hash we know: the value still has to match exactly.
    const named = hashNamed(entry.type);
    for (const name of named ? [named] : (['SM3', 'SHA-256', 'SHA-1'] as const)) {
      let hash = hashes.get(name);
      if (!hash) hashes.set(name, (hash = await digest(name, signerCertificate)));
      if (equalBytes(hash, entry.value)) return passed(id, `the ${name} hash of the signer's certificate is entry ${index + 1} of the seal's certificate hashes`);
    }
  }
  return failed(id, 'SIG_CONSTRAINTS_FAILURE', `no hash among the ${property.certDigests.length} seal ${seal.esID} lists matches the signer's certificate`);
}
