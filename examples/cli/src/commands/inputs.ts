/**
 * What the issuing and CA commands read from the user: private keys (plain or encrypted), public keys,
 * certificates, license types and numbers, each turned into a UsageError that names the file or option
 * when it is wrong.
 */
import { createHash } from 'node:crypto';
import { access, chmod } from 'node:fs/promises';
import {
  certificatesFromPem,
  checkUscc,
  defaultLicenseTypeRegistry,
  equalBytes,
  importPrivateKey,
  isElicenseError,
  looksLikePem,
  parseCertificate,
  parsePem,
  parsePublicKey,
  type CertificateInfo,
  type LicenseType,
  type SoftwareSigningKey,
} from '@elicense/core';
import { UsageError } from '../errors.js';
import { passphraseFrom, readInput, writeOutput } from '../io.js';

const DAY_MS = 86_400_000;

/** For repeatable options: `.option('--set <index>', '…', collect, [])`. */
export function collect(value: string, all: string[]): string[] {
  return [...all, value];
}

/** An integer option within bounds; commander hands every option value over as a string. */
export function integerOption(value: string, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${option} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

export function daysAfter(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

/** The passphrase in the environment variable named by `option`, so it never shows in `ps` or shell history. */
export function passphraseOption(envName: string | undefined, option: string): string | undefined {
  if (envName !== undefined && !process.env[envName]) {
    throw new UsageError(`environment variable ${envName} (named by ${option}) is not set`);
  }
  return passphraseFrom(envName);
}

/** Core errors about a named input become one usage line that says which file was wrong. */
function rethrowAbout(error: unknown, what: string): never {
  if (isElicenseError(error)) throw new UsageError(`${what}: ${error.message} (${error.code})`);
  throw error;
}

export async function loadPrivateKey(path: string, passphraseEnv: string | undefined, option = '--passphrase-env'): Promise<SoftwareSigningKey> {
  const bytes = await readInput(path, 'private key');
  const passphrase = passphraseOption(passphraseEnv, option);
  try {
    return await importPrivateKey(bytes, passphrase === undefined ? {} : { passphrase });
  } catch (error) {
    if (isElicenseError(error, 'ERR_KEY_DECRYPT_FAILED') && passphrase === undefined) {
      throw new UsageError(`private key ${path} is encrypted: name the environment variable holding its passphrase with ${option}`);
    }
    rethrowAbout(error, `private key ${path}`);
  }
}

/** A DER SubjectPublicKeyInfo from a PUBLIC KEY PEM, or from a private key file (whose public half is taken). */
export async function loadPublicKey(path: string, passphraseEnv: string | undefined, option: string): Promise<Uint8Array> {
  const bytes = await readInput(path, 'key');
  const block = looksLikePem(bytes) ? parsePem(new TextDecoder().decode(bytes)).find((b) => b.label === 'PUBLIC KEY') : undefined;
  if (!block) return (await loadPrivateKey(path, passphraseEnv, option)).publicKey;
  try {
    return parsePublicKey(block.der).spki;
  } catch (error) {
    rethrowAbout(error, `public key ${path}`);
  }
}

/** Every certificate in a PEM file (leaf first for a chain), or the one certificate of a DER file. */
export async function loadCertificates(path: string, what = 'certificate'): Promise<CertificateInfo[]> {
  const bytes = await readInput(path, what);
  let certificates: CertificateInfo[];
  try {
    certificates = looksLikePem(bytes) ? certificatesFromPem(new TextDecoder().decode(bytes)) : [parseCertificate(bytes)];
  } catch (error) {
    rethrowAbout(error, `${what} ${path}`);
  }
  if (certificates.length === 0) throw new UsageError(`${what} ${path} holds no PEM CERTIFICATE block`);
  return certificates;
}

/** Refuses a key and certificate that do not belong together, before anything is signed with them. */
export function assertKeyMatchesCertificate(key: SoftwareSigningKey, certificate: CertificateInfo, keyPath: string, certPath: string): void {
  let matches = false;
  try {
    matches = equalBytes(parsePublicKey(key.publicKey).keyBytes, parsePublicKey(certificate.publicKey).keyBytes);
  } catch {
    // An unsupported certificate key cannot be this key.
  }
  if (!matches) throw new UsageError(`private key ${keyPath} is not the key of the certificate in ${certPath} (${certificate.subject})`);
}

/** SHA-256 of the DER SubjectPublicKeyInfo, as `openssl pkey -pubout -outform DER | sha256sum` prints it. */
export function publicKeyFingerprint(spki: Uint8Array): string {
  return createHash('sha256').update(spki).digest('hex');
}

/** Private keys are never overwritten by accident, and are readable by their owner only. */
export async function writePrivateKey(path: string, pem: string, force: boolean): Promise<void> {
  if (!force) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) throw new UsageError(`${path} already exists; refusing to overwrite a key (use --force)`);
  }
  await writeOutput(path, pem, 0o600);
  // writeFile's mode applies only to a new file; an overwritten one keeps its old mode otherwise.
  await chmod(path, 0o600);
}

/** A license type of the registry by its 21-character code or its Chinese name. */
export function findLicenseType(codeOrName: string): LicenseType {
  const registry = defaultLicenseTypeRegistry;
  const type = registry.find(codeOrName) ?? registry.list().find((t) => t.name === codeOrName);
  if (!type) throw new UsageError(`unknown license type "${codeOrName}" (run elicense types to list them)`);
  return type;
}

/** A type code for a trust list: a registry type by code or name, or any well-formed code the registry does not know. */
export function licenseTypeCode(codeOrName: string): string {
  const registry = defaultLicenseTypeRegistry;
  const known = registry.find(codeOrName) ?? registry.list().find((t) => t.name === codeOrName);
  if (known) return known.code;
  if (/^[0-9A-Z]{21}$/.test(codeOrName)) return codeOrName;
  throw new UsageError(`"${codeOrName}" is neither a 21-character license type code nor the name of a known type (run elicense types)`);
}

/**
 * A 统一社会信用代码 given by the user: a malformed one is refused; one whose check characters fail is
 * used with a warning on stderr, since pilot-era codes are legal and fail them (DESIGN.md §3).
 */
export function organizationCode(code: string, where: string): string {
  const check = checkUscc(code);
  if (!check.structureValid) throw new UsageError(`${where} "${code}" is not an 18-character 统一社会信用代码`);
  if (!check.valid) {
    process.stderr.write(`elicense: warning: ${where} ${code} fails the 统一社会信用代码 check characters (GB 32100 / GB 11714); using it anyway\n`);
  }
  return code;
}
