/** Zip method 8 (raw DEFLATE) for the OFD reader: bounded inflate, failures naming the entry. */
import { ElicenseError } from '../errors.js';
import { inflateBounded } from '../inflate.js';

export function inflateRawBounded(input: Uint8Array, maxOutput: number, name: string): Uint8Array {
  const result = inflateBounded(input, maxOutput, 'raw');
  if (result.ok) return result.data;
  if (result.reason === 'too-large') throw new ElicenseError('ERR_INPUT_TOO_LARGE', `zip entry ${name} inflates to more than ${maxOutput} bytes`, { field: name });
  throw new ElicenseError('ERR_INVALID_INPUT', `zip entry ${name} does not inflate: ${result.message}`, { field: name });
}
