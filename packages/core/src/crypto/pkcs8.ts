/**
 * Private key files: PKCS#8 (plain and PBES2-encrypted) and SEC1 EC keys, read into a
 * SoftwareSigningKey; and PKCS#8 PEM written back out. Decryption and encryption use WebCrypto
 * (PBKDF2 + AES-CBC), so the same code runs in browsers.
 */
import { AsnConvert, AsnProp, AsnPropTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { ECParameters, ECPrivateKey } from '@peculiar/asn1-ecc';
import { EncryptedData, EncryptedPrivateKeyInfo, PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { bufferSource, equalBytes, utf8 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { ALGORITHMS, OID, type KeyType, type SignatureAlgorithm } from './algorithms.js';
import { looksLikePem, parsePem, toPem } from './pem.js';
import { defaultAlgorithmFor, parsePublicKey } from './public-key.js';
import { sm2SigningKey, webCryptoSigningKey, type SoftwareSigningKey } from './signing-key.js';
import { IMPORT_PARAMS, isWebCryptoAlg } from './webcrypto-params.js';

const PBE_OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha1: '1.2.840.113549.2.7',
  hmacWithSha256: '1.2.840.113549.2.9',
  hmacWithSha384: '1.2.840.113549.2.10',
  hmacWithSha512: '1.2.840.113549.2.11',
  aes128Cbc: '2.16.840.1.101.3.4.1.2',
  aes192Cbc: '2.16.840.1.101.3.4.1.22',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;

const PRF_HASH: Readonly<Record<string, string>> = {
  [PBE_OID.hmacWithSha1]: 'SHA-1',
  [PBE_OID.hmacWithSha256]: 'SHA-256',
  [PBE_OID.hmacWithSha384]: 'SHA-384',
  [PBE_OID.hmacWithSha512]: 'SHA-512',
};

const AES_CBC_BITS: Readonly<Record<string, number>> = {
  [PBE_OID.aes128Cbc]: 128,
  [PBE_OID.aes192Cbc]: 192,
  [PBE_OID.aes256Cbc]: 256,
};

/** A hostile key file must not be able to stall the process for hours in PBKDF2. */
const MAX_PBKDF2_ITERATIONS = 10_000_000;
const MIN_EXPORT_ITERATIONS = 1000;
const DEFAULT_EXPORT_ITERATIONS = 100_000;

/** PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier } (RFC 8018 A.4) */
class Pbes2Params {
  @AsnProp({ type: AlgorithmIdentifier }) keyDerivationFunc = new AlgorithmIdentifier();
  @AsnProp({ type: AlgorithmIdentifier }) encryptionScheme = new AlgorithmIdentifier();
}

/**
 * PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING, otherSource AlgorithmIdentifier },
 *   iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
 * (RFC 8018 A.2). Only the `specified` salt has ever been used, so only it is modelled.
 */
class Pbkdf2Params {
  @AsnProp({ type: AsnPropTypes.OctetString }) salt = new ArrayBuffer(0);
  @AsnProp({ type: AsnPropTypes.Integer }) iterationCount = 0;
  @AsnProp({ type: AsnPropTypes.Integer, optional: true }) keyLength?: number;
  @AsnProp({ type: AlgorithmIdentifier, optional: true }) prf?: AlgorithmIdentifier;
}

function parseDer<T>(der: Uint8Array | ArrayBuffer | null | undefined, type: new () => T, what: string): T {
  if (!der) throw new ElicenseError('ERR_KEY_INVALID', `${what} is missing`);
  try {
    return AsnConvert.parse(der, type);
  } catch (cause) {
    throw new ElicenseError('ERR_KEY_INVALID', `${what} is not valid DER`, { cause });
  }
}

async function deriveAesKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
  hash: string,
  bits: number,
  usage: KeyUsage,
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', bufferSource(utf8(passphrase)), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: bufferSource(salt), iterations, hash },
    base,
    { name: 'AES-CBC', length: bits },
    false,
    [usage],
  );
}

/**
 * Decrypts data protected with PBES2 (PBKDF2 with HMAC-SHA-1/256/384/512, AES-128/192/256-CBC): the
 * scheme of encrypted PKCS#8 and of OpenSSL 3's PKCS#12 files. A wrong passphrase is
 * ERR_KEY_DECRYPT_FAILED; anything else unsupported is ERR_KEY_INVALID.
 */
export async function pbes2Decrypt(
  algorithm: AlgorithmIdentifier,
  ciphertext: Uint8Array,
  passphrase: string,
): Promise<Uint8Array> {
  if (algorithm.algorithm !== PBE_OID.pbes2) {
    throw new ElicenseError(
      'ERR_KEY_INVALID',
      `unsupported key encryption ${algorithm.algorithm}: only PBES2 (PBKDF2 with AES-CBC) is supported`,
    );
  }
  const params = parseDer(algorithm.parameters, Pbes2Params, 'PBES2 parameters');
  if (params.keyDerivationFunc.algorithm !== PBE_OID.pbkdf2) {
    throw new ElicenseError('ERR_KEY_INVALID', `unsupported PBES2 key derivation ${params.keyDerivationFunc.algorithm}`);
  }
  const kdf = parseDer(params.keyDerivationFunc.parameters, Pbkdf2Params, 'PBKDF2 parameters');
  const prf = kdf.prf?.algorithm ?? PBE_OID.hmacWithSha1;
  const hash = PRF_HASH[prf];
  if (!hash) throw new ElicenseError('ERR_KEY_INVALID', `unsupported PBKDF2 PRF ${prf}`);
  const bits = AES_CBC_BITS[params.encryptionScheme.algorithm];
  if (!bits) {
    throw new ElicenseError('ERR_KEY_INVALID', `unsupported PBES2 cipher ${params.encryptionScheme.algorithm}`);
  }
  if (kdf.keyLength !== undefined && kdf.keyLength * 8 !== bits) {
    throw new ElicenseError('ERR_KEY_INVALID', 'PBKDF2 key length does not match the cipher');
  }
  if (!(kdf.iterationCount >= 1 && kdf.iterationCount <= MAX_PBKDF2_ITERATIONS)) {
    throw new ElicenseError('ERR_KEY_INVALID', `PBKDF2 iteration count ${kdf.iterationCount} is out of range`);
  }
  const iv = new Uint8Array(parseDer(params.encryptionScheme.parameters, OctetString, 'AES-CBC IV').buffer);
  if (iv.length !== 16) throw new ElicenseError('ERR_KEY_INVALID', 'AES-CBC IV must be 16 bytes');
  const key = await deriveAesKey(passphrase, new Uint8Array(kdf.salt), kdf.iterationCount, hash, bits, 'decrypt');
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, key, bufferSource(ciphertext)));
  } catch (cause) {
    throw new ElicenseError('ERR_KEY_DECRYPT_FAILED', 'decryption failed: wrong passphrase or damaged file', { cause });
  }
}

/** PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, OpenSSL 3's default. */
async function pbes2Encrypt(
  plaintext: Uint8Array,
  passphrase: string,
  iterations: number,
): Promise<{ algorithm: AlgorithmIdentifier; ciphertext: Uint8Array }> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const key = await deriveAesKey(passphrase, salt, iterations, 'SHA-256', 256, 'encrypt');
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, bufferSource(plaintext)));
  const kdf = new Pbkdf2Params();
  kdf.salt = salt.buffer;
  kdf.iterationCount = iterations;
  kdf.prf = new AlgorithmIdentifier({ algorithm: PBE_OID.hmacWithSha256, parameters: null });
  const params = new Pbes2Params();
  params.keyDerivationFunc = new AlgorithmIdentifier({ algorithm: PBE_OID.pbkdf2, parameters: AsnConvert.serialize(kdf) });
  params.encryptionScheme = new AlgorithmIdentifier({
    algorithm: PBE_OID.aes256Cbc,
    parameters: AsnConvert.serialize(new OctetString(iv)),
  });
  return {
    algorithm: new AlgorithmIdentifier({ algorithm: PBE_OID.pbes2, parameters: AsnConvert.serialize(params) }),
    ciphertext,
  };
}

type Container = 'pkcs8' | 'encrypted' | 'sec1';

const PEM_LABELS: Readonly<Record<string, Container>> = {
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'encrypted',
  'EC PRIVATE KEY': 'sec1',
  // OpenSSL 3 `openssl ec` labels SEC1 SM2 keys this way.
  'SM2 PRIVATE KEY': 'sec1',
};

/** Tells the three DER forms apart by their first elements: SEQUENCE, or INTEGER then SEQUENCE / OCTET STRING. */
function sniffDer(der: Uint8Array): Container | undefined {
  if (der[0] !== 0x30 || der.length < 4) return undefined;
  const lengthByte = der[1]!;
  const start = lengthByte < 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  if (der[start] === 0x30) return 'encrypted';
  if (der[start] !== 0x02) return undefined;
  const next = der[start + 2 + der[start + 1]!];
  return next === 0x30 ? 'pkcs8' : next === 0x04 ? 'sec1' : undefined;
}

function readContainer(input: string | Uint8Array): { container: Container; der: Uint8Array } {
  if (typeof input === 'string' || looksLikePem(input)) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
    const blocks = parsePem(text);
    const block = blocks.find((b) => b.label in PEM_LABELS);
    if (!block) {
      const found = blocks.map((b) => b.label).join(', ') || 'none';
      throw new ElicenseError(
        'ERR_KEY_INVALID',
        `no private key PEM block (PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC PRIVATE KEY); found: ${found}. ` +
          'Convert other formats with `openssl pkcs8 -topk8`.',
      );
    }
    return { container: PEM_LABELS[block.label]!, der: block.der };
  }
  const container = sniffDer(input);
  if (!container) {
    throw new ElicenseError('ERR_KEY_INVALID', 'not a PKCS#8, encrypted PKCS#8 or SEC1 EC private key');
  }
  return { container, der: input };
}

function curveKeyType(curve: string | undefined): KeyType {
  if (curve === OID.p256) return 'EC-P256';
  if (curve === OID.sm2Curve) return 'SM2';
  throw new ElicenseError('ERR_KEY_INVALID', `unsupported EC curve ${curve ?? '(none named)'}`);
}

function keyTypeOf(algorithm: AlgorithmIdentifier): KeyType {
  switch (algorithm.algorithm) {
    case OID.ecPublicKey:
      return curveKeyType(parseDer(algorithm.parameters, ECParameters, 'EC curve parameters').namedCurve);
    case OID.ed25519:
      return 'Ed25519';
    case OID.rsaEncryption:
    case OID.rsassaPss:
      return 'RSA';
    default:
      throw new ElicenseError('ERR_KEY_INVALID', `unsupported private key algorithm ${algorithm.algorithm}`);
  }
}

/** The key decides the algorithm; a caller's `alg` may only pick another algorithm for the same key type. */
function chooseAlgorithm(keyType: KeyType, alg: SignatureAlgorithm | undefined): SignatureAlgorithm {
  const chosen = alg ?? defaultAlgorithmFor(keyType);
  if (ALGORITHMS[chosen].keyType !== keyType) {
    throw new ElicenseError('ERR_KEY_INVALID', `a ${keyType} key cannot be used with ${chosen}`);
  }
  if (!ALGORITHMS[chosen].canSign) {
    throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${chosen} is accepted for verification only; eLicense never signs with it`);
  }
  return chosen;
}

function sm2KeyFromEcPrivateKey(ecKey: ECPrivateKey): SoftwareSigningKey {
  const raw = new Uint8Array(ecKey.privateKey.buffer);
  if (ecKey.version !== 1 || raw.length === 0 || raw.length > 32) {
    throw new ElicenseError('ERR_KEY_INVALID', 'malformed SM2 ECPrivateKey');
  }
  // Some encoders drop leading zero bytes of d.
  const d = new Uint8Array(32);
  d.set(raw, 32 - raw.length);
  const key = sm2SigningKey(d);
  if (ecKey.publicKey && !equalBytes(new Uint8Array(ecKey.publicKey), parsePublicKey(key.publicKey).keyBytes)) {
    throw new ElicenseError('ERR_KEY_INVALID', 'the SM2 key file holds a public key that does not match its private key');
  }
  return key;
}

/** The SPKI of a WebCrypto private key, through its JWK (the only public-key route WebCrypto offers). */
async function publicSpkiOf(alg: SignatureAlgorithm, privateKey: CryptoKey): Promise<Uint8Array> {
  if (!isWebCryptoAlg(alg)) throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${alg} keys are not WebCrypto keys`);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  // key_ops goes too: it says "sign", which a public key may not carry.
  for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'key_ops'] as const) delete jwk[member];
  const publicKey = await crypto.subtle.importKey('jwk', jwk, IMPORT_PARAMS[alg], true, ['verify']);
  return new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
}

async function webCryptoKeyFromPkcs8(alg: SignatureAlgorithm, pkcs8: Uint8Array): Promise<SoftwareSigningKey> {
  if (!isWebCryptoAlg(alg)) throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${alg} keys are not WebCrypto keys`);
  let privateKey: CryptoKey;
  try {
    // Extractable: software keys can be exported again, and the public key is derived via JWK.
    privateKey = await crypto.subtle.importKey('pkcs8', bufferSource(pkcs8), IMPORT_PARAMS[alg], true, ['sign']);
  } catch (cause) {
    throw new ElicenseError('ERR_KEY_INVALID', `the private key cannot be imported for ${alg}`, { cause });
  }
  return webCryptoSigningKey(alg, privateKey, await publicSpkiOf(alg, privateKey));
}

async function importPrivateKeyInfo(der: Uint8Array, alg: SignatureAlgorithm | undefined): Promise<SoftwareSigningKey> {
  const info = parseDer(der, PrivateKeyInfo, 'PKCS#8 PrivateKeyInfo');
  const keyType = keyTypeOf(info.privateKeyAlgorithm);
  const chosen = chooseAlgorithm(keyType, alg);
  if (keyType === 'SM2') {
    return sm2KeyFromEcPrivateKey(parseDer(info.privateKey.buffer, ECPrivateKey, 'SM2 ECPrivateKey'));
  }
  return webCryptoKeyFromPkcs8(chosen, der);
}

async function importSec1(der: Uint8Array, alg: SignatureAlgorithm | undefined): Promise<SoftwareSigningKey> {
  const ecKey = parseDer(der, ECPrivateKey, 'SEC1 ECPrivateKey');
  // A SEC1 key may leave the curve out; then only the caller's algorithm can say which it is.
  const curve = ecKey.parameters?.namedCurve ?? (alg === 'SM2SM3' ? OID.sm2Curve : alg === 'ES256' ? OID.p256 : undefined);
  if (curve === undefined) {
    throw new ElicenseError('ERR_KEY_INVALID', 'the EC private key names no curve: pass options.alg (ES256 or SM2SM3)');
  }
  const keyType = curveKeyType(curve);
  const chosen = chooseAlgorithm(keyType, alg);
  if (keyType === 'SM2') return sm2KeyFromEcPrivateKey(ecKey);
  const info = new PrivateKeyInfo({
    privateKeyAlgorithm: new AlgorithmIdentifier({
      algorithm: OID.ecPublicKey,
      parameters: AsnConvert.serialize(new ECParameters({ namedCurve: OID.p256 })),
    }),
    privateKey: new OctetString(der),
  });
  return webCryptoKeyFromPkcs8(chosen, new Uint8Array(AsnConvert.serialize(info)));
}

async function decryptPkcs8(der: Uint8Array, passphrase: string | undefined): Promise<Uint8Array> {
  if (passphrase === undefined) {
    throw new ElicenseError('ERR_KEY_DECRYPT_FAILED', 'the private key is encrypted: a passphrase is needed');
  }
  const encrypted = parseDer(der, EncryptedPrivateKeyInfo, 'PKCS#8 EncryptedPrivateKeyInfo');
  const plaintext = await pbes2Decrypt(
    encrypted.encryptionAlgorithm,
    new Uint8Array(encrypted.encryptedData.buffer),
    passphrase,
  );
  // A wrong passphrase still yields valid CBC padding about once in 256 tries; the garbage it
  // decrypts to is then caught here, and is still a wrong passphrase, not a bad key.
  if (sniffDer(plaintext) !== 'pkcs8') {
    throw new ElicenseError('ERR_KEY_DECRYPT_FAILED', 'decryption failed: wrong passphrase or damaged file');
  }
  return plaintext;
}

export interface ImportPrivateKeyOptions {
  /** Needed for ENCRYPTED PRIVATE KEY files. */
  readonly passphrase?: string;
  /** Which algorithm the key signs with; by default the key's own (RSA signs with PS256). */
  readonly alg?: SignatureAlgorithm;
}

/**
 * Reads a private key from PEM or DER: PKCS#8 ("PRIVATE KEY"), encrypted PKCS#8 ("ENCRYPTED PRIVATE
 * KEY", PBES2) or SEC1 ("EC PRIVATE KEY", P-256 and SM2). The key is checked against the algorithm
 * table (RSA keys below 2048 bits are refused).
 */
export async function importPrivateKey(
  input: string | Uint8Array,
  options: ImportPrivateKeyOptions = {},
): Promise<SoftwareSigningKey> {
  const { container, der } = readContainer(input);
  switch (container) {
    case 'sec1':
      return importSec1(der, options.alg);
    case 'encrypted':
      return importPrivateKeyInfo(await decryptPkcs8(der, options.passphrase), options.alg);
    case 'pkcs8':
      return importPrivateKeyInfo(der, options.alg);
  }
}

export interface ExportPrivateKeyOptions {
  /** PBKDF2 iterations when a passphrase is given; default 100000, at least 1000. */
  readonly iterations?: number;
}

/**
 * Writes the key as PKCS#8 PEM; with a passphrase, as an ENCRYPTED PRIVATE KEY (PBES2,
 * PBKDF2-HMAC-SHA256, AES-256-CBC) that `openssl pkey -passin` reads.
 */
export async function exportPrivateKeyPem(
  key: SoftwareSigningKey,
  passphrase?: string,
  options: ExportPrivateKeyOptions = {},
): Promise<string> {
  const pkcs8 = await key.exportPkcs8();
  if (passphrase === undefined) return toPem('PRIVATE KEY', pkcs8);
  if (passphrase === '') throw new ElicenseError('ERR_INVALID_INPUT', 'an empty passphrase protects nothing');
  const iterations = options.iterations ?? DEFAULT_EXPORT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < MIN_EXPORT_ITERATIONS || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new ElicenseError(
      'ERR_INVALID_INPUT',
      `iterations must be an integer from ${MIN_EXPORT_ITERATIONS} to ${MAX_PBKDF2_ITERATIONS}`,
    );
  }
  const { algorithm, ciphertext } = await pbes2Encrypt(pkcs8, passphrase, iterations);
  const encrypted = new EncryptedPrivateKeyInfo({
    encryptionAlgorithm: algorithm,
    encryptedData: new EncryptedData(ciphertext),
  });
  return toPem('ENCRYPTED PRIVATE KEY', new Uint8Array(AsnConvert.serialize(encrypted)));
}
