/**
 * PKCS#12 (.p12 / .pfx) files as OpenSSL 3 writes them by default: a password MAC (HMAC with the
 * RFC 7292 appendix B key derivation), certificates in PBES2-encrypted data and the key in a
 * PBES2-shrouded key bag. The older RC2 / 3DES PBE schemes are refused with a way out, not
 * implemented: they are weak, and WebCrypto has neither cipher.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { AsnConvert, AsnProp, AsnPropTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import {
  AuthenticatedSafe,
  CertBag,
  PFX,
  SafeContents,
  id_certBag,
  id_keyBag,
  id_pkcs8ShroudedKeyBag,
  id_pkcs_12PbeIds,
  id_x509Certificate,
} from '@peculiar/asn1-pfx';
import { bufferSource, concatBytes, equalBytes } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { pbes2Decrypt, importPrivateKey } from './pkcs8.js';
import { parsePublicKey } from './public-key.js';
import type { SoftwareSigningKey } from './signing-key.js';

const CMS_DATA = '1.2.840.113549.1.7.1';
const CMS_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';

const LEGACY_MESSAGE =
  'this PKCS#12 file uses legacy RC2/3DES encryption; re-export it with the OpenSSL 3 defaults ' +
  '(PBES2 AES-256-CBC, SHA-256 MAC): `openssl pkcs12 -legacy -in old.p12 -nodes -out old.pem`, then ' +
  '`openssl pkcs12 -export -in old.pem -out new.p12`, then delete old.pem (it holds the key unencrypted)';

/** A MAC digest: its WebCrypto HMAC name, and the same hash from @noble/hashes for the key derivation. */
interface MacHash {
  readonly name: string;
  readonly hash: (data: Uint8Array) => Uint8Array;
  /** v of RFC 7292 appendix B: the hash's block length in bytes. */
  readonly blockLen: number;
}

const MAC_HASHES: Readonly<Record<string, MacHash>> = {
  '1.3.14.3.2.26': { name: 'SHA-1', hash: sha1, blockLen: sha1.blockLen },
  '2.16.840.1.101.3.4.2.1': { name: 'SHA-256', hash: sha256, blockLen: sha256.blockLen },
  '2.16.840.1.101.3.4.2.2': { name: 'SHA-384', hash: sha384, blockLen: sha384.blockLen },
  '2.16.840.1.101.3.4.2.3': { name: 'SHA-512', hash: sha512, blockLen: sha512.blockLen },
};

/** OpenSSL writes 2048; this bound keeps a hostile file from spinning the hash loop for minutes. */
const MAX_MAC_ITERATIONS = 1_000_000;

/**
 * EncryptedContentInfo ::= SEQUENCE { contentType ContentType,
 *   contentEncryptionAlgorithm AlgorithmIdentifier, encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL } (RFC 5652 6.1)
 */
class EncryptedContentInfo {
  @AsnProp({ type: AsnPropTypes.ObjectIdentifier }) contentType = '';
  @AsnProp({ type: AlgorithmIdentifier }) contentEncryptionAlgorithm = new AlgorithmIdentifier();
  @AsnProp({ type: AsnPropTypes.OctetString, context: 0, implicit: true, optional: true })
  encryptedContent?: ArrayBuffer;
}

/** EncryptedData ::= SEQUENCE { version CMSVersion, encryptedContentInfo EncryptedContentInfo, ... } (RFC 5652 8) */
class EncryptedData {
  @AsnProp({ type: AsnPropTypes.Integer }) version = 0;
  @AsnProp({ type: EncryptedContentInfo }) encryptedContentInfo = new EncryptedContentInfo();
}

function parseDer<T>(der: ArrayBuffer | Uint8Array, type: new () => T, what: string): T {
  try {
    return AsnConvert.parse(der, type);
  } catch (cause) {
    throw new ElicenseError('ERR_KEY_INVALID', `PKCS#12: ${what} is not valid DER`, { cause });
  }
}

function octets(der: ArrayBuffer, what: string): Uint8Array {
  return new Uint8Array(parseDer(der, OctetString, what).buffer);
}

function assertNotLegacy(algorithm: AlgorithmIdentifier): void {
  if (algorithm.algorithm.startsWith(`${id_pkcs_12PbeIds}.`)) throw new ElicenseError('ERR_KEY_INVALID', LEGACY_MESSAGE);
}

/** The password as PKCS#12 wants it for the MAC: UTF-16BE (BMPString) with a terminating NUL. */
function bmpPassword(passphrase: string): Uint8Array {
  const out = new Uint8Array((passphrase.length + 1) * 2);
  for (let i = 0; i < passphrase.length; i++) {
    const unit = passphrase.charCodeAt(i);
    out[i * 2] = unit >> 8;
    out[i * 2 + 1] = unit & 0xff;
  }
  return out;
}

function repeatToBlocks(bytes: Uint8Array, blockLen: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / blockLen) * blockLen);
  for (let i = 0; i < out.length; i++) out[i] = bytes[i % bytes.length]!;
  return out;
}

/**
 * RFC 7292 appendix B.2 with ID 3 (MAC key), for a key as long as the hash output, so one block
 * A_1 is the whole key and the I-update step of the appendix never runs. The hash loop runs
 * thousands of times in sequence, which is why it is a synchronous hash rather than WebCrypto.
 */
function pkcs12MacKey(macHash: MacHash, password: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  const v = macHash.blockLen;
  const diversifier = new Uint8Array(v).fill(3);
  let a = macHash.hash(concatBytes(diversifier, repeatToBlocks(salt, v), repeatToBlocks(password, v)));
  for (let i = 1; i < iterations; i++) a = macHash.hash(a);
  return a;
}

async function verifyMac(pfx: PFX, authSafe: Uint8Array, passphrase: string): Promise<void> {
  const macData = pfx.macData as PFX['macData'] | undefined;
  if (!macData) {
    throw new ElicenseError('ERR_KEY_INVALID', 'PKCS#12 file without a MAC: its integrity cannot be checked');
  }
  const digestOid = macData.mac.digestAlgorithm.algorithm;
  const macHash = MAC_HASHES[digestOid];
  if (!macHash) throw new ElicenseError('ERR_KEY_INVALID', `PKCS#12 MAC algorithm ${digestOid} is not supported`);
  if (!(macData.iterations >= 1 && macData.iterations <= MAX_MAC_ITERATIONS)) {
    throw new ElicenseError('ERR_KEY_INVALID', `PKCS#12 MAC iteration count ${macData.iterations} is out of range`);
  }
  const keyBytes = pkcs12MacKey(macHash, bmpPassword(passphrase), new Uint8Array(macData.macSalt.buffer), macData.iterations);
  const key = await crypto.subtle.importKey('raw', bufferSource(keyBytes), { name: 'HMAC', hash: macHash.name }, false, [
    'verify',
  ]);
  const mac = new Uint8Array(macData.mac.digest.buffer);
  if (!(await crypto.subtle.verify('HMAC', key, bufferSource(mac), bufferSource(authSafe)))) {
    throw new ElicenseError('ERR_KEY_DECRYPT_FAILED', 'PKCS#12 MAC check failed: wrong passphrase or damaged file');
  }
}

async function safeContentsOf(
  contentType: string,
  content: ArrayBuffer,
  passphrase: string,
): Promise<SafeContents> {
  if (contentType === CMS_DATA) return parseDer(octets(content, 'data'), SafeContents, 'SafeContents');
  if (contentType !== CMS_ENCRYPTED_DATA) {
    throw new ElicenseError('ERR_KEY_INVALID', `PKCS#12 content type ${contentType} is not supported`);
  }
  const { contentEncryptionAlgorithm, encryptedContent } = parseDer(content, EncryptedData, 'EncryptedData').encryptedContentInfo;
  assertNotLegacy(contentEncryptionAlgorithm);
  if (!encryptedContent) throw new ElicenseError('ERR_KEY_INVALID', 'PKCS#12 EncryptedData without content');
  const plaintext = await pbes2Decrypt(contentEncryptionAlgorithm, new Uint8Array(encryptedContent), passphrase);
  return parseDer(plaintext, SafeContents, 'decrypted SafeContents');
}

/** Leaf first: the certificate whose public key is the key's, then the rest in file order. */
function leafFirst(key: SoftwareSigningKey, certificates: Uint8Array[]): Uint8Array[] {
  const keyBytes = parsePublicKey(key.publicKey).keyBytes;
  const index = certificates.findIndex((der) => {
    const spki = parseDer(der, Certificate, 'certificate').tbsCertificate.subjectPublicKeyInfo;
    return equalBytes(new Uint8Array(spki.subjectPublicKey), keyBytes);
  });
  if (index < 0) {
    if (certificates.length === 0) return certificates;
    throw new ElicenseError('ERR_KEY_INVALID', 'no certificate in the PKCS#12 file matches its private key');
  }
  return [certificates[index]!, ...certificates.filter((_, i) => i !== index)];
}

export interface Pkcs12Contents {
  readonly key: SoftwareSigningKey;
  /** DER certificates, leaf (the key's own) first. */
  readonly certificates: Uint8Array[];
}

/**
 * Reads a PKCS#12 file holding one private key and its certificates. The MAC is checked first, so a
 * wrong passphrase is ERR_KEY_DECRYPT_FAILED whatever else is in the file.
 */
export async function importPkcs12(bytes: Uint8Array, passphrase: string): Promise<Pkcs12Contents> {
  const pfx = parseDer(bytes, PFX, 'PFX');
  if (pfx.version !== 3 || pfx.authSafe.contentType !== CMS_DATA) {
    throw new ElicenseError('ERR_KEY_INVALID', 'only version 3 password-integrity PKCS#12 files are supported');
  }
  const authSafe = octets(pfx.authSafe.content, 'authSafe');
  await verifyMac(pfx, authSafe, passphrase);

  const keys: SoftwareSigningKey[] = [];
  const certificates: Uint8Array[] = [];
  for (const contentInfo of parseDer(authSafe, AuthenticatedSafe, 'AuthenticatedSafe')) {
    for (const bag of await safeContentsOf(contentInfo.contentType, contentInfo.content, passphrase)) {
      if (bag.bagId === id_pkcs8ShroudedKeyBag) {
        assertNotLegacy(parseDer(bag.bagValue, EncryptedPrivateKeyInfo, 'shrouded key bag').encryptionAlgorithm);
        keys.push(await importPrivateKey(new Uint8Array(bag.bagValue), { passphrase }));
      } else if (bag.bagId === id_keyBag) {
        keys.push(await importPrivateKey(new Uint8Array(bag.bagValue)));
      } else if (bag.bagId === id_certBag) {
        const certBag = parseDer(bag.bagValue, CertBag, 'certificate bag');
        if (certBag.certId === id_x509Certificate) certificates.push(octets(certBag.certValue, 'certificate'));
      }
    }
  }
  const [key, ...extra] = keys;
  if (!key || extra.length > 0) {
    throw new ElicenseError('ERR_KEY_INVALID', `a PKCS#12 file must hold exactly one private key, found ${keys.length}`);
  }
  return { key, certificates: leafFirst(key, certificates) };
}
