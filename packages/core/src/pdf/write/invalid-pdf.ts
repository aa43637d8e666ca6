import { ElicenseError } from '../../errors.js';

/** The one error for a PDF this module cannot update safely: malformed, encrypted, or not what was asked. */
export function invalidPdf(message: string, cause?: unknown): ElicenseError {
  return new ElicenseError('ERR_INVALID_INPUT', message, cause === undefined ? { field: 'pdf' } : { field: 'pdf', cause });
}
