/**
 * The hot read: a license with the consent that lets an approval system read it now, in one query.
 * On PostgreSQL it runs as a named prepared statement through the pool, so each connection parses and
 * plans it once instead of on every request (Kysely sends unnamed statements, planned every time); its
 * text is also built once here rather than by the query builder on every request. Reads that arrive
 * while earlier ones are at the database go together in one statement (see batchedReads). On SQLite it
 * goes through Kysely's connection, whose lock keeps it out of another request's open transaction.
 */
import { CompiledQuery } from 'kysely';
import type pg from 'pg';
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

const SELECTED = `${LICENSE_COLUMNS.map((c) => `l.${c}`).join(', ')}, ${CONSENT_COLUMNS.map((c) => `c.${c} as c_${c}`).join(', ')}`;

/**
 * A license joined with its holder's consents that let `client` read it for `purpose` at `now`. The
 * conditions are findGrant's (services/consents.ts); keep the two the same. A grant of the whole license
 * comes before one of some fields.
 */
function withGrants(client: string, purpose: string, now: string, nowAgain: string): string {
  return `from licenses l
join consents c on c.holder_code = l.holder_code
  and c.client_id = ${client}
  and c.purpose_code = ${purpose}
  and c.revoked_at is null
  and c.valid_from <= ${now}
  and c.valid_until > ${nowAgain}
  and (c.lineage = l.lineage or c.type_code = l.type_code)`;
}

/** SQLite, one license. Parameters: client, purpose, now, now (positional), identifier. */
const LICENSE_WITH_GRANT_SQL = `select ${SELECTED}
${withGrants('?', '?', '?', '?')}
where l.identifier = ?
order by c.fields is not null
limit 1`;

/** PostgreSQL, many licenses, each with its first grant. Parameters: client, purpose, now, identifiers. */
const LICENSES_WITH_GRANT_SQL = `select distinct on (l.identifier) ${SELECTED}
${withGrants('$1', '$2', '$3', '$3')}
where l.identifier = any($4::text[])
order by l.identifier, c.fields is not null`;

/** Statements of this kind at the database at once; reads arriving meanwhile wait and go together. */
const READS_IN_FLIGHT = 2;
/** Identifiers in one statement at most. */
const READS_PER_STATEMENT = 256;

interface WaitingRead {
  readonly identifier: string;
  readonly now: string;
  readonly resolve: (found: LicenseWithGrant | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Under load, one statement per read is most of what a fetch costs the server and the database: a round
 * trip, a pool checkout, the row description parsed again, a backend woken. Here at most
 * READS_IN_FLIGHT statements run at once; reads that arrive meanwhile queue by client and purpose, and
 * the next free slot takes a whole queue as one statement. A lone read goes at once, as before. A batch
 * judges its consents at the latest of its reads' times: each read asked for a consent current when it
 * was made, and this one is the moment the rows are read.
 */
function batchedReads(pool: pg.Pool): LicenseReadQueries {
  /** Waiting reads by client and purpose. */
  const queues = new Map<string, { clientId: string; purposeCode: string; reads: WaitingRead[] }>();
  let inFlight = 0;

  async function runBatch(clientId: string, purposeCode: string, batch: readonly WaitingRead[]): Promise<void> {
    try {
      const now = batch.reduce((latest, read) => (read.now > latest ? read.now : latest), batch[0]!.now);
      const identifiers = [...new Set(batch.map((read) => read.identifier))];
      const { rows } = await pool.query<Row>({ name: 'licenses-with-grant', text: LICENSES_WITH_GRANT_SQL, values: [clientId, purposeCode, now, identifiers] });
      const found = new Map(rows.map((row) => [row.identifier, row]));
      for (const read of batch) {
        const row = found.get(read.identifier);
        read.resolve(row && toLicenseWithGrant(row));
      }
    } catch (error) {
      for (const read of batch) read.reject(error);
    }
  }

  function startNext(): void {
    while (inFlight < READS_IN_FLIGHT && queues.size > 0) {
      const [key, queue] = queues.entries().next().value!;
      const batch = queue.reads.splice(0, READS_PER_STATEMENT);
      if (queue.reads.length === 0) queues.delete(key);
      inFlight++;
      void runBatch(queue.clientId, queue.purposeCode, batch).finally(() => {
        inFlight--;
        startNext();
      });
    }
  }

  return {
    licenseWithGrant(clientId, identifier, purposeCode, now) {
      return new Promise((resolve, reject) => {
        const key = JSON.stringify([clientId, purposeCode]);
        let queue = queues.get(key);
        if (!queue) queues.set(key, (queue = { clientId, purposeCode, reads: [] }));
        queue.reads.push({ identifier, now, resolve, reject });
        startNext();
      });
    },
  };
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
  if (handle.dialect === 'postgres' && pool) return batchedReads(pool);
  return {
    async licenseWithGrant(clientId, identifier, purposeCode, now) {
      const { rows } = await handle.db.executeQuery<Row>(CompiledQuery.raw(LICENSE_WITH_GRANT_SQL, [clientId, purposeCode, now, now, identifier]));
      return rows[0] && toLicenseWithGrant(rows[0]);
    },
  };
}
