/**
 * `elicense ca`: the CA toolkit for platform operators — a root, issuing CAs under it, the signing
 * certificates of issuing offices (with their 统一社会信用代码), CRLs, and a readable view of any
 * certificate. Keys come from files made with `elicense key generate` (or imported from PKCS#12).
 */
import { Command } from 'commander';
import {
  createCrl,
  createIssuerCertificate,
  createIssuingCa,
  createRootCa,
  createTimeStampingCertificate,
  isElicenseError,
  REVOCATION_REASONS,
  toPem,
  type CertificateInfo,
  type RevocationReason,
  type RevokedCertificateSpec,
  type SoftwareSigningKey,
} from '@elicense/core';
import { UsageError } from '../errors.js';
import { writeOutput } from '../io.js';
import { certificateData, certificateLines } from '../output/certificate.js';
import {
  assertKeyMatchesCertificate,
  collect,
  daysAfter,
  integerOption,
  loadCertificates,
  loadPrivateKey,
  loadPublicKey,
  organizationCode,
} from './inputs.js';
import { addSubcommands } from './subcommands.js';

const MAX_DAYS = 50 * 365;

interface IssuingCaFlags {
  caCert: string;
  caKey: string;
  passphraseEnv?: string;
}

interface IssuingCa {
  readonly certificate: CertificateInfo;
  readonly key: SoftwareSigningKey;
}

/** The CA that signs: its certificate (the first in the file) and the private key that belongs to it. */
async function loadIssuingCa(flags: IssuingCaFlags): Promise<IssuingCa> {
  const [certificate] = await loadCertificates(flags.caCert, 'CA certificate');
  const key = await loadPrivateKey(flags.caKey, flags.passphraseEnv);
  assertKeyMatchesCertificate(key, certificate!, flags.caKey, flags.caCert);
  if (!certificate!.basicConstraints?.ca) throw new UsageError(`${flags.caCert} is not a CA certificate (${certificate!.subject})`);
  return { certificate: certificate!, key };
}

/** Validity from now for `days`; a certificate outliving its CA is allowed but will not validate then. */
function validity(daysValue: string, ca?: CertificateInfo): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
  const notAfter = daysAfter(notBefore, integerOption(daysValue, '--days', 1, MAX_DAYS));
  if (ca && notAfter > ca.notAfter) {
    process.stderr.write(`elicense: warning: the certificate outlives its CA (${ca.notAfter.toISOString()}); it will not validate after that\n`);
  }
  return { notBefore, notAfter };
}

/** Wraps core's input errors (a bad serial, name or date) into one usage line. */
async function signing<T>(what: string, make: () => Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (error) {
    if (isElicenseError(error)) throw new UsageError(`cannot ${what}: ${error.message} (${error.code})`);
    throw error;
  }
}

async function writeCertificate(path: string, der: Uint8Array): Promise<void> {
  await writeOutput(path, toPem('CERTIFICATE', der));
}

function reportIssued(path: string, info: { subject: string; serial: string; notAfter: Date }): void {
  process.stdout.write(`certificate written to ${path}\n  ${info.subject}\n  serial ${info.serial}, valid until ${info.notAfter.toISOString()}\n`);
}

const CA_OPTIONS = (command: Command): Command =>
  command
    .requiredOption('--ca-cert <cert.pem>', 'the signing CA certificate (the first certificate in the file)')
    .requiredOption('--ca-key <key.pem>', "the signing CA's private key")
    .option('--passphrase-env <VAR>', "environment variable holding the CA key's passphrase");

function rootCommand(): Command {
  return new Command('root')
    .description('create a self-signed root CA certificate')
    .requiredOption('--key <key.pem>', "the root's private key")
    .option('--passphrase-env <VAR>', "environment variable holding the key's passphrase")
    .requiredOption('--cn <name>', 'common name, e.g. "吉林省电子证照根 CA"')
    .option('--org <name>', 'organisation name (O)')
    .option('--days <n>', 'validity in days', '3650')
    .option('--path-length <n>', 'how many CA certificates may follow the root in a path')
    .requiredOption('--out <cert.pem>', 'where to write the certificate (PEM)')
    .addHelpText(
      'after',
      `
Examples:
  $ elicense key generate --alg SM2SM3 --out root.key.pem
  $ elicense ca root --key root.key.pem --cn "演示省电子证照根 CA" --org 演示省电子证照共享平台 --out root.cert.pem`,
    )
    .action(async (flags: { key: string; passphraseEnv?: string; cn: string; org?: string; days: string; pathLength?: string; out: string }) => {
      const key = await loadPrivateKey(flags.key, flags.passphraseEnv);
      const der = await signing('create the root certificate', () =>
        createRootCa({
          key,
          subject: { commonName: flags.cn, ...(flags.org === undefined ? {} : { organizationName: flags.org }) },
          ...validity(flags.days),
          ...(flags.pathLength === undefined ? {} : { pathLength: integerOption(flags.pathLength, '--path-length', 0, 16) }),
        }),
      );
      await writeCertificate(flags.out, der);
      const info = (await loadCertificates(flags.out))[0]!;
      reportIssued(flags.out, { subject: info.subject, serial: info.serialNumber, notAfter: info.notAfter });
    });
}

function issueCaCommand(): Command {
  return CA_OPTIONS(new Command('issue-ca'))
    .description('issue a subordinate (issuing) CA certificate')
    .requiredOption('--key <key.pem>', "the new CA's key: a public key PEM, or its private key (only the public half is used)")
    .option('--key-passphrase-env <VAR>', 'passphrase of --key, when it is an encrypted private key')
    .requiredOption('--cn <name>', 'common name')
    .option('--org <name>', 'organisation name (O)')
    .option('--path-length <n>', 'how many CA certificates may follow this one (0: it certifies only end entities)', '0')
    .option('--days <n>', 'validity in days', '1825')
    .option('--crl-url <url>', "where the signing CA publishes the CRL covering this certificate")
    .requiredOption('--out <cert.pem>', 'where to write the certificate (PEM)')
    .addHelpText(
      'after',
      `
Examples:
  $ elicense key generate --alg ES256 --out ca.key.pem
  $ elicense ca issue-ca --ca-cert root.cert.pem --ca-key root.key.pem --key ca.key.pem --cn "演示省电子证照签发 CA" --out ca.cert.pem`,
    )
    .action(
      async (
        flags: IssuingCaFlags & { key: string; keyPassphraseEnv?: string; cn: string; org?: string; pathLength: string; days: string; crlUrl?: string; out: string },
      ) => {
        const ca = await loadIssuingCa(flags);
        const subjectPublicKey = await loadPublicKey(flags.key, flags.keyPassphraseEnv, '--key-passphrase-env');
        const der = await signing('issue the CA certificate', () =>
          createIssuingCa({
            issuerCertificate: ca.certificate,
            issuerKey: ca.key,
            subjectPublicKey,
            subject: { commonName: flags.cn, ...(flags.org === undefined ? {} : { organizationName: flags.org }) },
            ...validity(flags.days, ca.certificate),
            pathLength: integerOption(flags.pathLength, '--path-length', 0, 16),
            ...(flags.crlUrl === undefined ? {} : { crlUrl: flags.crlUrl }),
          }),
        );
        await writeCertificate(flags.out, der);
        const info = (await loadCertificates(flags.out))[0]!;
        reportIssued(flags.out, { subject: info.subject, serial: info.serialNumber, notAfter: info.notAfter });
      },
    );
}

/** Writes an end-entity certificate, and with --chain-out the chain a signer presents: it, then the CA file. */
async function writeEndEntity(der: Uint8Array, flags: { out: string; chainOut?: string; caCert: string }): Promise<void> {
  await writeCertificate(flags.out, der);
  if (flags.chainOut !== undefined) {
    const caChain = await loadCertificates(flags.caCert, 'CA certificate');
    await writeOutput(flags.chainOut, [der, ...caChain.map((c) => c.der)].map((c) => toPem('CERTIFICATE', c)).join(''));
  }
  const info = (await loadCertificates(flags.out))[0]!;
  reportIssued(flags.out, { subject: info.subject, serial: info.serialNumber, notAfter: info.notAfter });
  if (flags.chainOut !== undefined) process.stdout.write(`chain written to ${flags.chainOut}\n`);
}

function issueIssuerCommand(): Command {
  return CA_OPTIONS(new Command('issue-issuer'))
    .description("issue an issuing office's signing certificate (digitalSignature, nonRepudiation) with its 统一社会信用代码")
    .requiredOption('--key <key.pem>', "the office's key: a public key PEM, or its private key (only the public half is used)")
    .option('--key-passphrase-env <VAR>', 'passphrase of --key, when it is an encrypted private key')
    .requiredOption('--org <name>', 'the issuing office, e.g. 吉林省住房和城乡建设厅')
    .requiredOption('--org-code <uscc>', 'its 统一社会信用代码 (18 characters)')
    .option('--cn <name>', 'common name (default: "<org> 电子证照签发")')
    .option('--days <n>', 'validity in days', '1095')
    .option('--crl-url <url>', 'where the CA publishes the CRL covering this certificate')
    .option('--chain-out <chain.pem>', 'also write the chain the license signer needs: this certificate, then the CA file')
    .requiredOption('--out <cert.pem>', 'where to write the certificate (PEM)')
    .addHelpText(
      'after',
      `
A code whose check characters fail (GB 32100 mod 31, GB 11714) gives a warning, not an error: codes from
the pilot years are legal and fail them.

Examples:
  $ elicense key generate --alg ES256 --out issuer.key.pem
  $ elicense ca issue-issuer --ca-cert ca.cert.pem --ca-key ca.key.pem --key issuer.key.pem \\
      --org 吉林省住房和城乡建设厅 --org-code 11220000013544541J --out issuer.cert.pem --chain-out issuer-chain.pem`,
    )
    .action(
      async (
        flags: IssuingCaFlags & {
          key: string;
          keyPassphraseEnv?: string;
          org: string;
          orgCode: string;
          cn?: string;
          days: string;
          crlUrl?: string;
          chainOut?: string;
          out: string;
        },
      ) => {
        const orgCode = organizationCode(flags.orgCode, '--org-code');
        const ca = await loadIssuingCa(flags);
        const subjectPublicKey = await loadPublicKey(flags.key, flags.keyPassphraseEnv, '--key-passphrase-env');
        const der = await signing('issue the signing certificate', () =>
          createIssuerCertificate({
            issuerCertificate: ca.certificate,
            issuerKey: ca.key,
            subjectPublicKey,
            subject: { commonName: flags.cn ?? `${flags.org} 电子证照签发`, organizationName: flags.org, organizationCode: orgCode, country: 'CN' },
            ...validity(flags.days, ca.certificate),
            ...(flags.crlUrl === undefined ? {} : { crlUrl: flags.crlUrl }),
          }),
        );
        await writeEndEntity(der, flags);
      },
    );
}

function issueTsaCommand(): Command {
  return CA_OPTIONS(new Command('issue-tsa'))
    .description("issue a time-stamping authority's certificate (RFC 3161: the single critical EKU id-kp-timeStamping)")
    .requiredOption('--key <key.pem>', "the TSA's key: a public key PEM, or its private key (only the public half is used)")
    .option('--key-passphrase-env <VAR>', 'passphrase of --key, when it is an encrypted private key')
    .requiredOption('--cn <name>', 'common name, e.g. "演示省电子证照时间戳服务"')
    .option('--org <name>', 'the organisation running it')
    .option('--days <n>', 'validity in days', '1095')
    .requiredOption('--out <cert.pem>', 'where to write the certificate (PEM)')
    .option('--chain-out <chain.pem>', 'also write the chain `elicense tsa --cert` takes: this certificate, then the CA file')
    .addHelpText(
      'after',
      `
Verifiers accept PDF timestamps only from authorities the trust list names (trust-list build --tsa).

Examples:
  $ elicense key generate --alg ES256 --out tsa.key.pem
  $ elicense ca issue-tsa --ca-cert ca.cert.pem --ca-key ca.key.pem --key tsa.key.pem --cn "演示省电子证照时间戳服务" \\
      --out tsa.cert.pem --chain-out tsa-chain.pem
  $ elicense tsa --key tsa.key.pem --cert tsa-chain.pem`,
    )
    .action(async (flags: IssuingCaFlags & { key: string; keyPassphraseEnv?: string; cn: string; org?: string; days: string; out: string; chainOut?: string }) => {
      const ca = await loadIssuingCa(flags);
      const subjectPublicKey = await loadPublicKey(flags.key, flags.keyPassphraseEnv, '--key-passphrase-env');
      const der = await signing('issue the time-stamping certificate', () =>
        createTimeStampingCertificate({
          issuerCertificate: ca.certificate,
          issuerKey: ca.key,
          subjectPublicKey,
          subject: { commonName: flags.cn, ...(flags.org === undefined ? {} : { organizationName: flags.org }), country: 'CN' },
          ...validity(flags.days, ca.certificate),
        }),
      );
      await writeEndEntity(der, flags);
    });
}

function revokedEntry(value: string, revocationDate: Date): RevokedCertificateSpec {
  const [serial = '', reason, ...rest] = value.split(':');
  if (!/^[0-9a-fA-F]{1,40}$/.test(serial) || rest.length > 0) {
    throw new UsageError(`--revoke takes SERIALHEX[:reason], got "${value}"`);
  }
  if (reason === undefined) return { serialNumber: serial.toLowerCase(), revocationDate };
  const reasons = REVOCATION_REASONS.filter((r): r is RevocationReason => r !== undefined);
  if (!(reasons as readonly string[]).includes(reason)) {
    throw new UsageError(`--revoke ${value}: the reason must be one of ${reasons.join(', ')}`);
  }
  return { serialNumber: serial.toLowerCase(), revocationDate, reason: reason as RevocationReason };
}

function crlCommand(): Command {
  return CA_OPTIONS(new Command('crl'))
    .description('issue a CRL listing the revoked certificates of a CA')
    .option('--revoke <serial[:reason]>', 'revoke the certificate with this serial (hex, as ca show prints it); repeat for several', collect, [])
    .option('--next-update-days <n>', 'days until the next CRL is due', '30')
    .requiredOption('--crl-number <n>', 'CRL number: increase it with every CRL the CA issues')
    .requiredOption('--out <crl.pem>', 'where to write the CRL (PEM)')
    .addHelpText(
      'after',
      `
Reasons (RFC 5280): ${REVOCATION_REASONS.filter((r) => r !== undefined).join(', ')}.
A CRL lists every revoked certificate of the CA: repeat the earlier --revoke options in the next CRL.

Examples:
  $ elicense ca crl --ca-cert ca.cert.pem --ca-key ca.key.pem --crl-number 1 --out ca.crl.pem
  $ elicense ca crl --ca-cert ca.cert.pem --ca-key ca.key.pem --revoke 5a3f09c1d2:keyCompromise --crl-number 2 --out ca.crl.pem`,
    )
    .action(async (flags: IssuingCaFlags & { revoke: string[]; nextUpdateDays: string; crlNumber: string; out: string }) => {
      const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000);
      const revoked = flags.revoke.map((value) => revokedEntry(value, thisUpdate));
      const nextUpdate = daysAfter(thisUpdate, integerOption(flags.nextUpdateDays, '--next-update-days', 1, 3650));
      const crlNumber = integerOption(flags.crlNumber, '--crl-number', 0);
      const ca = await loadIssuingCa(flags);
      const der = await signing('issue the CRL', () =>
        createCrl({ issuerCertificate: ca.certificate, issuerKey: ca.key, thisUpdate, nextUpdate, revoked, crlNumber }),
      );
      await writeOutput(flags.out, toPem('X509 CRL', der));
      process.stdout.write(`CRL #${crlNumber} written to ${flags.out}: ${revoked.length} revoked, next update ${nextUpdate.toISOString()}\n`);
    });
}

function showCommand(): Command {
  return new Command('show')
    .description('show a certificate (or each certificate of a chain): subject, issuer, serial, validity, organisation code, key usage')
    .argument('<cert.pem>', 'PEM (one or more certificates) or DER')
    .option('--json', 'print a JSON array, one object per certificate')
    .addHelpText(
      'after',
      `
Examples:
  $ elicense ca show issuer.cert.pem
  $ elicense ca show issuer-chain.pem --json`,
    )
    .action(async (file: string, flags: { json?: boolean }) => {
      const certificates = await loadCertificates(file);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(certificates.map(certificateData), null, 2)}\n`);
        return;
      }
      const blocks = certificates.map((info, i) => [`证书 certificate ${i + 1}/${certificates.length}`, ...certificateLines(info)].join('\n'));
      process.stdout.write(`${blocks.join('\n\n')}\n`);
    });
}

export function caCommand(): Command {
  const command = new Command('ca').description('CA toolkit: root and issuing CAs, issuing-office certificates, CRLs').addHelpText(
    'after',
    `
Examples:
  $ elicense ca root --key root.key.pem --cn "演示省电子证照根 CA" --out root.cert.pem
  $ elicense ca issue-ca --ca-cert root.cert.pem --ca-key root.key.pem --key ca.key.pem --cn "演示省电子证照签发 CA" --out ca.cert.pem
  $ elicense ca issue-issuer --ca-cert ca.cert.pem --ca-key ca.key.pem --key issuer.key.pem --org 吉林省住房和城乡建设厅 --org-code 11220000013544541J --out issuer.cert.pem
  $ elicense ca crl --ca-cert ca.cert.pem --ca-key ca.key.pem --crl-number 1 --out ca.crl.pem
  $ elicense ca show issuer.cert.pem`,
  );
  return addSubcommands(command, rootCommand(), issueCaCommand(), issueIssuerCommand(), issueTsaCommand(), crlCommand(), showCommand());
}
