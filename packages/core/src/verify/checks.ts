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

/** The four checks of a certificate path (pki/path.ts). */
const PATH_PARTS = ['chain', 'validity', 'constraints', 'revocation'] as const;

/**
 * The path checks, INDETERMINATE, when no path could be judged (nothing trusted): never passed. `prefix`
 * names whose path it is: `cert` for the signer, `tsp.cert` for a time-stamping authority, `seal.cert`
 * for a seal maker.
 */
export function pathNotChecked(reason: string, prefix = 'cert'): Check[] {
  return PATH_PARTS.map((part) => indeterminate(`${prefix}.${part}`, 'NO_CERTIFICATE_CHAIN_FOUND', `not checked: ${reason}`));
}

/** pki/path.ts's `cert.*` checks under another prefix, so another party's path never reads as the signer's. */
export function withPathPrefix(checks: readonly Check[], prefix: string): Check[] {
  return prefix === 'cert' ? [...checks] : checks.map((check) => ({ ...check, id: check.id.replace(/^cert\./, `${prefix}.`) }));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
