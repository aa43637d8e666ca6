/**
 * `elicense fetch`: reads a license from a repository as an approval system (with the holder's consent
 * for a purpose), verifies it against the repository's trust list, CRLs and status lists, and saves it.
 */
import { Command, Option } from 'commander';
import { readAnnotatedCopy, type AnnotatedCopy } from '@elicense/core';
import type { RepositoryLicense } from '@elicense/sdk';
import { EXIT, UsageError } from '../errors.js';
import { writeOutput } from '../io.js';
import { formatHumanReport } from '../output/human-report.js';
import { clientConnection, CONNECTION_ENVIRONMENT, fromRepository, withClientOptions, type ClientFlags } from './repository-connection.js';
import { exitCodeFor } from './verify.js';

type Format = 'json' | 'pdf' | 'annotated';

interface FetchFlags extends ClientFlags {
  format: Format;
  out?: string;
  verify: boolean;
  json?: boolean;
}

interface Fetched {
  /** The repository's summary (the JSON form carries one; a PDF answer does not). */
  readonly summary?: RepositoryLicense;
  readonly data: string | Uint8Array;
  /** For an annotated copy: what it was released for, and the license PDF it carries. */
  readonly copy?: AnnotatedCopy;
}

/**
 * An annotated copy is the platform's document, not the issuer's: what is verified is the license it
 * carries unchanged, which must be the one asked for.
 */
async function readCopy(bytes: Uint8Array, identifier: string): Promise<AnnotatedCopy> {
  let copy: AnnotatedCopy;
  try {
    copy = await readAnnotatedCopy(bytes);
  } catch (error) {
    throw new UsageError(`the repository's annotated copy of ${identifier} cannot be read: ${(error as Error).message}`);
  }
  if (copy.annotation.licenseIdentifier !== identifier) {
    throw new UsageError(`the repository's annotated copy carries license ${copy.annotation.licenseIdentifier}, not ${identifier}`);
  }
  return copy;
}

function copyLine(copy: AnnotatedCopy): string {
  const a = copy.annotation;
  return `加注件 annotated copy ${a.copyId}: 仅供办理${a.purposeName} (${a.purposeCode}) 使用, released to ${a.recipientName} until ${a.expires.toISOString()}; the verdict below is for the license it carries\n\n`;
}

export function fetchCommand(): Command {
  return withClientOptions(
    new Command('fetch')
      .description('fetch a license from a license repository (as an approval system, under the holder\'s consent), verify it and save it')
      .argument('<identifier>', 'the license identifier (证照标识), e.g. from `elicense find`'),
  )
    .addOption(new Option('--format <format>', 'json: the signed license (JWS); pdf: the sealed, signed PDF; annotated: the annotated copy (加注件) stamped with the purpose').choices(['json', 'pdf', 'annotated']).default('json'))
    .option('--out <file>', 'where to write the license (default: stdout, with the verdict on stderr)')
    .option('--no-verify', 'save the license without verifying it')
    .option('--json', 'print exactly one JSON object { identifier, format, out, license, report } on stdout (without --out also signedJson; with --format annotated also annotation)')
    .addHelpText(
      'after',
      `
Exit status: 0 TOTAL_PASSED, 1 TOTAL_FAILED (e.g. REVOKED), 3 INDETERMINATE, as for verify; 2 when nothing
was verified: a usage error, or the repository refused (no consent: CONSENT_REQUIRED; wrong credentials:
INVALID_CLIENT) or could not be reached. With --no-verify, 0 once the license is saved.
${CONNECTION_ENVIRONMENT}

Examples, against the demo repository (\`pnpm start\` writes elicense-data/demo-credentials.json and
elicense-data/trust-list-operator.pem):
  $ export ELICENSE_SERVER=http://127.0.0.1:8080 ELICENSE_CLIENT_ID=approval-system
  $ export ELICENSE_TRUST_OPERATOR=elicense-data/trust-list-operator.pem
  $ export ELICENSE_CLIENT_SECRET=$(node -pe "require('./elicense-data/demo-credentials.json').clients.find(c => c.id === 'approval-system').secret")
  $ elicense find --holder <holder code> --purpose 000117001000
  $ elicense fetch <identifier> --purpose 000117001000 --out license.jws
  $ elicense fetch <identifier> --purpose 000117001000 --format pdf --out license.pdf --json
  $ elicense fetch <identifier> --server http://127.0.0.1:8080 --client-id approval-system \\
      --client-secret-env APPROVAL_SECRET --trust-operator op.pem --purpose 000117001000 > license.jws`,
    )
    .action(async (identifier: string, flags: FetchFlags) => {
      const toStdout = flags.out === undefined;
      if (toStdout && flags.json && flags.format !== 'json') throw new UsageError(`--json with --format ${flags.format} needs --out: stdout holds the JSON object`);
      if (toStdout && flags.format !== 'json' && process.stdout.isTTY) throw new UsageError('refusing to write a PDF to the terminal: give --out license.pdf or redirect stdout');
      const connection = await clientConnection(flags);
      const { client } = connection;
      const context = { server: connection.baseUrl, clientId: connection.clientId, purpose: connection.purpose, identifier };

      const fetched = await fromRepository(async (): Promise<Fetched> => {
        if (flags.format === 'pdf') return { data: await client.getPdf(identifier) };
        if (flags.format === 'annotated') {
          const data = await client.getAnnotatedCopy(identifier);
          return { data, copy: await readCopy(data, identifier) };
        }
        const record = await client.getLicense(identifier);
        if (record.signedJson === undefined) {
          throw new UsageError(`the holder shared only some fields of license ${identifier} for purpose ${connection.purpose}: the repository sent a signed extract, not the license`);
        }
        return { summary: record.summary, data: `${record.signedJson.trim()}\n` };
      }, context);
      const verified = fetched.copy?.originalPdf ?? fetched.data;
      const report = flags.verify ? await fromRepository(() => client.verify(verified), context) : undefined;

      if (flags.out !== undefined) await writeOutput(flags.out, fetched.data);
      else if (!flags.json) process.stdout.write(fetched.data);

      if (flags.json) {
        const object = {
          identifier,
          format: flags.format,
          out: flags.out ?? null,
          license: fetched.summary ?? null,
          ...(fetched.copy ? { annotation: fetched.copy.annotation } : {}),
          ...(toStdout ? { signedJson: (fetched.data as string).trim() } : {}),
          report: report ?? null,
        };
        process.stdout.write(`${JSON.stringify(object, null, 2)}\n`);
      } else if (report) {
        // With the license on stdout the verdict goes to stderr, so `> license.jws` saves only the license.
        const text = `${fetched.copy ? copyLine(fetched.copy) : ''}${formatHumanReport(report, flags.out ?? identifier)}\n`;
        (toStdout ? process.stderr : process.stdout).write(text);
      } else if (flags.out !== undefined) {
        process.stdout.write(`${identifier} written to ${flags.out} (not verified)\n`);
      }
      process.exitCode = report ? exitCodeFor(report) : EXIT.passed;
    });
}
