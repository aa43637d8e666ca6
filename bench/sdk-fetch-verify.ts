/**
 * SDK benchmark: fetchAndVerify against a local repository (SQLite), JSON and PDF, one at a time and
 * with several in flight; and verify alone on licenses already fetched (trust list, CRLs and status
 * lists cached), for comparison. The repository runs in this process, so the rates are end to end on
 * one event loop: token, consent check, audit append and the read on the server, fetch and full
 * verification in the SDK.
 *
 *   npx tsx bench/sdk-fetch-verify.ts [--seconds 5] [--licenses 16] [--concurrency 8]
 */
import { parseArgs } from 'node:util';
import { createLicenseClient } from '../packages/sdk/src/index.js';
import { FOOD_LICENSE, startRepository } from '../packages/sdk/test-support/repository.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, licenses: { type: 'string', default: '16' }, concurrency: { type: 'string', default: '8' } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

/** Runs `fn` with `inFlight` callers for the time given, after a short warm-up; returns operations per second. */
async function rate(fn: (i: number) => Promise<void>, inFlight: number): Promise<{ perSecond: number; meanMs: number; count: number }> {
  const warmUntil = performance.now() + 1000;
  let i = 0;
  const worker = async (until: number, counter: { n: number }) => {
    while (performance.now() < until) {
      await fn(i++);
      counter.n++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, () => worker(warmUntil, { n: 0 })));
  const counter = { n: 0 };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, () => worker(start + seconds * 1000, counter)));
  const elapsed = performance.now() - start;
  return { perSecond: (counter.n * 1000) / elapsed, meanMs: (elapsed * inFlight) / counter.n, count: counter.n };
}

const repo = await startRepository({ database: 'sqlite', env: { ELICENSE_RATE_LIMIT: '100000000' } });
try {
  const identifiers: string[] = [];
  for (let n = 0; n < Number(values.licenses); n++) {
    const id = await repo.issue(FOOD_LICENSE);
    await repo.share(id);
    identifiers.push(id);
  }
  const client = createLicenseClient(repo.approvalClientOptions());
  const pick = (i: number) => identifiers[i % identifiers.length]!;
  const first = await client.fetchAndVerify(pick(0));
  const json = first.license.signedJson!;
  const algorithms = [...new Set(first.report.signatures.map((s) => s.alg))].join(', ');
  const pdf = await client.getPdf(pick(0));

  const expectPassed = (indication: string) => {
    if (indication !== 'TOTAL_PASSED') throw new Error(`a verification gave ${indication}`);
  };
  const rows: [string, number, () => Promise<{ perSecond: number; meanMs: number; count: number }>][] = [
    ['fetchAndVerify JSON', 1, () => rate(async (i) => expectPassed((await client.fetchAndVerify(pick(i))).report.indication), 1)],
    ['fetchAndVerify JSON', concurrency, () => rate(async (i) => expectPassed((await client.fetchAndVerify(pick(i))).report.indication), concurrency)],
    ['fetchAndVerify PDF', 1, () => rate(async (i) => expectPassed((await client.fetchAndVerify(pick(i), { format: 'pdf' })).report.indication), 1)],
    ['fetchAndVerify PDF', concurrency, () => rate(async (i) => expectPassed((await client.fetchAndVerify(pick(i), { format: 'pdf' })).report.indication), concurrency)],
    ['verify JSON (no fetch, cached trust and status)', 1, () => rate(async () => expectPassed((await client.verify(json)).indication), 1)],
    ['verify PDF (no fetch, cached trust and status)', 1, () => rate(async () => expectPassed((await client.verify(pdf)).indication), 1)],
  ];
  console.log(`node ${process.version}, ${seconds} s per row, ${identifiers.length} licenses (食品经营许可证, signed ${algorithms}), SQLite, repository in this process`);
  for (const [name, inFlight, run] of rows) {
    const result = await run();
    console.log(`${name.padEnd(50)} ${String(inFlight).padStart(3)} in flight ${result.perSecond.toFixed(0).padStart(7)} licenses/s ${result.meanMs.toFixed(2).padStart(8)} ms each`);
  }
} finally {
  await repo.close();
}
