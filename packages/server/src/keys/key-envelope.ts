/**
 * Issuer private keys at rest: each PKCS#8 key is sealed under the server's key-encryption key (KEK),
 * which comes from the environment (ELICENSE_KEK) and never touches the database.
 *
 * Envelope format (one ASCII string, so it fits a TEXT column):
 *
 *     v1.<kek id>.<nonce>.<ciphertext>
 *
 * - `v1`: the format version; anything else is refused, so a later format can sit beside this one.
 * - kek id: the first 8 bytes of SHA-256 of the KEK, as 16 hex digits. It is public (it identifies the
 *   KEK, it does not reveal it) and lets a server started with the wrong KEK say so plainly instead of
 *   reporting a damaged key.
 * - nonce: 12 random bytes, base64url; AES-GCM's 96-bit nonce, fresh for every seal.
 * - ciphertext: AES-256-GCM of the PKCS#8 DER with the 16-byte tag appended, base64url.
 *
 * The associated data binds the format version, the kek id and the key's own id (the row it belongs to),
 * so an envelope copied onto another key's row, or with its kek id edited, fails authentication.
 * Nothing here ever puts key material (the KEK, the PKCS#8 or the ciphertext) in an error message.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  createSigner,
  ElicenseError,
  importPrivateKey,
  equalBytes,
  parseCertificate,
  type SignatureAlgorithm,
  type Signer,
} from '@elicense/core';

const VERSION = 'v1';
const KEK_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEK_ENV = 'ELICENSE_KEK';

const HEX_KEK = /^[0-9a-fA-F]{64}$/;
/** 32 bytes are 43 base64 characters and one `=` of padding; both alphabets (standard and URL) are accepted. */
const BASE64_KEK = /^[A-Za-z0-9+/_-]{43}=?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Reads the KEK as the operator writes it into ELICENSE_KEK: 32 bytes as hex (64 digits) or base64
 * (`openssl rand -base64 32`). The error names the variable and the expected shapes, never the value.
 */
export function parseKeyEncryptionKey(text: string): Uint8Array {
  const trimmed = text.trim();
  if (HEX_KEK.test(trimmed)) return new Uint8Array(Buffer.from(trimmed, 'hex'));
  if (BASE64_KEK.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === KEK_BYTES) return new Uint8Array(bytes);
  }
  throw new ElicenseError(
    'ERR_INVALID_INPUT',
    `${KEK_ENV} must be exactly ${KEK_BYTES} bytes written as base64 (44 characters, e.g. \`openssl rand -base64 32\`) ` +
      `or hex (64 digits); the value given is ${trimmed.length} characters long and is neither`,
  );
}

function assertKek(kek: Uint8Array): void {
  if (!(kek instanceof Uint8Array) || kek.length !== KEK_BYTES) {
    throw new ElicenseError('ERR_INVALID_INPUT', `the key-encryption key must be ${KEK_BYTES} bytes`);
  }
}

function assertKeyId(keyId: string): void {
  if (typeof keyId !== 'string' || keyId.length === 0) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'a sealed private key needs a non-empty key id');
  }
}

/** The public identifier of a KEK: first 8 bytes of its SHA-256, hex. */
export function keyEncryptionKeyId(kek: Uint8Array): string {
  assertKek(kek);
  return createHash('sha256').update(kek).digest().subarray(0, 8).toString('hex');
}

/** A JSON array is an unambiguous encoding: no key id can be made to look like another field. */
function associatedData(kekId: string, keyId: string): Buffer {
  return Buffer.from(JSON.stringify(['elicense-issuer-key', VERSION, kekId, keyId]), 'utf8');
}

/** Seals DER PKCS#8 for the key `keyId`; the result opens only with the same KEK and the same key id. */
export function sealPrivateKey(pkcs8Der: Uint8Array, kek: Uint8Array, keyId: string): string {
  assertKeyId(keyId);
  if (!(pkcs8Der instanceof Uint8Array) || pkcs8Der.length === 0) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'there is no private key to seal');
  }
  const kekId = keyEncryptionKeyId(kek);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(kekId, keyId));
  const ciphertext = Buffer.concat([cipher.update(pkcs8Der), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, kekId, nonce.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

interface ParsedEnvelope {
  readonly kekId: string;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

function parseEnvelope(envelope: string, keyId: string): ParsedEnvelope {
  const malformed = (why: string) =>
    new ElicenseError('ERR_KEY_INVALID', `the sealed private key of key ${JSON.stringify(keyId)} is malformed: ${why}`);
  if (typeof envelope !== 'string') throw malformed('it is not a string');
  const parts = envelope.split('.');
  if (parts.length !== 4) throw malformed(`expected 4 dot-separated parts, found ${parts.length}`);
  const [version, kekId, nonceText, ciphertextText] = parts as [string, string, string, string];
  if (version !== VERSION) throw malformed(`unknown format version ${JSON.stringify(version.slice(0, 16))}`);
  if (!/^[0-9a-f]{16}$/.test(kekId)) throw malformed('the kek id is not 16 hex digits');
  if (!BASE64URL.test(nonceText) || !BASE64URL.test(ciphertextText)) throw malformed('it is not base64url');
  const nonce = Buffer.from(nonceText, 'base64url');
  if (nonce.length !== NONCE_BYTES) throw malformed(`the nonce must be ${NONCE_BYTES} bytes`);
  const sealed = Buffer.from(ciphertextText, 'base64url');
  if (sealed.length <= TAG_BYTES) throw malformed('the ciphertext is too short');
  return {
    kekId,
    nonce,
    ciphertext: sealed.subarray(0, sealed.length - TAG_BYTES),
    tag: sealed.subarray(sealed.length - TAG_BYTES),
  };
}

/** Opens an envelope made by `sealPrivateKey`; returns the DER PKCS#8. */
export function openPrivateKey(envelope: string, kek: Uint8Array, keyId: string): Uint8Array {
  assertKeyId(keyId);
  const expectedKekId = keyEncryptionKeyId(kek);
  const parsed = parseEnvelope(envelope, keyId);
  if (parsed.kekId !== expectedKekId) {
    throw new ElicenseError(
      'ERR_KEY_DECRYPT_FAILED',
      `the key-encryption key does not match (kek id ${expectedKekId}, expected ${parsed.kekId}): ` +
        `start the server with the ${KEK_ENV} that sealed key ${JSON.stringify(keyId)}`,
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', kek, parsed.nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(parsed.kekId, keyId));
  decipher.setAuthTag(parsed.tag);
  try {
    return new Uint8Array(Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]));
  } catch {
    // GCM says only "not authentic"; both causes are named, and the cause itself carries nothing useful.
    throw new ElicenseError(
      'ERR_KEY_DECRYPT_FAILED',
      `the sealed private key of key ${JSON.stringify(keyId)} failed authentication: it was altered, or it belongs to another key`,
    );
  }
}

/**
 * Opens an envelope straight into a Signer for `alg`, with `certificates` (leaf first) vouching for it.
 * The leaf certificate must certify this very key, so a row whose certificate was renewed onto another
 * key cannot sign under the wrong name. The decrypted PKCS#8 is wiped once imported.
 */
export async function signerFromEnvelope(
  envelope: string,
  kek: Uint8Array,
  keyId: string,
  alg: SignatureAlgorithm,
  certificates: readonly Uint8Array[],
): Promise<Signer> {
  const pkcs8 = openPrivateKey(envelope, kek, keyId);
  let key;
  try {
    key = await importPrivateKey(pkcs8, { alg });
  } finally {
    pkcs8.fill(0);
  }
  const leaf = certificates[0];
  if (!leaf) throw new ElicenseError('ERR_INVALID_INPUT', `key ${JSON.stringify(keyId)} has no certificate`);
  if (!equalBytes(parseCertificate(leaf).publicKey, key.publicKey)) {
    throw new ElicenseError(
      'ERR_KEY_INVALID',
      `the certificate of key ${JSON.stringify(keyId)} certifies another public key than the sealed private key`,
    );
  }
  return createSigner(key, certificates);
}
