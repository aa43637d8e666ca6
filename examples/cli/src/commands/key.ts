/**
 * `elicense key`: signing keys for issuing offices and CAs. Keys are PKCS#8 PEM, encrypted when a
 * passphrase is given (the passphrase only ever comes from an environment variable), mode 0600.
 */
import { Command } from 'commander';
import {
  exportPrivateKeyPem,
  generateSigningKey,
  importPkcs12,
  isElicenseError,
  isSignatureAlgorithm,
  parseCertificate,
  toPem,
  type SoftwareSigningKey,
} from '@elicense/core';
import { UsageError } from '../errors.js';
import { readInput, writeOutput } from '../io.js';
import { addSubcommands } from './subcommands.js';
import { loadPrivateKey, passphraseOption, publicKeyFingerprint, writePrivateKey } from './inputs.js';

const SIGNING_ALGORITHMS = ['ES256', 'EdDSA', 'PS256', 'SM2SM3'] as const;

function keySummary(key: SoftwareSigningKey): { alg: string; fingerprint: string; publicKeyPem: string } {
  return { alg: key.alg, fingerprint: publicKeyFingerprint(key.publicKey), publicKeyPem: toPem('PUBLIC KEY', key.publicKey) };
}

function generateCommand(): Command {
  return new Command('generate')
    .description('generate a signing key and write it as PKCS#8 PEM (encrypted with a passphrase from the environment)')
    .requiredOption('--alg <alg>', `signature algorithm: ${SIGNING_ALGORITHMS.join(', ')}`)
    .requiredOption('--out <key.pem>', 'where to write the private key (mode 0600)')
    .option('--passphrase-env <VAR>', 'encrypt the key with the passphrase in this environment variable (PBES2, AES-256-CBC)')
    .option('--force', 'overwrite an existing file')
    .addHelpText(
      'after',
      `
SM2SM3 is SM2 with SM3 (GB/T 32918, ID 1234567812345678); PS256 keys are RSA 2048.
The key's public fingerprint (SHA-256 of its SubjectPublicKeyInfo) is printed on stdout.

Examples:
  $ elicense key generate --alg ES256 --out issuer.key.pem
  $ KEY_PASS='…' elicense key generate --alg SM2SM3 --out sm2.key.pem --passphrase-env KEY_PASS`,
    )
    .action(async (flags: { alg: string; out: string; passphraseEnv?: string; force?: boolean }) => {
      if (!isSignatureAlgorithm(flags.alg) || !(SIGNING_ALGORITHMS as readonly string[]).includes(flags.alg)) {
        throw new UsageError(`--alg must be one of ${SIGNING_ALGORITHMS.join(', ')}, got "${flags.alg}"`);
      }
      const passphrase = passphraseOption(flags.passphraseEnv, '--passphrase-env');
      const key = await generateSigningKey(flags.alg);
      await writePrivateKey(flags.out, await exportPrivateKeyPem(key, passphrase), flags.force === true);
      const summary = keySummary(key);
      process.stdout.write(`${summary.alg} key written to ${flags.out}${passphrase === undefined ? '' : ' (encrypted)'}\nsha256 ${summary.fingerprint}\n`);
    });
}

function importP12Command(): Command {
  return new Command('import-p12')
    .description('split a PKCS#12 (.p12/.pfx) file into a PKCS#8 key file and a PEM certificate chain (leaf first)')
    .argument('<file.p12>', 'the PKCS#12 file (OpenSSL 3 defaults: PBES2 AES-256-CBC, SHA-256 MAC)')
    .requiredOption('--passphrase-env <VAR>', 'environment variable holding the PKCS#12 passphrase')
    .requiredOption('--out-key <key.pem>', 'where to write the private key (mode 0600)')
    .requiredOption('--out-chain <chain.pem>', 'where to write the certificates, leaf first')
    .option('--key-passphrase-env <VAR>', 'encrypt the written key with the passphrase in this environment variable')
    .option('--force', 'overwrite an existing key file')
    .addHelpText(
      'after',
      `
Without --key-passphrase-env the key is written unencrypted (still mode 0600).

Examples:
  $ P12_PASS='…' elicense key import-p12 office.p12 --passphrase-env P12_PASS --out-key issuer.key.pem --out-chain issuer-chain.pem
  $ P12_PASS='…' KEY_PASS='…' elicense key import-p12 office.p12 --passphrase-env P12_PASS --key-passphrase-env KEY_PASS --out-key k.pem --out-chain c.pem`,
    )
    .action(
      async (
        file: string,
        flags: { passphraseEnv: string; outKey: string; outChain: string; keyPassphraseEnv?: string; force?: boolean },
      ) => {
        const bytes = await readInput(file, 'PKCS#12 file');
        const passphrase = passphraseOption(flags.passphraseEnv, '--passphrase-env')!;
        const keyPassphrase = passphraseOption(flags.keyPassphraseEnv, '--key-passphrase-env');
        let contents;
        try {
          contents = await importPkcs12(bytes, passphrase);
        } catch (error) {
          if (isElicenseError(error)) throw new UsageError(`${file}: ${error.message} (${error.code})`);
          throw error;
        }
        if (contents.certificates.length === 0) throw new UsageError(`${file} holds a key but no certificate`);
        await writePrivateKey(flags.outKey, await exportPrivateKeyPem(contents.key, keyPassphrase), flags.force === true);
        await writeOutput(flags.outChain, contents.certificates.map((der) => toPem('CERTIFICATE', der)).join(''));
        const leaf = parseCertificate(contents.certificates[0]!);
        process.stdout.write(
          `${contents.key.alg} key written to ${flags.outKey}${keyPassphrase === undefined ? '' : ' (encrypted)'}\n` +
            `${contents.certificates.length} certificate(s) written to ${flags.outChain}, leaf ${leaf.subject}\n` +
            `sha256 ${publicKeyFingerprint(contents.key.publicKey)}\n`,
        );
      },
    );
}

function showCommand(): Command {
  return new Command('show')
    .description("show a private key's algorithm, public key and fingerprint")
    .argument('<key.pem>', 'PKCS#8 (plain or encrypted) or SEC1 EC private key, PEM or DER')
    .option('--passphrase-env <VAR>', 'environment variable holding the passphrase of an encrypted key')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Hand the public key PEM to a CA operator: elicense ca issue-issuer --key accepts it in place of the private key.

Examples:
  $ elicense key show issuer.key.pem
  $ KEY_PASS='…' elicense key show sm2.key.pem --passphrase-env KEY_PASS --json`,
    )
    .action(async (file: string, flags: { passphraseEnv?: string; json?: boolean }) => {
      const summary = keySummary(await loadPrivateKey(file, flags.passphraseEnv));
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(summary, null, 2)}\n`
          : `算法 algorithm: ${summary.alg}\n公钥指纹 sha256: ${summary.fingerprint}\n${summary.publicKeyPem}`,
      );
    });
}

export function keyCommand(): Command {
  const command = new Command('key').description('generate, import and show signing keys').addHelpText(
    'after',
    `
Examples:
  $ elicense key generate --alg ES256 --out issuer.key.pem
  $ elicense key show issuer.key.pem
  $ P12_PASS='…' elicense key import-p12 office.p12 --passphrase-env P12_PASS --out-key k.pem --out-chain chain.pem`,
  );
  return addSubcommands(command, generateCommand(), importP12Command(), showCommand());
}
