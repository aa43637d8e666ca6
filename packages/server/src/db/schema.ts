/**
 * The tables, as Kysely sees them. Times are ISO 8601 text and JSON is text in both SQLite and
 * PostgreSQL, so one query works on both and a dump reads the same on either.
 */
import type { Generated } from 'kysely';

export interface SettingsTable {
  name: string;
  value: string;
}

export interface OfficesTable {
  /** 统一社会信用代码. */
  code: string;
  name: string;
  created_at: string;
}

export interface OfficeLicenseTypesTable {
  office_code: string;
  type_code: string;
}

export interface SigningKeysTable {
  id: string;
  /** The office the key signs for; the platform's own keys have the operator's code. */
  owner_code: string;
  /**
   * 'ca' rows hold a CA certificate the trust list names, 'root-ca' rows a root above them. A CA's key is
   * here (sealed) only when the platform runs that CA itself, as the demo does, to re-issue its CRLs.
   */
  role: 'ca' | 'root-ca' | 'issuer' | 'status-issuer' | 'trust-list-operator' | 'platform' | 'token' | 'time-stamping-authority';
  alg: string;
  /** PEM certificates, leaf first. */
  chain_pem: string;
  /** The PKCS#8 key sealed under the key-encryption key; null when the key lives in an HSM. */
  key_envelope: string | null;
  /** JSON { tokenLabel, keyLabel } for a key held in a PKCS#11 token. */
  hsm_key: string | null;
  active: number;
  created_at: string;
}

export interface SealsTable {
  es_id: string;
  office_code: string;
  /** base64 DER SES_Seal. */
  der: string;
  /** JSON TrustedSeal: its entry in the trust list. */
  registration: string;
}

export interface ClientsTable {
  id: string;
  kind: 'issuer' | 'approval-system' | 'holder-agent' | 'admin';
  name: string;
  secret_hash: string;
  office_code: string | null;
  holder_code: string | null;
  scopes: string;
  disabled: number;
  created_at: string;
}

export type LicenseState = 'valid' | 'suspended' | 'revoked' | 'superseded';

export interface LicensesTable {
  identifier: string;
  /** type.issuer.serial: the same for every version of one license. */
  lineage: string;
  type_code: string;
  office_code: string;
  serial: string;
  version: number;
  holder_code: string;
  holder_name: string;
  state: LicenseState;
  status_index: number;
  supersedes: string | null;
  superseded_by: string | null;
  valid_from: string;
  valid_until: string | null;
  issued_at: string;
  credential: string;
  /** The signed JSON form as issued (a compact or JSON-serialised JWS). */
  signed_json: string;
  /** The blob holding the signed PDF. */
  pdf_blob: string;
  updated_at: string;
}

export interface CountersTable {
  /** `serial:<office>:<type>` or `status:<type>`. */
  name: string;
  next_value: number;
}

export interface LicenseEventsTable {
  id: Generated<number>;
  identifier: string;
  action: 'issued' | 'revoked' | 'suspended' | 'reinstated' | 'renewed' | 'changed' | 'superseded';
  reason: string | null;
  actor: string;
  at: string;
}

export interface StatusListsTable {
  /** `<type>/<purpose>`. */
  id: string;
  signed: string;
  /** Changes since `signed` was made: a non-zero value makes the next read re-sign it. */
  stale: number;
  signed_at: string;
  etag: string;
}

export interface ConsentsTable {
  id: string;
  holder_code: string;
  client_id: string;
  /** One license (its lineage: every version) or every license of a type. */
  lineage: string | null;
  type_code: string | null;
  purpose_code: string;
  purpose_name: string;
  /** JSON array of credentialSubject.fields names, or null for the whole license. */
  fields: string | null;
  valid_from: string;
  valid_until: string;
  revoked_at: string | null;
  created_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  license: string | null;
  holder_code: string | null;
  purpose_code: string | null;
  /** JSON. */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface IdempotencyKeysTable {
  client_id: string;
  key: string;
  request_hash: string;
  status: number;
  body: string;
  created_at: string;
}

export interface JobsTable {
  id: string;
  client_id: string;
  office_code: string;
  state: 'queued' | 'running' | 'done';
  total: number;
  created_at: string;
  updated_at: string;
}

export interface JobItemsTable {
  job_id: string;
  item_no: number;
  /** JSON request of one license. */
  input: string;
  state: 'pending' | 'issued' | 'failed';
  identifier: string | null;
  error: string | null;
  /** The batch worker issuing the item now, until `lease_until` (ISO time); null when unclaimed. */
  lease_owner: string | null;
  lease_until: string | null;
}

export interface Database {
  settings: SettingsTable;
  offices: OfficesTable;
  office_license_types: OfficeLicenseTypesTable;
  signing_keys: SigningKeysTable;
  seals: SealsTable;
  clients: ClientsTable;
  licenses: LicensesTable;
  counters: CountersTable;
  license_events: LicenseEventsTable;
  status_lists: StatusListsTable;
  consents: ConsentsTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  jobs: JobsTable;
  job_items: JobItemsTable;
}
