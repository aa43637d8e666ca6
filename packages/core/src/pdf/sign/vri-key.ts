import { sha1 } from '@noble/hashes/legacy.js';
import { toHex } from '../../bytes.js';

/**
 * The /VRI key of a signature (ETSI EN 319 142-1 5.4.2.2): uppercase hex SHA-1 of its whole /Contents
 * value, the CMS with the zero padding that fills the placeholder.
 */
export function vriKey(signatureContents: Uint8Array): string {
  return toHex(sha1(signatureContents)).toUpperCase();
}
