/** The signing pool hands each worker an office's keys and a license type once, then names them by ref. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseJws } from '@elicense/core';
import { credentialFromRequest, formatSerial, requireOffice } from '../src/services/issuance.js';
import { sealedOfficeKeys, type SealedOfficeKeys } from '../src/services/sealed-keys.js';
import { requestFor, TYPES } from '../test-support/licenses.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

const MARKET_OFFICE = '11990100MB12345620';

describe('signing pool', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ database: 'sqlite' }); });
  after(() => server?.close());

  it('signs with the keys and type each task names while workers drop and are sent again more values than they keep', async () => {
    const { ctx } = server;
    const officeKeys = (await sealedOfficeKeys(ctx.db, MARKET_OFFICE))!;
    assert.equal(officeKeys.signers.length, 2);
    // 100 distinct key objects, every other one ES256 alone, each used twice, far apart: more than a
    // worker keeps (32), so the second use finds many of them dropped and sends them again.
    const variants: SealedOfficeKeys[] = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0 ? { ...officeKeys } : { ...officeKeys, signers: officeKeys.signers.filter((key) => key.alg === 'ES256') });
    const types = [TYPES.business, TYPES.food];
    const tasks = [...variants.keys(), ...variants.keys()].map((variant, n) => ({ variant, typeCode: types[(variant >> 1) % 2]! , n }));
    const results = await Promise.all(tasks.map(async ({ variant, typeCode, n }) => {
      const office = await requireOffice(ctx, MARKET_OFFICE, typeCode);
      const credential = credentialFromRequest(ctx, office, requestFor(typeCode), formatSerial(900_000 + n), 900_000 + n);
      const forms = await ctx.signingPool.sign(variants[variant]!, credential, ctx.registry.get(typeCode), { now: ctx.now(), jsonOnly: true });
      return { variant, typeCode, jws: parseJws(forms.signedJson), credential };
    }));
    for (const { variant, typeCode, jws, credential } of results) {
      const algs = jws.signatures.map((signature) => (signature.protectedHeader as { alg: string }).alg);
      assert.deepEqual(algs, variant % 2 === 0 ? ['ES256', 'SM2SM3'] : ['ES256'], `keys of variant ${variant}`);
      assert.equal(jws.form, variant % 2 === 0 ? 'general' : 'compact');
      const signed = JSON.parse(new TextDecoder().decode(jws.payload)) as typeof credential;
      assert.equal(signed.credentialSubject.certificateTypeCode, typeCode);
      assert.equal(signed.id, credential.id);
    }
  });
});
