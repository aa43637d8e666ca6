/**
 * The server's configuration, read from the environment once at start and validated, so a wrong value
 * stops the server with a message naming the variable instead of failing later on some request.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number({ error: 'a port number, 0 to 65535' }).int().min(0).max(65535);
const seconds = z.coerce.number({ error: 'a whole number of seconds' }).int().positive();

const environmentSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  ELICENSE_DATA_DIR: z.string().min(1).default('elicense-data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'a postgres://… URL, or sqlite:<file>')
    .optional(),
  /** 32 bytes, base64 or hex: encrypts issuer keys at rest. Without it the data folder keeps a generated one. */
  ELICENSE_KEK: z.string().min(1).optional(),
  /** The address clients reach the server at; status list and QR URLs are built from it. */
  ELICENSE_PUBLIC_URL: z.url().optional(),
  /** The PKCS#11 module and user PIN for keys that live in an HSM (SoftHSM2's path by default). */
  ELICENSE_PKCS11_MODULE: z.string().min(1).optional(),
  ELICENSE_PKCS11_PIN: z.string().min(1).optional(),
  ELICENSE_TOKEN_TTL: seconds.default(900),
  /** How long verifiers may cache a status list: the bound on how late they see a revocation. */
  ELICENSE_STATUS_MAX_AGE: seconds.default(300),
  ELICENSE_RATE_LIMIT: z.coerce.number({ error: 'requests per client per minute' }).int().positive().default(600),
  /** How long a batch worker's claim on a chunk of items lasts unless renewed: after a crash, how soon another takes over. */
  ELICENSE_BATCH_LEASE: seconds.default(60),
  ELICENSE_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'a size such as 20mb').default('20mb'),
  ELICENSE_DEMO: z.enum(['true', 'false']).default('true'),
  /** Browser origins (scheme://host[:port], comma-separated) whose pages may call the API and fetch status and trust lists. */
  ELICENSE_CORS_ORIGINS: z
    .string()
    .regex(/^\s*(https?:\/\/[^/,\s]+\s*(,\s*|$))*$/, 'origins such as https://approval.example.gov.cn, comma-separated')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** `sqlite:<file>` or a PostgreSQL URL. */
  readonly databaseUrl: string;
  readonly keyEncryptionKey?: string;
  readonly publicUrl: string;
  readonly pkcs11?: { readonly modulePath?: string; readonly pin: string };
  readonly tokenTtlSeconds: number;
  readonly statusMaxAgeSeconds: number;
  /** Requests per client (or address) per minute. */
  readonly rateLimitPerMinute: number;
  readonly bodyLimit: string;
  /** Seconds a batch worker holds the items it is issuing before another may take them over. */
  readonly batchLeaseSeconds: number;
  /** Create the demo platform in an empty database. */
  readonly demo: boolean;
  /** Browser origins allowed cross-origin access (CORS); none when absent. */
  readonly corsOrigins?: readonly string[];
  readonly logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}${issue.path[0] ? ` (got ${JSON.stringify(env[String(issue.path[0])])})` : ''}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.ELICENSE_DATA_DIR);
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'elicense.sqlite')}`,
    ...(e.ELICENSE_KEK ? { keyEncryptionKey: e.ELICENSE_KEK } : {}),
    ...(e.ELICENSE_PKCS11_PIN ? { pkcs11: { pin: e.ELICENSE_PKCS11_PIN, ...(e.ELICENSE_PKCS11_MODULE ? { modulePath: e.ELICENSE_PKCS11_MODULE } : {}) } } : {}),
    publicUrl: (e.ELICENSE_PUBLIC_URL ?? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${e.PORT}`).replace(/\/$/, ''),
    tokenTtlSeconds: e.ELICENSE_TOKEN_TTL,
    statusMaxAgeSeconds: e.ELICENSE_STATUS_MAX_AGE,
    rateLimitPerMinute: e.ELICENSE_RATE_LIMIT,
    bodyLimit: e.ELICENSE_BODY_LIMIT,
    batchLeaseSeconds: e.ELICENSE_BATCH_LEASE,
    demo: e.ELICENSE_DEMO === 'true',
    ...(e.ELICENSE_CORS_ORIGINS ? { corsOrigins: e.ELICENSE_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) } : {}),
    logLevel: e.LOG_LEVEL,
  };
}
