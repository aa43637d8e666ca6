/**
 * `verify --online` and `verify --bundle`: the trust list, CRLs and status lists come from a license
 * repository (fetched through the SDK, no credentials) or from a bundle it exported, instead of files.
 */
import type { Command } from 'commander';
import { createOfflineVerifier, readOfflineBundle, type VerificationReport } from '@elicense/sdk';
import { UsageError } from '../errors.js';
import { parseTime, readText } from '../io.js';
import { decodeQrImage } from '../qr/decode-qr-image.js';
import { fromRepository, publicVerifierFor, serverConnection, type ServerFlags } from './repository-connection.js';
import type { VerifyFlags } from './verify.js';

export interface RemoteVerifyFlags extends VerifyFlags, ServerFlags {
  online?: boolean;
  bundle?: string;
}

export function withRemoteVerifyOptions(command: Command): Command {
  return command
    .option('--online', 'take the trust list, CRLs and status lists from a license repository (--server, --trust-operator); no credentials needed')
    .option('--server <url>', 'the repository for --online (default: $ELICENSE_SERVER)')
    .option('--public-url <url>', 'the repository\'s address as its licenses name it, when --server differs')
    .option('--bundle <bundle.json>', 'take them from a bundle saved by `elicense bundle`, offline (with --trust-operator)')
    .option('--max-status-age <seconds>', 'with --online or --bundle: the oldest status list that counts (default 300)')
    .option('--timeout <seconds>', 'with --online: per request (default 10)');
}

/** Options that name local sources, which the repository or the bundle replaces. */
function refuseLocalSources(flags: RemoteVerifyFlags, mode: string): void {
  const local = [
    flags.trust !== undefined && '--trust',
    flags.status.length > 0 && '--status',
    flags.cert.length > 0 && '--cert',
    !flags.statusCheck && '--no-status-check',
    !flags.revocationCheck && '--no-revocation-check',
    !flags.sm2 && '--no-sm2',
  ].filter((name): name is string => typeof name === 'string');
  if (local.length > 0) throw new UsageError(`${mode} takes everything from the ${mode === '--online' ? 'repository' : 'bundle'}: drop ${local.join(', ')}`);
}

/** The report for `verify --online` or `--bundle`, or undefined when neither was asked for. */
export async function verifyRemotely(bytes: Uint8Array, flags: RemoteVerifyFlags): Promise<VerificationReport | undefined> {
  if (flags.online && flags.bundle !== undefined) throw new UsageError('--online and --bundle exclude each other: verify against the repository or against a saved bundle');
  if (!flags.online) {
    for (const option of ['server', 'publicUrl', 'timeout'] as const) {
      if (flags[option] !== undefined) throw new UsageError(`--${option === 'publicUrl' ? 'public-url' : option} needs --online`);
    }
  }
  const at = flags.at === undefined ? undefined : parseTime(flags.at, '--at');
  const now = at ? { now: () => at } : {};

  if (flags.online) {
    refuseLocalSources(flags, '--online');
    const connection = await serverConnection(flags);
    const verifier = await publicVerifierFor(connection, { ...now, decodeQrImage });
    return fromRepository(() => verifier.verify(bytes), { server: connection.baseUrl });
  }

  if (flags.bundle !== undefined) {
    refuseLocalSources(flags, '--bundle');
    if (flags.trustOperator === undefined && process.env.ELICENSE_TRUST_OPERATOR === undefined) {
      throw new UsageError('--bundle needs --trust-operator: the bundle\'s trust list is checked against it (or set ELICENSE_TRUST_OPERATOR)');
    }
    const operator = await readText((flags.trustOperator ?? process.env.ELICENSE_TRUST_OPERATOR)!, 'operator certificate');
    const text = await readText(flags.bundle, 'bundle');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UsageError(`${flags.bundle} is not JSON: save a bundle with \`elicense bundle\``);
    }
    const maxStatusAge = flags.maxStatusAge === undefined ? undefined : Number(flags.maxStatusAge);
    if (maxStatusAge !== undefined && !(Number.isFinite(maxStatusAge) && maxStatusAge >= 0)) throw new UsageError(`--max-status-age must be a number of seconds ≥ 0, got "${flags.maxStatusAge}"`);
    const context = { server: flags.bundle };
    const verifier = await fromRepository(
      () => createOfflineVerifier(readOfflineBundle(parsed), { trustOperatorCertificate: operator, ...(maxStatusAge === undefined ? {} : { maxStatusAge }), ...now }),
      context,
    );
    return fromRepository(() => verifier.verify(bytes), context);
  }

  if (flags.maxStatusAge !== undefined) throw new UsageError('--max-status-age needs --online or --bundle');
  return undefined;
}
