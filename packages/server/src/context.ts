/** Everything a request handler or background worker needs, made once at start. */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { LicenseTypeRegistry } from '@elicense/core';
import type { BlobStore } from './blob-store.js';
import type { ServerConfig } from './config.js';
import type { Dialect } from './db/connect.js';
import type { LicenseReadQueries } from './db/license-reads.js';
import type { Database } from './db/schema.js';
import type { Keystore } from './keystore.js';
import type { SigningPool } from './services/signing-pool.js';
import type { TokenService } from './auth/tokens.js';
import type { AuditAppender } from './services/audit.js';

export interface Organisation {
  readonly name: string;
  /** 统一社会信用代码. */
  readonly code: string;
}

export interface ServerContext {
  readonly config: ServerConfig;
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The approval system's read (license + consent), prepared once: the server's hottest query. */
  readonly licenseReads: LicenseReadQueries;
  readonly blobs: BlobStore;
  readonly keys: Keystore;
  /** Signing workers for batch issuance. */
  readonly signingPool: SigningPool;
  readonly tokens: TokenService;
  readonly registry: LicenseTypeRegistry;
  /** The font licenses are printed in. */
  readonly font: Uint8Array;
  /** The platform operator: it signs the trust list, status lists and annotated copies. */
  readonly operator: Organisation;
  readonly log: Logger;
  readonly now: () => Date;
  /** Commits read entries to the audit log many to a transaction; changes append in their own. */
  readonly readAudit: AuditAppender;
}
