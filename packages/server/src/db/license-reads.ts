/**
 * The hot read: a license with the consent that lets an approval system read it now, in one query.
 * On PostgreSQL it runs as a named prepared statement through the pool, so each connection parses and
 * plans it once instead of on every request (Kysely sends unnamed statements, planned every time); its
 * text is also built once here rather than by the query builder on every request. On SQLite it goes
 * through Kysely's connection, whose lock keeps it out of another request's open transaction.
 */
import { CompiledQuery } from 'kysely';
import type { DatabaseHandle } from './connect.js';
import type { ConsentsTable, LicensesTable } from './schema.js';

export interface LicenseWithGrant {
  readonly license: LicensesTable;
  readonly grant: ConsentsTable;
}

export interface LicenseReadQueries {
  /**
   * The license `identifier` and a consent of its holder, current at `now`, that lets `clientId` read it
   * for `purposeCode` (a grant of the whole license before one of some fields); undefined when there is
   * no such license or no such consent, which callers must not tell apart.
   */
  licenseWithGrant(clientId: string, identifier: string, purposeCode: string, now: string): Promise<LicenseWithGrant | undefined>;
}

const LICENSE_COLUMNS = [
  'identifier', 'lineage', 'type_code', 'office_code', 'serial', 'version', 'holder_code', 'holder_name', 'state', 'status_index',
  'supersedes', 'superseded_by', 'valid_from', 'valid_until', 'issued_at', 'credential', 'signed_json', 'pdf_blob', 'updated_at',
] as const satisfies readonly (keyof LicensesTable)[];

/** The consent's columns but holder_code (the license's), each under a name no license column has. */
const CONSENT_COLUMNS = [
  'id', 'client_id', 'lineage', 'type_code', 'purpose_code', 'purpose_name', 'fields', 'valid_from', 'valid_until', 'revoked_at', 'created_at',
] as const satisfies readonly Exclude<keyof ConsentsTable, 'holder_code'>[];

/** Compiles only while the two lists name every column of their tables. */
type Unlisted = Exclude<keyof LicensesTable, (typeof LICENSE_COLUMNS)[number]> | Exclude<keyof ConsentsTable, 'holder_code' | (typeof CONSENT_COLUMNS)[number]>;
export const everyColumnListed: [Unlisted] extends [never] ? true : never = true;

type Row = LicensesTable & { [K in (typeof CONSENT_COLUMNS)[number] as `c_${K}`]: ConsentsTable[K] };

/**
 * The consent conditions are findGrant's (services/consents.ts); keep the two the same. Parameters, in
 * order: client, purpose, now, now, identifier (SQLite's `?` are positional, so `now` appears twice).
 */
function licenseWithGrantSql(param: (n: number) => string): string {
  return `select ${LICENSE_COLUMNS.map((c) => `l.${c}`).join(', ')}, ${CONSENT_COLUMNS.map((c) => `c.${c} as c_${c}`).join(', ')}
from licenses l
join consents c on c.holder_code = l.holder_code
  and c.client_id = ${param(1)}
  and c.purpose_code = ${param(2)}
  and c.revoked_at is null
  and c.valid_from <= ${param(3)}
  and c.valid_until > ${param(4)}
  and (c.lineage = l.lineage or c.type_code = l.type_code)
where l.identifier = ${param(5)}
order by c.fields is not null
limit 1`;
}

function toLicenseWithGrant(row: Row): LicenseWithGrant {
  const license = {} as Record<string, unknown>;
  for (const column of LICENSE_COLUMNS) license[column] = row[column];
  const grant = { holder_code: row.holder_code } as Record<string, unknown>;
  for (const column of CONSENT_COLUMNS) grant[column] = row[`c_${column}`];
  return { license: license as unknown as LicensesTable, grant: grant as unknown as ConsentsTable };
}

export function licenseReadQueries(handle: Pick<DatabaseHandle, 'db' | 'dialect' | 'pool'>): LicenseReadQueries {
  const { pool } = handle;
  if (handle.dialect === 'postgres' && pool) {
    const text = licenseWithGrantSql((n) => `$${n}`);
    return {
      async licenseWithGrant(clientId, identifier, purposeCode, now) {
        const { rows } = await pool.query<Row>({ name: 'license-with-grant', text, values: [clientId, purposeCode, now, now, identifier] });
        return rows[0] && toLicenseWithGrant(rows[0]);
      },
    };
  }
  const text = licenseWithGrantSql(() => '?');
  return {
    async licenseWithGrant(clientId, identifier, purposeCode, now) {
      const { rows } = await handle.db.executeQuery<Row>(CompiledQuery.raw(text, [clientId, purposeCode, now, now, identifier]));
      return rows[0] && toLicenseWithGrant(rows[0]);
    },
  };
}
