/**
 * Starting the repository: data folder, key-encryption key, database and migrations, the demo platform
 * in an empty database, the batch worker, and the HTTP listener.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { defaultLicenseTypeRegistry } from '@elicense/core';
import { loadLicenseFont } from '@elicense/platform/license-font';
import { createApp } from './app.js';
import { createTokenService } from './auth/tokens.js';
import { createFolderBlobStore } from './blob-store.js';
import type { ServerConfig } from './config.js';
import type { Organisation, ServerContext } from './context.js';
import { openDatabase } from './db/connect.js';
import { licenseReadQueries } from './db/license-reads.js';
import { migrateToLatest } from './db/migrations.js';
import { openPrivateKey, parseKeyEncryptionKey } from './keys/key-envelope.js';
import { createKeystore } from './keystore.js';
import { issueDemoLicenses } from './platform/demo-licenses.js';
import { DEMO_CREDENTIALS_FILE, seedDemoPlatform } from './platform/demo-platform.js';
import { createAuditAppender } from './services/audit.js';
import { startBatchWorker, type BatchWorker } from './services/batch-jobs.js';
import { startCrlRefresher } from './services/crls.js';
import { qrVerificationUrl } from './services/license-forms.js';
import { createSigningPool } from './services/signing-pool.js';
import { readSetting } from './services/settings.js';

export interface RunningServer {
  readonly url: string;
  readonly ctx: ServerContext;
  /** Where the demo clients' secrets are, when the demo platform exists. */
  readonly demoCredentialsFile?: string;
  /** True when this start created the demo platform. */
  readonly createdDemo: boolean;
  close(): Promise<void>;
}

const KEK_FILE = 'key-encryption-key';

/** ELICENSE_KEK, or a key kept in the data folder (generated on first start) for a local server. */
async function keyEncryptionKey(config: ServerConfig, log: Logger): Promise<Uint8Array> {
  if (config.keyEncryptionKey) return parseKeyEncryptionKey(config.keyEncryptionKey);
  const file = join(config.dataDir, KEK_FILE);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return parseKeyEncryptionKey(existing.trim());
  const kek = randomBytes(32);
  await writeFile(file, `${kek.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log.warn({ file }, 'ELICENSE_KEK is not set: generated a key-encryption key in the data folder; in production give it in the environment and keep it apart from the database');
  return new Uint8Array(kek);
}

export async function startServer(initialConfig: ServerConfig, options: { now?: () => Date; log?: Logger; worker?: boolean } = {}): Promise<RunningServer> {
  let config = initialConfig;
  const log = options.log ?? pino({ level: config.logLevel, redact: ['req.headers.authorization', 'client_secret'] });
  const now = options.now ?? (() => new Date());
  await mkdir(config.dataDir, { recursive: true });
  const kek = await keyEncryptionKey(config, log);
  const database = openDatabase(config.databaseUrl, { log });
  const { db, dialect, close: closeDb } = database;
  let closeListener: (() => Promise<void>) | undefined;
  try {
    await migrateToLatest(db as never, dialect);
    const font = await loadLicenseFont();
    const empty = (await db.selectFrom('signing_keys').select('id').limit(1).execute()).length === 0;
    let createdDemo = false;
    if (empty) {
      if (!config.demo) throw new Error('the database holds no platform keys: start once with ELICENSE_DEMO=true for a demo platform, or restore a provisioned database');
      log.info('empty database: creating the demo platform');
      await seedDemoPlatform(db, { kek, font, dataDir: config.dataDir, now: now() });
      createdDemo = true;
    }
    // Listen first: with PORT=0 the public URL (in status-list and QR URLs) needs the port the system gave.
    const server = createServer((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '1' }).end('{"status":503,"code":"NOT_READY","title":"Service Unavailable","detail":"the server is starting"}');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    closeListener = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const port = (server.address() as AddressInfo).port;
    if (config.port === 0 && config.publicUrl.endsWith(':0')) config = { ...config, publicUrl: `${config.publicUrl.slice(0, -2)}:${port}` };
    const tokenRow = await db.selectFrom('signing_keys').selectAll().where('role', '=', 'token').where('active', '=', 1).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const operator = (await readSetting<Organisation>(db, 'operator'))!;
    const ctx: ServerContext = {
      config,
      db,
      dialect,
      licenseReads: licenseReadQueries(database),
      blobs: createFolderBlobStore(join(config.dataDir, 'blobs')),
      keys: createKeystore(db, { kek, ...(config.pkcs11 ? { pkcs11: config.pkcs11 } : {}) }),
      signingPool: createSigningPool({ kek, font, verificationUrl: qrVerificationUrl(config.publicUrl), log }),
      tokens: createTokenService({ pkcs8Der: openPrivateKey(tokenRow.key_envelope!, kek, tokenRow.id), issuer: config.publicUrl, ttlSeconds: config.tokenTtlSeconds, now }),
      registry: defaultLicenseTypeRegistry,
      font,
      operator,
      log,
      now,
      readAudit: createAuditAppender(database),
    };
    if (createdDemo) await issueDemoLicenses(ctx);
    const worker: BatchWorker | undefined = options.worker === false ? undefined : startBatchWorker(ctx);
    const crlRefresher = startCrlRefresher(ctx);
    const app = createApp(ctx, worker ? { worker } : {});
    server.removeAllListeners('request');
    server.on('request', app);
    server.keepAliveTimeout = 65_000;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? 'localhost' : config.host;
    const demoFile = join(config.dataDir, DEMO_CREDENTIALS_FILE);
    const hasDemo = await readFile(demoFile).then(() => true, () => false);
    return {
      url: `http://${host}:${port}`,
      ctx,
      ...(hasDemo ? { demoCredentialsFile: demoFile } : {}),
      createdDemo,
      async close() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await worker?.stop();
        await crlRefresher.stop();
        await ctx.readAudit.close();
        await ctx.signingPool.close();
        ctx.keys.close();
        await closeDb();
      },
    };
  } catch (error) {
    await closeListener?.();
    await closeDb();
    throw error;
  }
}
