/** Small constructors so every module writes checks the same way. */
import type { Check, SubIndication } from './report.js';

type Extra = { readonly signature?: number; readonly details?: Readonly<Record<string, unknown>> };

// Every verification builds a dozen checks: the common case (no extra) takes no object spread.

export function passed(id: string, message: string, extra?: Extra): Check {
  return extra === undefined ? { id, indication: 'TOTAL_PASSED', message } : { id, indication: 'TOTAL_PASSED', message, ...extra };
}

export function failed(id: string, subIndication: SubIndication, message: string, extra?: Extra): Check {
  return extra === undefined
    ? { id, indication: 'TOTAL_FAILED', subIndication, message }
    : { id, indication: 'TOTAL_FAILED', subIndication, message, ...extra };
}

export function indeterminate(id: string, subIndication: SubIndication, message: string, extra?: Extra): Check {
  return extra === undefined
    ? { id, indication: 'INDETERMINATE', subIndication, message }
    : { id, indication: 'INDETERMINATE', subIndication, message, ...extra };
}

/** Tags checks with the index of the signature they belong to. */
export function forSignature(checks: readonly Check[], index: number): Check[] {
  return checks.map((check) => Object.assign({}, check, { signature: index }));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
