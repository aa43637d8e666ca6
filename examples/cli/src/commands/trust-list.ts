/**
 * `elicense trust-list`: the operator builds and signs the trust list (which issuer may issue which
 * license types, DESIGN.md §4); anyone shows one, verified against a pinned operator certificate or,
 * when none is given, the one the list carries (and says so).
 */
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import {
  createSigner,
  isElicenseError,
  isJsonObject,
  parseJsonStrict,
  signTrustList,
  verifyTrustList,
  verifyTrustListTrustingEmbeddedOperator,
  type TrustedIssuer,
  type TrustedStatusIssuer,
  type TrustListContent,
  type VerifiedTrustList,
} from '@elicense/core';
import { EXIT, UsageError } from '../errors.js';
import { parseTime, readInput, readText, writeOutput } from '../io.js';
import { trustListContentData, trustListContentLines } from '../output/trust-list.js';
import {
  assertKeyMatchesCertificate,
  collect,
  daysAfter,
  integerOption,
  licenseTypeCode,
  loadCertificates,
  loadPrivateKey,
  organizationCode,
} from './inputs.js';
import { addSubcommands } from './subcommands.js';

const ISSUER_SYNTAX = '<name>=<code>:<cert.pem>[,<cert.pem>]:<typecode>[,<typecode>]';
const STATUS_ISSUER_SYNTAX = '<name>=<code>:<cert.pem>[,<cert.pem>]';

async function certificatesOf(paths: readonly string[], baseDir: string): Promise<Uint8Array[]> {
  const all: Uint8Array[] = [];
  for (const path of paths) all.push(...(await loadCertificates(resolve(baseDir, path))).map((c) => c.der));
  return all;
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** `--issuer 吉林省住房和城乡建设厅=11220000013544541J:ca.pem:11100000000013338W032,营业执照` */
async function issuerFromOption(value: string): Promise<TrustedIssuer> {
  const eq = value.indexOf('=');
  const [code, certs, types, ...rest] = value.slice(eq + 1).split(':');
  if (eq <= 0 || code === undefined || !certs || !types || rest.length > 0) {
    throw new UsageError(`--issuer takes ${ISSUER_SYNTAX}, got "${value}"`);
  }
  return {
    name: value.slice(0, eq),
    code: organizationCode(code, `--issuer ${value.slice(0, eq)}`),
    certificates: await certificatesOf(splitList(certs), '.'),
    licenseTypes: splitList(types).map(licenseTypeCode),
  };
}

/** `--status-issuer` and `--tsa`: an organisation and its certificates, `<name>=<code>:<cert.pem>[,…]`. */
async function serviceFromOption(value: string, option: string): Promise<TrustedStatusIssuer> {
  const eq = value.indexOf('=');
  const [code, certs, ...rest] = value.slice(eq + 1).split(':');
  if (eq <= 0 || code === undefined || !certs || rest.length > 0) {
    throw new UsageError(`${option} takes ${STATUS_ISSUER_SYNTAX}, got "${value}"`);
  }
  return { name: value.slice(0, eq), code: organizationCode(code, `${option} ${value.slice(0, eq)}`), certificates: await certificatesOf(splitList(certs), '.') };
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new UsageError(`${where} must be a list of strings`);
  return value as string[];
}

function configText(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${where} must be a non-empty string`);
  return value;
}

/**
 * issuers.json: `{ "issuers": [{ "name", "code", "certificates": ["ca.pem"], "licenseTypes": ["营业执照"] }],
 * "statusIssuers": [{ "name", "code", "certificates": [...] }] }`, or just the issuers array. Certificate
 * paths are relative to the file.
 */
async function fromConfig(path: string): Promise<{ issuers: TrustedIssuer[]; statusIssuers: TrustedStatusIssuer[] }> {
  let config: unknown;
  try {
    config = parseJsonStrict(await readText(path, 'issuer configuration'));
  } catch (error) {
    if (isElicenseError(error)) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
  const object = Array.isArray(config) ? { issuers: config } : config;
  if (!isJsonObject(object) || !Array.isArray(object.issuers)) throw new UsageError(`${path} must be { "issuers": [...] } or an array of issuers`);
  const base = dirname(path);
  const issuers: TrustedIssuer[] = [];
  for (const [i, entry] of object.issuers.entries()) {
    const at = `${path}: issuers[${i}]`;
    if (!isJsonObject(entry)) throw new UsageError(`${at} must be an object`);
    issuers.push({
      name: configText(entry.name, `${at}.name`),
      code: organizationCode(configText(entry.code, `${at}.code`), `${at}.code`),
      certificates: await certificatesOf(stringList(entry.certificates, `${at}.certificates`), base),
      licenseTypes: stringList(entry.licenseTypes, `${at}.licenseTypes`).map(licenseTypeCode),
    });
  }
  const statusIssuers: TrustedStatusIssuer[] = [];
  for (const [i, entry] of (Array.isArray(object.statusIssuers) ? object.statusIssuers : []).entries()) {
    const at = `${path}: statusIssuers[${i}]`;
    if (!isJsonObject(entry)) throw new UsageError(`${at} must be an object`);
    statusIssuers.push({
      name: configText(entry.name, `${at}.name`),
      code: organizationCode(configText(entry.code, `${at}.code`), `${at}.code`),
      certificates: await certificatesOf(stringList(entry.certificates, `${at}.certificates`), base),
    });
  }
  return { issuers, statusIssuers };
}

interface BuildFlags {
  operatorKey: string;
  operatorCert: string;
  passphraseEnv?: string;
  issuer: string[];
  statusIssuer: string[];
  tsa: string[];
  sealMaker: string[];
  config?: string;
  sequence: string;
  nextUpdateDays: string;
  out: string;
}

function buildCommand(): Command {
  return new Command('build')
    .description('build and sign a trust list: each trusted issuer, its certificates and the license types it may issue')
    .requiredOption('--operator-key <key.pem>', "the platform operator's private key")
    .requiredOption('--operator-cert <cert.pem>', "the operator's certificate, then its chain (its O and organisation code name the operator)")
    .option('--passphrase-env <VAR>', "environment variable holding the operator key's passphrase")
    .option('--issuer <spec>', `a trusted issuer, ${ISSUER_SYNTAX}; type codes or names; repeat for several`, collect, [])
    .option('--status-issuer <spec>', `an organisation besides the issuers that may sign status lists, ${STATUS_ISSUER_SYNTAX}`, collect, [])
    .option('--seal-maker <spec>', `a seal-making authority (制章者) whose GB/T 38540 seals verifiers accept, ${STATUS_ISSUER_SYNTAX}`, collect, [])
    .option('--tsa <spec>', `a time-stamping authority whose tokens PDF verifiers accept, ${STATUS_ISSUER_SYNTAX} (its own certificate)`, collect, [])
    .option('--config <issuers.json>', 'issuers (and statusIssuers) from a JSON file; certificate paths relative to it')
    .requiredOption('--sequence <n>', 'sequence number: higher than that of the list this one replaces')
    .option('--next-update-days <n>', 'days until the next list is due; verifiers call the list stale after that', '90')
    .requiredOption('--out <trust-list.json>', 'where to write the signed trust list')
    .addHelpText(
      'after',
      `
The certificates of an issuer may be its CA (every signing certificate the CA issues to it is then
covered) or its signing certificates themselves.

issuers.json:
  { "issuers": [ { "name": "吉林省住房和城乡建设厅", "code": "11220000013544541J",
                   "certificates": ["ca.cert.pem"], "licenseTypes": ["建筑施工特种作业人员操作资格证书"] } ],
    "statusIssuers": [ { "name": "…", "code": "…", "certificates": ["…"] } ] }

Examples:
  $ elicense trust-list build --operator-key op.key.pem --operator-cert op.cert.pem \\
      --issuer 吉林省住房和城乡建设厅=11220000013544541J:ca.cert.pem:11100000000013338W032,11100000000013338W050 \\
      --sequence 1 --out trust-list.json
  $ elicense trust-list build --operator-key op.key.pem --operator-cert op.cert.pem --config issuers.json --sequence 2 --out trust-list.json`,
    )
    .action(async (flags: BuildFlags) => {
      const sequence = integerOption(flags.sequence, '--sequence', 1);
      const nextUpdateDays = integerOption(flags.nextUpdateDays, '--next-update-days', 1, 3650);
      const issuers: TrustedIssuer[] = [];
      const statusIssuers: TrustedStatusIssuer[] = [];
      for (const value of flags.issuer) issuers.push(await issuerFromOption(value));
      for (const value of flags.statusIssuer) statusIssuers.push(await serviceFromOption(value, '--status-issuer'));
      const timestampAuthorities: TrustedStatusIssuer[] = [];
      for (const value of flags.tsa) timestampAuthorities.push(await serviceFromOption(value, '--tsa'));
      const sealMakers: TrustedStatusIssuer[] = [];
      for (const value of flags.sealMaker) sealMakers.push(await serviceFromOption(value, '--seal-maker'));
      if (flags.config !== undefined) {
        const config = await fromConfig(flags.config);
        issuers.push(...config.issuers);
        statusIssuers.push(...config.statusIssuers);
      }
      if (issuers.length === 0) throw new UsageError('name at least one issuer with --issuer or --config');

      const chain = await loadCertificates(flags.operatorCert, 'operator certificate');
      const operatorCert = chain[0]!;
      const key = await loadPrivateKey(flags.operatorKey, flags.passphraseEnv);
      assertKeyMatchesCertificate(key, operatorCert, flags.operatorKey, flags.operatorCert);
      if (operatorCert.organizationName === undefined || operatorCert.organizationCode === undefined) {
        throw new UsageError(`${flags.operatorCert} names no organisation and 统一社会信用代码 (O and organizationIdentifier): issue it with elicense ca issue-issuer`);
      }
      const issued = new Date(Math.floor(Date.now() / 1000) * 1000);
      const content: TrustListContent = {
        sequence,
        issued: issued.toISOString(),
        nextUpdate: daysAfter(issued, nextUpdateDays).toISOString(),
        operator: { name: operatorCert.organizationName, code: operatorCert.organizationCode },
        issuers,
        statusIssuers,
        ...(timestampAuthorities.length > 0 ? { timestampAuthorities } : {}),
        ...(sealMakers.length > 0 ? { sealMakers } : {}),
      };
      let signed: string;
      try {
        signed = await signTrustList(content, createSigner(key, chain.map((c) => c.der)));
      } catch (error) {
        if (isElicenseError(error)) throw new UsageError(`cannot sign the trust list: ${error.message}${error.field ? ` (${error.field})` : ''}`);
        throw error;
      }
      await writeOutput(flags.out, signed);
      process.stdout.write(
        `trust list #${sequence} of ${content.operator.name} written to ${flags.out}: ${issuers.length} issuer(s), next update ${content.nextUpdate}\n`,
      );
    });
}

function verifiedData(list: VerifiedTrustList): Record<string, unknown> {
  return {
    verified: true,
    pinned: list.pinned,
    sha256: list.sha256,
    stale: list.stale,
    operatorCertificate: list.operatorCertificate.subject,
    ...trustListContentData(list.content),
  };
}

function verifiedLines(list: VerifiedTrustList, file: string): string[] {
  const pin = list.pinned
    ? 'the pinned operator certificate'
    : pc.yellow('the operator certificate the list carries (not pinned: pass --trust-operator to pin it)');
  return [
    `${pc.green('✔')} 信任列表 trust list ${file}: signature verified with ${pin}`,
    `  运营机构证书 operator certificate: ${list.operatorCertificate.subject}`,
    `  sha256: ${list.sha256}`,
    ...trustListContentLines(list.content, list.stale),
  ];
}

function showCommand(): Command {
  return new Command('show')
    .description('verify a trust list and show its sequence, dates, issuers and the license types each may issue')
    .argument('<trust-list.json>', 'the signed trust list')
    .option('--trust-operator <cert.pem>', 'pin the operator certificate (otherwise the one the list carries is trusted, and the output says so)')
    .option('--at <time>', 'judge staleness at this ISO 8601 time instead of now')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Exit status: 0 verified and current, 3 verified but stale (past its next update), 1 does not verify,
2 usage error or unreadable input.

Examples:
  $ elicense trust-list show trust-list.json --trust-operator op.cert.pem
  $ elicense trust-list show trust-list.json --json`,
    )
    .action(async (file: string, flags: { trustOperator?: string; at?: string; json?: boolean }) => {
      const at = flags.at === undefined ? new Date() : parseTime(flags.at, '--at');
      const bytes = await readInput(file, 'trust list');
      const pins = flags.trustOperator === undefined ? undefined : (await loadCertificates(flags.trustOperator, 'operator certificate')).map((c) => c.der);
      let list: VerifiedTrustList;
      try {
        list = pins ? await verifyTrustList(bytes, { at, operatorCertificates: pins }) : await verifyTrustListTrustingEmbeddedOperator(bytes, { at });
      } catch (error) {
        if (!isElicenseError(error)) throw error;
        if (flags.json) process.stdout.write(`${JSON.stringify({ verified: false, error: error.message, code: error.code }, null, 2)}\n`);
        else process.stdout.write(`${pc.red('✘')} 信任列表 trust list ${file} does not verify: ${error.message} (${error.code})\n`);
        process.exitCode = EXIT.failed;
        return;
      }
      process.stdout.write(flags.json ? `${JSON.stringify(verifiedData(list), null, 2)}\n` : `${verifiedLines(list, file).join('\n')}\n`);
      process.exitCode = list.stale ? EXIT.indeterminate : EXIT.passed;
    });
}

export function trustListCommand(): Command {
  const command = new Command('trust-list').description('build, sign and show trust lists (which issuer may issue which license types)').addHelpText(
    'after',
    `
Examples:
  $ elicense trust-list build --operator-key op.key.pem --operator-cert op.cert.pem --config issuers.json --sequence 1 --out trust-list.json
  $ elicense trust-list show trust-list.json --trust-operator op.cert.pem`,
  );
  return addSubcommands(command, buildCommand(), showCommand());
}
