/** `elicense verify`: the contract in DESIGN.md §6 (exit 0 passed, 1 failed, 3 indeterminate, 2 usage). */
import { Command } from 'commander';
import { DEFAULT_JWS_ALGORITHMS, DOMESTIC_JWS_ALGORITHMS, verifyDocument, type VerificationReport, type VerifyOptions } from '@elicense/core';
import { EXIT, UsageError } from '../errors.js';
import { parseTime, readInput } from '../io.js';
import { formatHumanReport } from '../output/human-report.js';
import { decodeQrImage } from '../qr/decode-qr-image.js';
import { loadCertificates } from './inputs.js';
import { loadStatusSources, loadTrust } from './verify-sources.js';
import { verifyRemotely, withRemoteVerifyOptions, type RemoteVerifyFlags } from './verify-remote.js';

export interface VerifyFlags {
  trust?: string;
  trustOperator?: string;
  at?: string;
  status: string[];
  cert: string[];
  statusCheck: boolean;
  revocationCheck: boolean;
  sm2: boolean;
  json?: boolean;
}

export function exitCodeFor(report: VerificationReport): number {
  return report.indication === 'TOTAL_PASSED' ? EXIT.passed : report.indication === 'TOTAL_FAILED' ? EXIT.failed : EXIT.indeterminate;
}

/** The options every verifying command takes (`verify`, `seal verify`): trust, time, status sources, output. */
export function withVerifyOptions(command: Command): Command {
  return command
    .option('--trust <trust-list>', 'signed trust list (file or URL); without it nothing is trusted and the chain is INDETERMINATE')
    .option('--trust-operator <cert.pem>', 'pin the trust list operator certificate (otherwise the one the list carries is used, and the report says so)')
    .option('--at <time>', 'judge validity at this ISO 8601 time instead of now')
    .option('--status <file|url>', 'a CRL or signed status list; repeat for several', (v: string, all: string[]) => [...all, v], [])
    .option('--cert <cert.pem>', 'a signing certificate for QR codes, which name their signer by key id only (the trust list\'s are used too); repeat for several', (v: string, all: string[]) => [...all, v], [])
    .option('--no-status-check', 'waive the license status check (it is INDETERMINATE without a status source)')
    .option('--no-revocation-check', 'waive certificate revocation checking (it is INDETERMINATE without CRLs)')
    .option('--no-sm2', 'accept only the registered JOSE algorithms (ES256, EdDSA, PS256, RS256), not SM2SM3')
    .option('--json', 'print exactly one JSON report object on stdout');
}

/** What the verifying commands' options mean to the core verifier. */
export async function verifyOptionsFrom(flags: VerifyFlags): Promise<VerifyOptions> {
  const at = flags.at === undefined ? new Date() : parseTime(flags.at, '--at');
  if (flags.trustOperator !== undefined && flags.trust === undefined) throw new UsageError('--trust-operator needs --trust');
  const trust = await loadTrust(flags.trust, flags.trustOperator, at);
  const sources = await loadStatusSources(flags.status);
  const signerCertificates = (await Promise.all(flags.cert.map((file) => loadCertificates(file)))).flat().map((c) => c.der);
  return {
    at,
    ...(trust ? { trust } : {}),
    crls: sources.crls,
    certificateRevocation: flags.revocationCheck ? 'require' : 'skip',
    status: flags.statusCheck ? sources.resolver : 'waived',
    algorithms: flags.sm2 ? DOMESTIC_JWS_ALGORITHMS : DEFAULT_JWS_ALGORITHMS,
    decodeQrImage,
    signerCertificates,
  };
}

/** The report on stdout (JSON or readable), and the exit status it calls for. */
export function writeReport(report: VerificationReport, file: string, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatHumanReport(report, file)}\n`);
  process.exitCode = exitCodeFor(report);
}

export function verifyCommand(): Command {
  return withRemoteVerifyOptions(withVerifyOptions(
    new Command('verify')
      .description('verify a license: signature, certificate chain, trust list, license data, validity and status')
      .argument('<file>', 'signed JSON, a PDF, an OFD document, a GB/T 38540 seal or SES signature (.esl, .dat), or a photo or scan of a license QR code (PNG, JPEG); the format is read from the bytes'),
  ))
    .addHelpText(
      'after',
      `
Exit status: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 3 INDETERMINATE, 2 usage error or unreadable input.

Examples:
  $ elicense verify license.jws --trust trust-list.json --status revocation.jws --status issuing-ca.crl
  $ elicense verify license.jws --trust trust-list.json --at 2026-06-01T00:00:00Z --json
  $ elicense verify license.pdf --trust trust-list.json --status revocation.jws --status issuing-ca.crl
  $ elicense verify scan.png --trust trust-list.json --status revocation.jws --status issuing-ca.crl   # a photo of the QR code
  $ elicense verify invoice.ofd --json                # the seals of an OFD document (GB/T 33190, GB/T 38540)
  $ elicense verify license.jws --no-status-check --no-revocation-check   # cryptography only, nothing trusted

Against a license repository (\`pnpm start\` writes elicense-data/trust-list-operator.pem), which supplies
the trust list, CRLs and status lists; no credentials needed:
  $ elicense verify license.pdf --online --server http://127.0.0.1:8080 --trust-operator elicense-data/trust-list-operator.pem
  $ elicense bundle --server http://127.0.0.1:8080 --trust-operator elicense-data/trust-list-operator.pem --out bundle.json
  $ elicense verify license.pdf --bundle bundle.json --trust-operator elicense-data/trust-list-operator.pem --max-status-age 86400`,
    )
    .action(async (file: string, flags: RemoteVerifyFlags) => {
      const bytes = await readInput(file, 'license');
      const remote = await verifyRemotely(bytes, flags);
      writeReport(remote ?? (await verifyDocument(bytes, await verifyOptionsFrom(flags))), file, flags.json);
    });
}
