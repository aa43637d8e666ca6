/** What each kind of client may do. A token carries the scopes of its client, never more. */
export const SCOPES = {
  'licenses:issue': 'issue licenses of the office\'s authorised types, alone or in batches',
  'licenses:manage': 'revoke, suspend, reinstate, renew and change the office\'s licenses',
  'licenses:read': 'read licenses a holder has shared, for the purpose they were shared for',
  'consents:manage': 'grant and withdraw a holder\'s consent, and read who used the holder\'s licenses',
  'audit:verify': 'verify the audit chain',
  'admin': 'manage clients',
} as const;

export type Scope = keyof typeof SCOPES;

export type ClientKind = 'issuer' | 'approval-system' | 'holder-agent' | 'admin';

export const DEFAULT_SCOPES: Record<ClientKind, readonly Scope[]> = {
  issuer: ['licenses:issue', 'licenses:manage'],
  'approval-system': ['licenses:read'],
  'holder-agent': ['consents:manage'],
  admin: ['audit:verify', 'admin'],
};
