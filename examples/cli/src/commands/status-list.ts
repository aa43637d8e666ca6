/**
 * `elicense status-list create`: a signed W3C Bitstring Status List (revocation or suspension) with the
 * given indexes set. Licenses point at it by URL; verifiers accept it when its signer's organisation
 * is the license's issuer or a status issuer of the trust list.
 */
import { Command } from 'commander';
import {
  createSigner,
  createStatusBitstring,
  isElicenseError,
  MIN_STATUS_LIST_BITS,
  setStatusBit,
  signStatusList,
  type StatusPurpose,
} from '@elicense/core';
import { UsageError } from '../errors.js';
import { writeOutput } from '../io.js';
import { addSubcommands } from './subcommands.js';
import {
  assertKeyMatchesCertificate,
  collect,
  daysAfter,
  integerOption,
  loadCertificates,
  loadPrivateKey,
  organizationCode,
} from './inputs.js';

const PURPOSES: readonly StatusPurpose[] = ['revocation', 'suspension'];

interface CreateFlags {
  key: string;
  cert: string;
  chain?: string;
  passphraseEnv?: string;
  issuerCode?: string;
  issuerName?: string;
  url: string;
  purpose: string;
  set: string[];
  validDays: string;
  out: string;
}

function createCommand(): Command {
  return new Command('create')
    .description('create and sign a Bitstring Status List with the given indexes set')
    .requiredOption('--key <key.pem>', "the signer's private key")
    .requiredOption('--cert <cert.pem>', "the signer's certificate (a chain after it is included too)")
    .option('--chain <chain.pem>', 'intermediate CA certificates to include after the signer certificate')
    .option('--passphrase-env <VAR>', "environment variable holding the key's passphrase")
    .option('--issuer-code <uscc>', "the publishing organisation's 统一社会信用代码 (default: the certificate's)")
    .option('--issuer-name <name>', "the publishing organisation's name (default: the certificate's O)")
    .requiredOption('--url <url>', 'the URL the list is published at: licenses name it in statusListCredential')
    .requiredOption('--purpose <purpose>', 'revocation or suspension')
    .option('--set <index>', 'set the status bit at this index (the license is revoked or suspended); repeat for several', collect, [])
    .option('--valid-days <n>', 'days the list stays valid; verifiers treat it as stale after that', '1')
    .requiredOption('--out <list.jws>', 'where to write the signed list')
    .addHelpText(
      'after',
      `
The list has ${MIN_STATUS_LIST_BITS} entries (the specification's minimum, for herd privacy). A license
issued with elicense issue --status-url-base <base> points at <base>/revocation and <base>/suspension.

Examples:
  $ elicense status-list create --key issuer.key.pem --cert issuer-chain.pem \\
      --url https://status.example.gov.cn/11100000000013338W032/revocation --purpose revocation --set 17 --out revocation.jws
  $ elicense status-list create --key issuer.key.pem --cert issuer-chain.pem \\
      --url https://status.example.gov.cn/11100000000013338W032/suspension --purpose suspension --valid-days 7 --out suspension.jws`,
    )
    .action(async (flags: CreateFlags) => {
      if (!(PURPOSES as readonly string[]).includes(flags.purpose)) throw new UsageError(`--purpose must be revocation or suspension, got "${flags.purpose}"`);
      if (!URL.canParse(flags.url) || !/^https?:\/\//.test(flags.url)) throw new UsageError(`--url must be an http(s) URL, got "${flags.url}"`);
      const validDays = integerOption(flags.validDays, '--valid-days', 1, 366);
      const bits = createStatusBitstring();
      const indexes = flags.set.map((value) => integerOption(value, '--set', 0, MIN_STATUS_LIST_BITS - 1));
      for (const index of indexes) setStatusBit(bits, index, true);

      const chain = await loadCertificates(flags.cert);
      if (flags.chain !== undefined) chain.push(...(await loadCertificates(flags.chain, 'chain')));
      const leaf = chain[0]!;
      const key = await loadPrivateKey(flags.key, flags.passphraseEnv);
      assertKeyMatchesCertificate(key, leaf, flags.key, flags.cert);
      const code = flags.issuerCode ?? leaf.organizationCode;
      const name = flags.issuerName ?? leaf.organizationName;
      if (code === undefined || name === undefined) {
        throw new UsageError(`${flags.cert} names no organisation: give --issuer-code and --issuer-name`);
      }
      organizationCode(code, '--issuer-code');
      if (leaf.organizationCode !== undefined && leaf.organizationCode !== code) {
        process.stderr.write(`elicense: warning: the certificate belongs to ${leaf.organizationCode}, not ${code}; verifiers judge the list by its certificate\n`);
      }

      const validFrom = new Date(Math.floor(Date.now() / 1000) * 1000);
      const validUntil = daysAfter(validFrom, validDays);
      let jws: string;
      try {
        jws = await signStatusList(
          { id: flags.url, issuer: { code, name }, purpose: flags.purpose as StatusPurpose, bits, validFrom, validUntil },
          createSigner(key, chain.map((c) => c.der)),
        );
      } catch (error) {
        if (isElicenseError(error)) throw new UsageError(`cannot sign the status list: ${error.message} (${error.code})`);
        throw error;
      }
      await writeOutput(flags.out, `${jws}\n`);
      process.stdout.write(
        `${flags.purpose} list ${flags.url} written to ${flags.out}: ${new Set(indexes).size} of ${MIN_STATUS_LIST_BITS} set, valid until ${validUntil.toISOString()}\n`,
      );
    });
}

export function statusListCommand(): Command {
  const command = new Command('status-list').description('create signed Bitstring Status Lists (revocation, suspension)').addHelpText(
    'after',
    `
Examples:
  $ elicense status-list create --key issuer.key.pem --cert issuer-chain.pem --url https://status.example.gov.cn/t/revocation --purpose revocation --set 17 --out revocation.jws`,
  );
  return addSubcommands(command, createCommand());
}
