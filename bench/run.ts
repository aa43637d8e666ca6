/**
 * JSON license benchmarks (DESIGN.md §9): full verification with a report, against raw signature
 * verification of the same algorithm in the same run, in alternating rounds (bar: at least 0.7x), and issuance rate
 * (bar: 1,000,000 in under 10 minutes, i.e. 1,667/s). Run `pnpm bench [seconds]`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import {
  DOMESTIC_JWS_ALGORITHMS,
  parseCertificate,
  parseJws,
  signLicenseCompact,
  utf8,
  verifyLicenseJws,
  parsePublicKey,
  sm2Verify,
  verifyTrustListTrustingEmbeddedOperator,
  type SignatureAlgorithm,
} from '@elicense/core';
import {
  createDemoCrls,
  createDemoLicense,
  createDemoPki,
  createDemoStatusLists,
  createDemoTrustList,
  demoOffices,
  demoTimesAround,
  demoTypes,
} from '@elicense/platform/demo';
import { compare, formatRow, measure, type BenchResult } from './harness.js';

const seconds = Number(process.argv[2] ?? 3);
const now = new Date();
const times = demoTimesAround(now);
const typeCode = demoTypes().operator;
const office = demoOffices()[0];
const pki = await createDemoPki(times, [office]);
const trustList = await verifyTrustListTrustingEmbeddedOperator(utf8(await createDemoTrustList(pki, [office], times)), { at: now });
const crls = await createDemoCrls(pki, times);
const statusLists = await createDemoStatusLists(pki, [typeCode], times);

/** The bare primitive: WebCrypto with a key imported once, or SM2 on the raw point. */
async function rawVerifier(alg: SignatureAlgorithm, spki: Uint8Array): Promise<(data: Uint8Array, signature: Uint8Array) => Promise<boolean>> {
  if (alg === 'SM2SM3') {
    const point = parsePublicKey(spki).keyBytes;
    return async (data, signature) => sm2Verify(point, data, signature);
  }
  const key = await crypto.subtle.importKey('spki', spki as Uint8Array<ArrayBuffer>, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  return (data, signature) => crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
}

/**
 * What full/raw can reach on this machine: the raw verify started first, and a whole verification of
 * another license done on the main thread while it runs, with that verification's own signature answered
 * at once (WebCrypto's verify is swapped for a resolved promise only while it starts). Nothing happens
 * before the raw job starts or after it ends, which no real verifier can do: it must read the JWS to know
 * what to verify, and finish its report once the answer is in. Where the job shares a core and its
 * caches with the main thread (as on small virtual machines), work beside it slows the job itself, and
 * this bound shows by how much.
 */
function besideOwnWork(rawVerify: () => Promise<boolean>, fullVerify: () => Promise<{ valid: boolean }>): () => Promise<boolean> {
  const subtle = crypto.subtle;
  const answered: SubtleCrypto['verify'] = () => Promise.resolve(true);
  return async () => {
    const raw = rawVerify();
    Object.defineProperty(subtle, 'verify', { value: answered, configurable: true });
    let pending: Promise<{ valid: boolean }>;
    try {
      pending = fullVerify();
    } finally {
      Reflect.deleteProperty(subtle, 'verify');
    }
    // Proof that the whole verification ran: every check passed, the answered signature included.
    if (!(await pending).valid) throw new Error('the verification measured beside the raw job did not pass');
    return raw;
  };
}

const results: BenchResult[] = [];
const ratios: Record<string, number> = {};
const spreads: Record<string, readonly [number, number]> = {};
const slug = office.code.slice(-6).toLowerCase();

for (const [alg, keyName] of [['ES256', `issuer-${slug}-es256`], ['SM2SM3', `issuer-${slug}-sm2`]] as [SignatureAlgorithm, string][]) {
  const signer = pki.get(keyName).signer;
  // Distinct licenses from one issuer, as an approval system sees them: nothing is memoised per license.
  const licenses = await Promise.all(
    Array.from({ length: 256 }, (_, i) =>
      signLicenseCompact(createDemoLicense({ typeCode, office, serial: `2026${String(i).padStart(6, '0')}`, statusIndex: i, issuedDate: now.toISOString().slice(0, 10), validFrom: now.toISOString() }), signer),
    ),
  );
  const jws = licenses[0]!;
  const signatureCache = new Map<string, boolean>();
  const statusCache = new Map<string, unknown>();
  const options = {
    at: now,
    trust: { list: trustList },
    crls,
    status: async (url: string) => statusLists.get(url),
    algorithms: DOMESTIC_JWS_ALGORITHMS,
    signatureCache,
    statusCache,
  };
  const first = await verifyLicenseJws(jws, options);
  if (!first.valid) throw new Error(`benchmark license does not verify: ${JSON.stringify(first.checks.filter((c) => c.indication !== 'TOTAL_PASSED'))}`);
  const parsed = parseJws(jws).signatures[0]!;
  const leaf = parseCertificate(signer.certificates[0]!);
  const rawVerify = await rawVerifier(alg, leaf.publicKey);
  let next = 0;
  const rawLoop = { name: `${alg} raw signature verify (key imported once)`, fn: () => rawVerify(parsed.signingInput, parsed.signature) };
  const { baseline: raw, subject: full, ratio, ratioRange } = await compare(
    rawLoop,
    { name: `${alg} license verify, full report (cached trust, status)`, fn: () => verifyLicenseJws(licenses[next++ % licenses.length]!, options) },
    seconds,
  );
  if (alg === 'ES256') {
    let other = 0;
    const bound = await compare(
      rawLoop,
      { name: `${alg} raw verify with a verification's own work beside it`, fn: besideOwnWork(rawLoop.fn, () => verifyLicenseJws(licenses[other++ % licenses.length]!, options)) },
      seconds,
    );
    const name = `${alg} bound: raw beside a verification's work / raw`;
    ratios[name] = bound.ratio;
    spreads[name] = bound.ratioRange;
  }
  const issue = await measure(`${alg} license issue (build credential + sign)`, async () => {
    const license = createDemoLicense({ typeCode, office, serial: '2026000002', statusIndex: 2, issuedDate: now.toISOString().slice(0, 10), validFrom: now.toISOString() });
    return signLicenseCompact(license, signer);
  }, seconds);
  results.push(raw, full, issue);
  ratios[`${alg} verify full/raw (median of rounds)`] = ratio;
  spreads[`${alg} verify full/raw (median of rounds)`] = ratioRange;
  ratios[`${alg} issue: minutes for 1,000,000 on one core`] = 1_000_000 / issue.opsPerSecond / 60;
}

process.stdout.write(`${results.map(formatRow).join('\n')}\n\n`);
for (const [name, value] of Object.entries(ratios)) {
  const spread = spreads[name];
  process.stdout.write(`${name.padEnd(58)} ${value.toFixed(2)}${spread ? `   (rounds ${spread[0].toFixed(2)} to ${spread[1].toFixed(2)})` : ''}\n`);
}
process.stdout.write('bars: verify full/raw >= 0.70; issue 1,000,000 in under 10 minutes on 2 cores\nbound: what full/raw can reach on this machine, all of a verification\'s own work done while the signature job runs\n');
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/json.json', import.meta.url), `${JSON.stringify({ date: now.toISOString(), node: process.version, results, ratios }, null, 2)}\n`);
