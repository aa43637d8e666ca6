/** POST /v1/licenses:batch: a job worked through in the background, with a result per item. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { validateIdentifier } from '@elicense/core';
import { newHolder, readAsOffice, requestFor, TYPES, type BatchItem as Item, type BatchJob as Job } from '../test-support/licenses.js';
import { call, DATABASES, expectJson, expectProblem, startTestServer, TEST_PUBLIC_URL, type TestServer } from '../test-support/test-server.js';


/** Items 5 and 13 break their type's schema; the rest are valid, two types mixed. */
const BROKEN = new Map([[5, '成立日期'], [13, '经营范围']]);

function batchItems() {
  return Array.from({ length: 20 }, (_, i) => {
    const request = requestFor(i % 4 === 3 ? TYPES.food : TYPES.business, newHolder(`批量${i}`));
    if (i === 5) return { ...request, fields: { ...request.fields, 成立日期: '2020-02-30' } };
    if (i === 13) return { ...request, fields: { ...request.fields, 经营范围: 42 } };
    return request;
  });
}

for (const database of DATABASES) {
  describe(`batch issuance (${database})`, () => {
    let server: TestServer;
    before(async () => { server = await startTestServer({ database }); });
    after(() => server?.close());

    it('issues 20 licenses as a job: 18 issued, 2 failed with errors naming the field', async () => {
      const token = await server.token('market-office');
      const submitted = await call(server, '/v1/licenses:batch', { token, json: { items: batchItems() } });
      const accepted = await expectJson<Job>(submitted, 202);
      assert.equal(submitted.headers.get('location'), `${TEST_PUBLIC_URL}/v1/jobs/${accepted.id}`);
      assert.equal(accepted.total, 20);

      let job = accepted;
      const deadline = Date.now() + 60_000;
      while (job.state !== 'done') {
        assert.ok(Date.now() < deadline, `the job is still ${job.state} after a minute: ${JSON.stringify(job)}`);
        await sleep(100);
        job = await expectJson<Job>(await call(server, `/v1/jobs/${accepted.id}`, { token }), 200);
        assert.equal(job.issued + job.failed + job.pending, 20);
      }
      assert.deepEqual([job.issued, job.failed, job.pending], [18, 2, 0]);

      const { items } = await expectJson<{ items: Item[] }>(await call(server, `/v1/jobs/${accepted.id}/items`, { token }), 200);
      assert.deepEqual(items.map((i) => i.item), Array.from({ length: 20 }, (_, i) => i));
      for (const item of items) {
        const broken = BROKEN.get(item.item);
        if (broken) {
          assert.equal(item.state, 'failed');
          assert.equal(item.identifier, undefined);
          assert.ok(item.error?.includes(broken), `item ${item.item}: ${item.error}`);
        } else {
          assert.equal(item.state, 'issued', `item ${item.item}: ${item.error}`);
          assert.deepEqual(validateIdentifier(item.identifier).filter((f) => f.level === 'error'), []);
        }
      }
      const identifiers = items.flatMap((i) => (i.identifier ? [i.identifier] : []));
      assert.equal(new Set(identifiers).size, 18);
      const stored = await server.ctx.db.selectFrom('licenses').select('identifier').where('identifier', 'in', identifiers).execute();
      assert.equal(stored.length, 18);
      assert.equal((await readAsOffice(server, 'market-office', identifiers[7]!)).state, 'valid');

      const failed = await expectJson<{ items: Item[] }>(await call(server, `/v1/jobs/${accepted.id}/items?state=failed`, { token }), 200);
      assert.deepEqual(failed.items.map((i) => i.item), [...BROKEN.keys()]);
      const page = await expectJson<{ items: Item[] }>(await call(server, `/v1/jobs/${accepted.id}/items?after=9&limit=3`, { token }), 200);
      assert.deepEqual(page.items.map((i) => i.item), [10, 11, 12]);

      // The job is its client's: the other office does not see that it exists.
      await expectProblem(await call(server, `/v1/jobs/${accepted.id}`, { token: await server.token('housing-office') }), 404, 'NOT_FOUND');
      await expectProblem(await call(server, `/v1/jobs/${accepted.id}/items`, { token: await server.token('housing-office') }), 404, 'NOT_FOUND');
    });

    it('refuses a batch with a type the office may not issue, or a malformed item, before taking any of it', async () => {
      const token = await server.token('market-office');
      const before = (await server.ctx.db.selectFrom('jobs').select('id').execute()).length;
      await expectProblem(await call(server, '/v1/licenses:batch', { token, json: { items: [requestFor(TYPES.business, newHolder()), requestFor(TYPES.safety, newHolder())] } }), 403, 'LICENSE_TYPE_NOT_AUTHORIZED');
      const malformed = await expectProblem(await call(server, '/v1/licenses:batch', { token, json: { items: [requestFor(TYPES.business, newHolder()), { typeCode: TYPES.business }] } }), 422, 'VALIDATION_FAILED');
      assert.ok(malformed.errors?.some((e) => e.field.startsWith('items.1.')), JSON.stringify(malformed.errors));
      await expectProblem(await call(server, '/v1/licenses:batch', { token, json: { items: [] } }), 422, 'VALIDATION_FAILED');
      assert.equal((await server.ctx.db.selectFrom('jobs').select('id').execute()).length, before);
    });

    it('two servers on one database share a job: both work on it at once, and each item is issued once', async () => {
      const other = await server.sibling({});
      try {
        const token = await server.token('market-office');
        const holder = newHolder('共享批量');
        // Three chunks (64, 64, 2): the first server takes the first, the second server the next.
        const total = 130;
        const accepted = await expectJson<Job>(await call(server, '/v1/licenses:batch', { token, json: { items: Array.from({ length: total }, () => requestFor(TYPES.business, holder)) } }), 202);
        let owners = new Set<string>();
        let job = accepted;
        const deadline = Date.now() + 120_000;
        while (job.state !== 'done') {
          assert.ok(Date.now() < deadline, `the job is still ${job.state} after two minutes: ${JSON.stringify(job)}`);
          const claims = await server.ctx.db.selectFrom('job_items').select('lease_owner').distinct()
            .where('job_id', '=', accepted.id).where('state', '=', 'pending').where('lease_owner', 'is not', null).execute();
          if (claims.length > owners.size) owners = new Set(claims.map((c) => c.lease_owner!));
          await sleep(50);
          job = await expectJson<Job>(await call(other, `/v1/jobs/${accepted.id}`, { token: await other.token('market-office') }), 200);
        }
        assert.equal(owners.size, 2, 'both servers held items of the job at the same time');
        assert.deepEqual([job.issued, job.failed, job.pending], [total, 0, 0]);
        const { items } = await expectJson<{ items: Item[] }>(await call(server, `/v1/jobs/${accepted.id}/items?limit=500`, { token }), 200);
        const identifiers = items.map((i) => i.identifier!);
        assert.equal(new Set(identifiers).size, total);
        const licenses = await server.ctx.db.selectFrom('licenses').select('identifier').where('holder_code', '=', holder.code).execute();
        assert.deepEqual(licenses.map((l) => l.identifier).sort(), [...identifiers].sort(), 'one license per item, none issued twice');
        const audited = await server.ctx.db.selectFrom('audit_log').select('license').where('action', '=', 'license.issued').where('holder_code', '=', holder.code).execute();
        assert.equal(audited.length, total);
        const leftClaims = await server.ctx.db.selectFrom('job_items').select('item_no').where('job_id', '=', accepted.id).where('lease_owner', 'is not', null).execute();
        assert.deepEqual(leftClaims, [], 'claims are released as items are recorded');
      } finally {
        await other.close();
      }
    });
  });
}
