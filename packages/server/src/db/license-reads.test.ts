import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConsentsTable, LicensesTable } from './schema.js';
import { openFreshDatabase, type FreshDatabase } from '../../test-support/fresh-database.js';
import { licenseReadQueries, type LicenseWithGrant } from './license-reads.js';

const NOW = '2026-06-01T00:00:00.000Z';
const OFFICE = '11220000013544541J';
const [T1, T2] = ['11100000000013338W001', '11100000000013338W002'];

function license(n: number, holder: string, type: string): LicensesTable {
  const identifier = `1.2.156.3005.2.${type}.${OFFICE}.202600000${n}.001.X`;
  return {
    identifier, lineage: `${type}.${OFFICE}.202600000${n}`, type_code: type, office_code: OFFICE, serial: `202600000${n}`, version: 1,
    holder_code: holder, holder_name: `持证人${holder}`, state: 'valid', status_index: n, supersedes: null, superseded_by: null,
    valid_from: '2026-01-01T00:00:00.000Z', valid_until: null, issued_at: '2026-01-01T00:00:00.000Z', credential: '{}', signed_json: `jws-${n}`,
    pdf_blob: `blob-${n}`, updated_at: '2026-01-01T00:00:00.000Z',
  };
}

const licenses = [license(1, 'H1', T1), license(2, 'H1', T1), license(3, 'H2', T1), license(4, 'H2', T2), license(5, 'H3', T1), license(6, 'H4', T1)];
const L = (n: number) => licenses[n - 1]!;

function consent(id: string, holder: string, client: string, purpose: string, scope: { lineage?: string; type?: string }, extra: Partial<ConsentsTable> = {}): ConsentsTable {
  return {
    id, holder_code: holder, client_id: client, lineage: scope.lineage ?? null, type_code: scope.type ?? null, purpose_code: purpose, purpose_name: `事项${purpose}`,
    fields: null, valid_from: '2026-01-01T00:00:00.000Z', valid_until: '2027-01-01T00:00:00.000Z', revoked_at: null, created_at: '2026-01-01T00:00:00.000Z', ...extra,
  };
}

const consents = [
  // H1: every T1 license, whole, and license 1 alone with some fields: the whole grant wins.
  consent('c-h1-type', 'H1', 'A', 'P', { type: T1 }),
  consent('c-h1-fields', 'H1', 'A', 'P', { lineage: L(1).lineage }, { fields: '["名称"]' }),
  // H2: license 3 with some fields only; license 4 (T2) nothing.
  consent('c-h2-fields', 'H2', 'A', 'P', { lineage: L(3).lineage }, { fields: '["名称"]' }),
  // H3: withdrawn for P, current for Q.
  consent('c-h3-withdrawn', 'H3', 'A', 'P', { lineage: L(5).lineage }, { revoked_at: '2026-02-01T00:00:00.000Z' }),
  consent('c-h3-q', 'H3', 'A', 'Q', { lineage: L(5).lineage }),
  // H4: expired; and a current one for another client.
  consent('c-h4-expired', 'H4', 'A', 'P', { lineage: L(6).lineage }, { valid_until: '2026-05-01T00:00:00.000Z' }),
  consent('c-h4-b', 'H4', 'B', 'P', { lineage: L(6).lineage }),
];

/** [client, license, purpose] and the consent that must be found, or undefined. */
const cases: [string, number, string, string | undefined][] = [
  ['A', 1, 'P', 'c-h1-type'],
  ['A', 2, 'P', 'c-h1-type'],
  ['A', 3, 'P', 'c-h2-fields'],
  ['A', 4, 'P', undefined],
  ['A', 5, 'P', undefined],
  ['A', 5, 'Q', 'c-h3-q'],
  ['A', 6, 'P', undefined],
  ['B', 6, 'P', 'c-h4-b'],
  ['B', 1, 'P', undefined],
  ['A', 7, 'P', undefined],
];

function identifierOf(n: number): string {
  return n <= licenses.length ? L(n).identifier : 'no-such-license';
}

function describeFound(found: LicenseWithGrant | undefined): string | undefined {
  if (!found) return undefined;
  return `${found.grant.id} ${found.license.identifier} ${found.license.signed_json} ${found.grant.holder_code}`;
}

function expected(client: string, n: number, consentId: string | undefined): string | undefined {
  void client;
  return consentId === undefined ? undefined : `${consentId} ${L(n).identifier} ${L(n).signed_json} ${L(n).holder_code}`;
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`license reads with a consent (${kind})`, () => {
    let fresh: FreshDatabase;
    before(async () => {
      fresh = await openFreshDatabase(kind, 'reads');
      const { db } = fresh.handle;
      await db.insertInto('offices').values({ code: OFFICE, name: '测试局', created_at: NOW }).execute();
      await db.insertInto('licenses').values(licenses).execute();
      await db.insertInto('consents').values(consents).execute();
    });
    after(() => fresh.drop());

    it('finds each license with the consent that lets this client read it for this purpose now, one read at a time', async () => {
      const reads = licenseReadQueries(fresh.handle);
      for (const [client, n, purpose, consentId] of cases) {
        assert.equal(describeFound(await reads.licenseWithGrant(client, identifierOf(n), purpose, NOW)), expected(client, n, consentId), `${client} ${n} ${purpose}`);
      }
    });

    it('gives every one of many concurrent reads its own answer', async () => {
      const reads = licenseReadQueries(fresh.handle);
      const many = Array.from({ length: 200 }, (_, i) => cases[(i * 7) % cases.length]!);
      let statements = 0;
      const pool = fresh.handle.pool;
      const query = pool?.query.bind(pool);
      if (pool) {
        pool.query = ((...args: Parameters<typeof pool.query>) => {
          statements++;
          return (query as (...a: unknown[]) => unknown)(...args);
        }) as typeof pool.query;
      }
      try {
        const answers = await Promise.all(many.map(([client, n, purpose]) => reads.licenseWithGrant(client, identifierOf(n), purpose, NOW)));
        answers.forEach((found, i) => {
          const [client, n, purpose, consentId] = many[i]!;
          assert.equal(describeFound(found), expected(client, n, consentId), `read ${i}: ${client} ${n} ${purpose}`);
        });
      } finally {
        if (pool) pool.query = query!;
      }
      // On PostgreSQL reads that wait for the database go together: 200 reads in 3 client-purpose
      // pairs, at most 2 statements at a time.
      if (kind === 'postgres') assert.ok(statements >= 3 && statements <= 12, `${statements} statements for 200 reads`);
    });
  });
}
