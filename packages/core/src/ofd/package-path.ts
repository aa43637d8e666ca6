/**
 * OFD locations (ST_Loc, GB/T 33190 §7.2): absolute ones start at the package root ("/Doc_0/…"), others
 * are relative to the folder of the file that names them ("Sign_0/Signature.xml" in Signatures.xml).
 * The result is a zip entry name; a location that climbs above the root is refused.
 */
import { ElicenseError } from '../errors.js';

export function resolveLocation(fromFile: string, location: string): string {
  const trimmed = location.trim();
  if (trimmed.length === 0 || trimmed.length > 1024 || trimmed.includes('\\') || trimmed.includes('\0')) {
    throw new ElicenseError('ERR_INVALID_INPUT', `${fromFile}: unusable location "${trimmed.slice(0, 80)}"`, { field: fromFile });
  }
  const base = trimmed.startsWith('/') ? [] : fromFile.split('/').slice(0, -1);
  for (const segment of trimmed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (base.length === 0) throw new ElicenseError('ERR_INVALID_INPUT', `${fromFile}: location "${trimmed}" leaves the package`, { field: fromFile });
      base.pop();
    } else base.push(segment);
  }
  if (base.length === 0) throw new ElicenseError('ERR_INVALID_INPUT', `${fromFile}: location "${trimmed}" names no file`, { field: fromFile });
  return base.join('/');
}
