/**
 * PDF benchmarks (DESIGN.md §9): PAdES signing and full verification in process, against pyHanko's
 * rates on this kind of machine (about 82 ms to sign and 23 ms to validate a one-page ES256 PDF; bar:
 * at least 10x each), and the `elicense verify` process against poppler's `pdfsig` on the same file
 * (bar: within 1.5x). Run `pnpm bench:pdf [seconds]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultLicenseTypeRegistry,
  renderLicensePdf,
  signLicenseCompact,
  signPdf,
  utf8,
  verifyLicensePdf,
  verifyTrustListTrustingEmbeddedOperator,
  authorityTimestamper,
} from '@elicense/core';
import { createDemoCrls, createDemoTimeStampAuthority, createDemoLicense, createDemoPki, createDemoTrustList, demoOffices, demoTimesAround, demoTypes } from '@elicense/platform/demo';
import { loadLicenseFont } from '@elicense/platform/license-font';
import { formatRow, measure, type BenchResult } from './harness.js';

const seconds = Number(process.argv[2] ?? 3);
const PYHANKO_MS = { sign: 82, verify: 23 };
const now = new Date();
const times = demoTimesAround(now);
const typeCode = demoTypes().operator;
const office = demoOffices()[0];
const pki = await createDemoPki(times, [office]);
const trustListText = await createDemoTrustList(pki, [office], times);
const trust = { list: await verifyTrustListTrustingEmbeddedOperator(utf8(trustListText), { at: now }) };
const crls = await createDemoCrls(pki, times);
const signer = pki.get(`issuer-${office.code.slice(-6).toLowerCase()}-es256`).signer;
const credential = createDemoLicense({ typeCode, office, serial: '2026000001', statusIndex: 1, issuedDate: now.toISOString().slice(0, 10), validFrom: now.toISOString() });
const type = defaultLicenseTypeRegistry.get(typeCode);
const font = await loadLicenseFont();
const signedJson = await signLicenseCompact(credential, signer);
const unsigned = await renderLicensePdf({ credential, type, signedJson, qr: { text: 'https://verify.elicense.example/v1' }, font });
const signed = await signPdf(unsigned, { signer, signingTime: now, docMdp: 1 });
// B-T, as the repository issues licenses: the same signature with a timestamp from the demo TSA.
const timestamped = await signPdf(unsigned, { signer, signingTime: now, docMdp: 1, timestamper: authorityTimestamper(createDemoTimeStampAuthority(pki, () => now)) });
const options = { at: now, trust, crls, status: 'waived' as const, signatureCache: new Map<string, boolean>() };
for (const pdf of [signed, timestamped]) {
  const first = await verifyLicensePdf(pdf, options);
  if (!first.valid) throw new Error(`benchmark PDF does not verify: ${JSON.stringify(first.checks.filter((c) => c.indication !== 'TOTAL_PASSED'))}`);
}

const results: BenchResult[] = [
  await measure('PDF render (one page, font subset, QR)', () => renderLicensePdf({ credential, type, signedJson, qr: { text: 'https://verify.elicense.example/v1' }, font }), seconds),
  await measure('PDF sign ES256, PAdES B-B certification (in process)', () => signPdf(unsigned, { signer, signingTime: now, docMdp: 1 }), seconds),
  await measure('PDF verify ES256, full report (in process)', () => verifyLicensePdf(signed, options), seconds),
  await measure('PDF verify ES256 B-T, full report (in process)', () => verifyLicensePdf(timestamped, options), seconds),
];

/** Mean wall time of a whole process over `runs` runs. */
function processMs(command: string, args: readonly string[], runs: number): number {
  execFileSync(command, args, { stdio: 'ignore' });
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    try {
      execFileSync(command, args, { stdio: 'ignore' });
    } catch {
      // Exit codes other than 0 are verdicts, not errors.
    }
  }
  return (performance.now() - start) / runs;
}

const dir = mkdtempSync(join(tmpdir(), 'elicense-bench-'));
const pdfPath = join(dir, 'license.pdf');
const trustPath = join(dir, 'trust-list.json');
writeFileSync(pdfPath, signed);
writeFileSync(trustPath, trustListText);
const bin = fileURLToPath(new URL('../examples/cli/bin/elicense.mjs', import.meta.url));
const runs = Math.max(5, Math.round(seconds * 3));
const cliMs = processMs(process.execPath, [bin, 'verify', pdfPath, '--trust', trustPath, '--no-status-check', '--no-revocation-check', '--json'], runs);
const pdfsigMs = processMs('pdfsig', ['-nocert', pdfPath], runs);
rmSync(dir, { recursive: true, force: true });

const sign = results[1]!;
const verify = results[2]!;
process.stdout.write(`${results.map(formatRow).join('\n')}\n\n`);
const rows: [string, number, string][] = [
  ['sign: speed-up over pyHanko (82 ms)', PYHANKO_MS.sign / sign.meanMs, 'bar >= 10'],
  ['verify: speed-up over pyHanko (23 ms)', PYHANKO_MS.verify / verify.meanMs, 'bar >= 10'],
  [`elicense verify process ${cliMs.toFixed(0)} ms / pdfsig ${pdfsigMs.toFixed(0)} ms`, cliMs / pdfsigMs, 'bar <= 1.5'],
];
for (const [name, value, bar] of rows) process.stdout.write(`${name.padEnd(58)} ${value.toFixed(2).padStart(8)}   ${bar}\n`);
