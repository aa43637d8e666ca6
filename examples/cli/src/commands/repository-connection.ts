/**
 * How the commands that talk to a license repository (`fetch`, `find`, `bundle`, `verify --online`)
 * reach it: the server, the client's credentials and the pinned trust-list operator certificate, from
 * options or the environment, and the SDK's errors turned into one line a person can act on.
 */
import type { Command } from 'commander';
import { LicenseApiError, LicenseNetworkError, LicenseSdkError, createLicenseClient, createPublicVerifier, type LicenseClient, type PublicVerifier } from '@elicense/sdk';
import { UsageError } from '../errors.js';
import { readText } from '../io.js';

export interface ServerFlags {
  server?: string;
  publicUrl?: string;
  trustOperator?: string;
  maxStatusAge?: string;
  timeout?: string;
}

export interface ClientFlags extends ServerFlags {
  clientId?: string;
  clientSecretEnv?: string;
  purpose?: string;
}

function withServer(command: Command): Command {
  return command
    .option('--server <url>', 'the license repository, e.g. http://127.0.0.1:8080 (default: $ELICENSE_SERVER)')
    .option('--trust-operator <cert.pem>', "the trust-list operator's certificate, pinned: the repository's trust list must be signed with it (default: the file named by $ELICENSE_TRUST_OPERATOR)");
}

function withTuning(command: Command): Command {
  return command
    .option('--public-url <url>', 'the repository\'s address as its licenses name it (its ELICENSE_PUBLIC_URL), when --server differs')
    .option('--max-status-age <seconds>', 'the oldest status list that counts (default 300)')
    .option('--timeout <seconds>', 'per request (default 10)');
}

/** The server and the operator certificate: all a public verifier needs. */
export function withServerOptions(command: Command): Command {
  return withTuning(withServer(command));
}

/** Adds the approval system's credentials and the purpose its reads are made for. */
export function withClientOptions(command: Command): Command {
  return withTuning(
    withServer(command)
      .option('--client-id <id>', 'the approval system\'s client id (default: $ELICENSE_CLIENT_ID)')
      .option('--client-secret-env <VAR>', 'the environment variable that holds the client secret, so it never shows in the process list (default: ELICENSE_CLIENT_SECRET)')
      .option('--purpose <code>', 'the service item (事项编码) the license is read for, e.g. 000117001000: the holder\'s consent must name it'),
  );
}

function required(value: string | undefined, option: string, envName?: string): string {
  if (value !== undefined && value !== '') return value;
  throw new UsageError(`${option} is required${envName ? ` (or set ${envName})` : ''}`);
}

function seconds(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new UsageError(`${option} must be a number of seconds ≥ 0, got "${value}"`);
  return number;
}

export interface ServerConnection {
  readonly baseUrl: string;
  readonly publicUrl?: string;
  readonly trustOperatorCertificate: string;
  readonly maxStatusAge?: number;
  readonly timeoutMs?: number;
}

export async function serverConnection(flags: ServerFlags): Promise<ServerConnection> {
  const baseUrl = required(flags.server ?? process.env.ELICENSE_SERVER, '--server', 'ELICENSE_SERVER');
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) throw new UsageError(`--server must be an http(s) URL such as http://127.0.0.1:8080, got "${baseUrl}"`);
  const operatorPath = required(flags.trustOperator ?? process.env.ELICENSE_TRUST_OPERATOR, '--trust-operator', 'ELICENSE_TRUST_OPERATOR');
  if (flags.publicUrl !== undefined && !/^https?:\/\/[^/]/i.test(flags.publicUrl)) throw new UsageError(`--public-url must be an http(s) URL, got "${flags.publicUrl}"`);
  const maxStatusAge = seconds(flags.maxStatusAge, '--max-status-age');
  const timeout = seconds(flags.timeout, '--timeout');
  return {
    baseUrl,
    ...(flags.publicUrl === undefined ? {} : { publicUrl: flags.publicUrl }),
    trustOperatorCertificate: await readText(operatorPath, 'operator certificate'),
    ...(maxStatusAge === undefined ? {} : { maxStatusAge }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
  };
}

/** A verifier over the repository's public documents: no credentials. */
export async function publicVerifierFor(connection: ServerConnection, options: { now?: () => Date; decodeQrImage?: (image: Uint8Array) => Promise<string> } = {}): Promise<PublicVerifier> {
  return fromRepository(() => createPublicVerifier({ ...connection, ...options }), { server: connection.baseUrl });
}

export interface ClientConnection extends ServerConnection {
  readonly clientId: string;
  readonly purpose: string;
  readonly client: LicenseClient;
}

/** A license client for the options given; the secret comes from the environment only. */
export async function clientConnection(flags: ClientFlags): Promise<ClientConnection> {
  const server = await serverConnection(flags);
  const clientId = required(flags.clientId ?? process.env.ELICENSE_CLIENT_ID, '--client-id', 'ELICENSE_CLIENT_ID');
  const secretEnv = flags.clientSecretEnv ?? 'ELICENSE_CLIENT_SECRET';
  const clientSecret = process.env[secretEnv];
  if (clientSecret === undefined || clientSecret === '') {
    throw new UsageError(`the client secret is read from the environment: set ${secretEnv}${flags.clientSecretEnv === undefined ? ' (or name another variable with --client-secret-env)' : ''}`);
  }
  const purpose = required(flags.purpose, '--purpose');
  const client = await fromRepository(() => createLicenseClient({ ...server, clientId, clientSecret, purpose }), { server: server.baseUrl, clientId });
  return { ...server, clientId, purpose, client };
}

/** What an SDK error was about, for its message. */
export interface ErrorContext {
  readonly server: string;
  readonly clientId?: string;
  readonly purpose?: string;
  readonly identifier?: string;
}

/** Collapses whitespace and cuts a server's text down to one readable line. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function suffix(error: LicenseApiError): string {
  return `(${error.code}${error.requestId ? `, request id ${oneLine(error.requestId)}` : ''})`;
}

/** One line for an SDK error; anything else is passed through unchanged. */
export function describeRepositoryError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof LicenseApiError) {
    const license = context.identifier ? `license ${context.identifier}` : 'these licenses';
    const tail = suffix(error);
    switch (error.code) {
      case 'CONSENT_REQUIRED':
        return new UsageError(
          /only the fields/.test(error.detail)
            ? `the holder shared only some fields of ${license} with this client for purpose ${context.purpose}: ${oneLine(error.detail)} ${tail}`
            : `the holder has not shared ${context.identifier ? 'this license' : 'these licenses'} with this client for purpose ${context.purpose} ${tail}`,
        );
      case 'INVALID_CLIENT':
        return new UsageError(`${context.server} refused the credentials of client ${context.clientId}: check --client-id and the secret ${tail}`);
      case 'NOT_FOUND':
        return new UsageError(`${context.server} has no ${license} this client may read ${tail}`);
      case 'RATE_LIMITED':
        return new UsageError(`${context.server} is limiting this client's requests: try again in a minute ${tail}`);
      default:
        return new UsageError(`${context.server} answered HTTP ${error.status}: ${oneLine(error.detail)} ${tail}`);
    }
  }
  if (error instanceof LicenseNetworkError) return new UsageError(oneLine(error.message));
  if (error instanceof LicenseSdkError) return new UsageError(oneLine(error.message));
  return error;
}

/** Runs an SDK call, turning its errors into one-line usage errors. */
export async function fromRepository<T>(call: () => T | Promise<T>, context: ErrorContext): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw describeRepositoryError(error, context);
  }
}

/** The environment variables the connection options fall back to, for --help. */
export const CONNECTION_ENVIRONMENT = `
Environment: ELICENSE_SERVER, ELICENSE_CLIENT_ID, ELICENSE_CLIENT_SECRET (or the variable --client-secret-env
names) and ELICENSE_TRUST_OPERATOR stand in for the options. The secret is never taken from the command line.`;
