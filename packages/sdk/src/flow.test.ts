/**
 * One story, two ways, on both databases: an office issues a license, the holder shares it, an approval
 * system fetches and verifies it, the office revokes it. Once with core and the repository's services
 * in-process (no HTTP), once with the SDK talking to the repository over HTTP. Both must tell the same
 * story: refused before the consent, TOTAL_PASSED after it, REVOKED after the revocation. The license is
 * a 食品经营许可证: the demo consent covers the holder's 营业执照, so this one starts unshared.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { utf8, type VerificationReport } from '@elicense/core';
import type { TokenClaims } from '../../server/src/auth/tokens.js';
import { Problem } from '../../server/src/http/problem.js';
import { grantConsent } from '../../server/src/services/consents.js';
import { prepareLicense, recordIssued, requireOffice, reserveNumbers } from '../../server/src/services/issuance.js';
import { transition } from '../../server/src/services/lifecycle.js';
import { authorizeRead, recordRead } from '../../server/src/services/reads.js';
import { verifyForPlatform } from '../../server/src/services/verification.js';
import { sampleRequest } from '../../server/src/platform/demo-licenses.js';
import { FOOD_LICENSE, movableClock, PURPOSE, startRepository, type Repository } from '../test-support/repository.js';
import { createLicenseClient, LicenseApiError } from './index.js';

/** What the story needs from either side. A refused read is returned as its problem code. */
interface FlowDriver {
  issue(): Promise<string>;
  share(identifier: string): Promise<void>;
  fetchAndVerify(identifier: string): Promise<VerificationReport | { refused: string }>;
  revoke(identifier: string): Promise<void>;
  /** Lets the approval system's status caches run out, where it has any. */
  forgetCachedStatus(): void;
}

const MARKET_OFFICE = '11990100MB12345620';

function inProcess(repo: Repository): FlowDriver {
  const { ctx } = repo;
  const office: TokenClaims = { clientId: 'market-office', kind: 'issuer', scopes: ['licenses:issue', 'licenses:manage'], office: MARKET_OFFICE };
  const holder: TokenClaims = { clientId: 'holder-agent', kind: 'holder-agent', scopes: ['consents:manage'], holder: repo.holderCode };
  const approval: TokenClaims = { clientId: 'approval-system', kind: 'approval-system', scopes: ['licenses:read'] };
  return {
    async issue() {
      const request = sampleRequest(ctx.registry.get(FOOD_LICENSE), { name: repo.holderName, code: repo.holderCode });
      const issuer = await requireOffice(ctx, office.office, FOOD_LICENSE);
      const { serial, statusIndex } = await reserveNumbers(ctx, issuer.code, FOOD_LICENSE);
      const prepared = await prepareLicense(ctx, issuer, request, serial, statusIndex);
      await ctx.db.transaction().execute((trx) => recordIssued(ctx, trx, prepared, office.clientId));
      return prepared.row.identifier;
    },
    async share(identifier) {
      await grantConsent(ctx, holder, { clientId: 'approval-system', license: identifier, purposeCode: PURPOSE.code, purposeName: PURPOSE.name, validUntil: new Date(Date.now() + 86_400_000).toISOString() });
    },
    async fetchAndVerify(identifier) {
      try {
        const access = await authorizeRead(ctx, approval, identifier, PURPOSE.code);
        await recordRead(ctx, approval, access, 'json');
        return await verifyForPlatform(ctx, utf8(access.license.signed_json));
      } catch (error) {
        if (error instanceof Problem) return { refused: error.code };
        throw error;
      }
    },
    async revoke(identifier) {
      await transition(ctx, office, identifier, 'revoke', '吊销：测试');
    },
    forgetCachedStatus() {},
  };
}

function overHttp(repo: Repository): FlowDriver {
  const clock = movableClock();
  const client = createLicenseClient(repo.approvalClientOptions({ maxStatusAge: 60, now: clock.now }));
  return {
    issue: () => repo.issue(FOOD_LICENSE),
    share: (identifier) => repo.share(identifier),
    async fetchAndVerify(identifier) {
      try {
        return (await client.fetchAndVerify(identifier)).report;
      } catch (error) {
        if (error instanceof LicenseApiError) return { refused: error.code ?? String(error.status) };
        throw error;
      }
    },
    revoke: (identifier) => repo.revoke(identifier),
    forgetCachedStatus: () => clock.advance(61),
  };
}

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`issue → share → fetch → verify (${database})`, () => {
    let repo: Repository;
    before(async () => {
      repo = await startRepository({ database });
    });
    after(async () => {
      await repo?.close();
    });

    for (const [way, driverFor] of [['core in-process', inProcess], ['SDK over HTTP', overHttp]] as const) {
      test(way, async () => {
        const driver = driverFor(repo);
        const identifier = await driver.issue();
        assert.deepEqual(await driver.fetchAndVerify(identifier), { refused: 'CONSENT_REQUIRED' }, 'not shared yet');

        await driver.share(identifier);
        const shared = await driver.fetchAndVerify(identifier);
        assert.ok(!('refused' in shared), 'shared: the read is allowed');
        assert.equal(shared.indication, 'TOTAL_PASSED', JSON.stringify(shared.checks.filter((c) => c.indication !== 'TOTAL_PASSED')));
        assert.equal(shared.license?.identifier, identifier);
        assert.equal(shared.license?.holderCode, repo.holderCode);

        await driver.revoke(identifier);
        driver.forgetCachedStatus();
        const revoked = await driver.fetchAndVerify(identifier);
        assert.ok(!('refused' in revoked), 'a revoked license can still be read, and then fails verification');
        assert.equal(revoked.indication, 'TOTAL_FAILED');
        assert.equal(revoked.subIndication, 'REVOKED');
      });
    }
  });
}
