/**
 * `elicense bundle`: what a counter without a network needs to verify licenses (the repository's trust
 * list, CRLs and status lists), saved to one file for `elicense verify --bundle`.
 */
import { Command } from 'commander';
import { certificatesFromPem, verifyTrustList } from '@elicense/core';
import type { OfflineBundle, PublicVerifier } from '@elicense/sdk';
import { UsageError } from '../errors.js';
import { readInput, writeOutput } from '../io.js';
import { fromRepository, publicVerifierFor, serverConnection, withServerOptions, type ServerConnection, type ServerFlags } from './repository-connection.js';

interface BundleFlags extends ServerFlags {
  out: string;
  license: string[];
  statusList: string[];
  json?: boolean;
}

const STATUS_PURPOSES = ['revocation', 'suspension'] as const;

/** The license types the verified trust list lets some issuer issue. */
async function trustedLicenseTypes(bundle: OfflineBundle, connection: ServerConnection): Promise<string[]> {
  const operatorCertificates = certificatesFromPem(connection.trustOperatorCertificate).map((c) => c.der);
  let content;
  try {
    ({ content } = await verifyTrustList(bundle.trustList, { at: new Date(), operatorCertificates }));
  } catch (error) {
    throw new UsageError(`the trust list of ${connection.baseUrl} does not verify against --trust-operator: ${(error as Error).message}`);
  }
  return [...new Set(content.issuers.flatMap((issuer) => issuer.licenseTypes))].sort();
}

/**
 * Every status list the repository publishes for the trusted license types. It publishes them at
 * /status/{type}/{purpose}/{n}, numbered from 0 as licenses fill them: list n+1 is asked for only
 * when list n exists.
 */
async function exportEveryStatusList(verifier: PublicVerifier, connection: ServerConnection): Promise<OfflineBundle> {
  let bundle = await verifier.exportBundle();
  const prefix = `${(connection.publicUrl ?? connection.baseUrl).replace(/\/+$/, '')}/status`;
  const listUrl = (type: string, purpose: string, n: number) => `${prefix}/${encodeURIComponent(type)}/${purpose}/${n}`;
  let growing = await trustedLicenseTypes(bundle, connection);
  for (let n = 0; growing.length > 0; n++) {
    bundle = await verifier.exportBundle({ statusListUrls: growing.flatMap((type) => STATUS_PURPOSES.map((purpose) => listUrl(type, purpose, n))) });
    growing = growing.filter((type) => STATUS_PURPOSES.some((purpose) => bundle.statusLists[listUrl(type, purpose, n)] !== undefined));
  }
  return bundle;
}

export function bundleCommand(): Command {
  return withServerOptions(
    new Command('bundle')
      .description('save what offline verification needs (trust list, CRLs, status lists) from a repository, for `elicense verify --bundle`')
      .requiredOption('--out <bundle.json>', 'where to write the bundle')
      .option('--license <file>', 'only the status lists this license names (verified online on the way); repeat for several', (v: string, all: string[]) => [...all, v], [])
      .option('--status-list <url>', 'a status list to include; repeat for several', (v: string, all: string[]) => [...all, v], [])
      .option('--json', 'print exactly one JSON object describing the bundle on stdout'),
  )
    .addHelpText(
      'after',
      `
Without --license or --status-list the bundle holds every status list the repository publishes for the
license types in its trust list. No credentials are needed: these documents are public. A bundle counts
for --max-status-age seconds after it was saved (verify's default 300; a counter that syncs once a day
verifies with --max-status-age 86400); after that the license status is INDETERMINATE.

Examples, against the demo repository (\`pnpm start\`):
  $ elicense bundle --server http://127.0.0.1:8080 --trust-operator elicense-data/trust-list-operator.pem --out bundle.json
  $ elicense verify license.pdf --bundle bundle.json --trust-operator elicense-data/trust-list-operator.pem --max-status-age 86400`,
    )
    .action(async (flags: BundleFlags) => {
      const connection = await serverConnection(flags);
      const verifier = await publicVerifierFor(connection);
      const context = { server: connection.baseUrl };
      const bundle = await fromRepository(async () => {
        if (flags.license.length === 0 && flags.statusList.length === 0) return exportEveryStatusList(verifier, connection);
        // Verifying a license fetches the status lists it names, and the bundle takes the ones seen.
        for (const file of flags.license) await verifier.verify(await readInput(file, 'license'));
        return verifier.exportBundle({ statusListUrls: flags.statusList });
      }, context);
      await writeOutput(flags.out, `${JSON.stringify(bundle, null, 2)}\n`);
      const statusLists = Object.keys(bundle.statusLists).sort();
      const summary = { out: flags.out, savedAt: bundle.savedAt, crls: bundle.crls.length, statusLists };
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(summary, null, 2)}\n`
          : `${flags.out}: trust list, ${bundle.crls.length} CRL${bundle.crls.length === 1 ? '' : 's'}, ${statusLists.length} status list${statusLists.length === 1 ? '' : 's'}, saved ${bundle.savedAt}\n` +
              statusLists.map((url) => `  ${url}\n`).join(''),
      );
    });
}
