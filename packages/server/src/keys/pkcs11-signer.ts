/**
 * Issuer keys held in a PKCS#11 token (an HSM, or SoftHSM2 in tests): a core `Signer` whose private key
 * never leaves the token, and the key generation an operator runs before a certificate is issued.
 *
 * ES256 only. The token signs with CKM_ECDSA over a SHA-256 digest computed here (every token has raw
 * CKM_ECDSA; CKM_ECDSA_SHA256 is optional), and PKCS#11 returns ECDSA signatures as r‖s, which is
 * already the JOSE form. SM2 is not offered: SoftHSM2 has no SM2 mechanism, and the Chinese HSMs that
 * do use vendor-defined mechanism numbers, so it cannot be written or tested against a standard token.
 * Ed25519 (CKM_EDDSA) and RSA-PSS are standard PKCS#11 but not needed by issuers yet.
 *
 * A key is found by its CKA_LABEL or CKA_ID. Its public key object (CKA_EC_PARAMS, CKA_EC_POINT) must
 * certify exactly what the leaf certificate certifies, and a test signature made at open time must
 * verify under the certificate's key, so a token holding mismatched objects fails when the server
 * starts rather than with the first license.
 */
import { createHash, createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import {
  KeyGenMechanism,
  KeyType,
  NamedCurve,
  ObjectClass,
  type ITemplate,
  type PrivateKey,
  type PublicKey,
  type Session,
} from 'graphene-pk11';
import { createSigner, ElicenseError, equalBytes, parseCertificate, type Signer } from '@elicense/core';
import { openPkcs11Session, pkcs11ErrorCode, type Pkcs11TokenOptions } from './pkcs11-token.js';

export { DEFAULT_PKCS11_MODULE, type Pkcs11TokenOptions } from './pkcs11-token.js';

/** The algorithms a token key can sign with here. */
export type Pkcs11Algorithm = 'ES256';

const P256 = NamedCurve.getByName('secp256r1');

export interface Pkcs11KeySelector {
  /** CKA_LABEL of the key. Give this or `keyId`. */
  readonly keyLabel?: string;
  /** CKA_ID of the key, hex. Give this or `keyLabel`. */
  readonly keyId?: string;
}

export interface OpenPkcs11SignerOptions extends Pkcs11TokenOptions, Pkcs11KeySelector {
  /** ES256, the default. */
  readonly alg?: Pkcs11Algorithm;
  /** Leaf first, DER; the leaf must certify the token's key. */
  readonly certificates: readonly Uint8Array[];
}

export interface Pkcs11SignerHandle {
  readonly signer: Signer;
  /** Ends the session; signing afterwards fails. Idempotent. */
  close(): void;
}

export interface GeneratePkcs11KeyOptions extends Pkcs11TokenOptions {
  /** CKA_LABEL for both halves; must not be taken on the token yet. */
  readonly label: string;
  readonly alg: Pkcs11Algorithm;
  /** CKA_ID, hex; 16 random bytes when absent. */
  readonly id?: string;
}

export interface GeneratedPkcs11Key {
  /** DER SubjectPublicKeyInfo, for `createIssuerCertificate`'s `subjectPublicKey`. */
  readonly publicKey: Uint8Array;
  /** CKA_ID, hex. */
  readonly keyId: string;
}

function assertEs256(alg: string | undefined): void {
  if (alg !== undefined && alg !== 'ES256') {
    throw new ElicenseError(
      'ERR_ALG_UNSUPPORTED',
      `PKCS#11 keys sign with ES256 only, not ${alg}` + (alg === 'SM2SM3' ? ' (SM2 needs vendor mechanisms that no standard token offers)' : ''),
    );
  }
}

function parseKeyId(hex: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) throw new ElicenseError('ERR_INVALID_INPUT', 'a PKCS#11 key id must be hex');
  return Buffer.from(hex, 'hex');
}

function keyTemplate(selector: Pkcs11KeySelector): ITemplate {
  if ((selector.keyLabel === undefined) === (selector.keyId === undefined)) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'select the PKCS#11 key by exactly one of keyLabel and keyId');
  }
  return selector.keyId !== undefined ? { id: parseKeyId(selector.keyId) } : { label: selector.keyLabel! };
}

function describeKey(selector: Pkcs11KeySelector): string {
  return selector.keyId !== undefined ? `with id ${selector.keyId.toLowerCase()}` : `labelled ${JSON.stringify(selector.keyLabel)}`;
}

function findOne<T>(session: Session, template: ITemplate, what: string, tokenLabel: string): T | undefined {
  const found = session.find(template);
  if (found.length > 1) {
    throw new ElicenseError('ERR_KEY_INVALID', `${found.length} ${what} objects on PKCS#11 token ${JSON.stringify(tokenLabel)}: select the key by keyId`);
  }
  return found.length === 1 ? (found.items(0).toType() as T) : undefined;
}

/**
 * CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (PKCS#11 §2.3.3); some tokens give
 * the bare point. Either way the result is a P-256 SubjectPublicKeyInfo, built and checked by OpenSSL.
 */
function p256Spki(ecParams: Buffer, ecPoint: Buffer, what: string): Uint8Array {
  if (!ecParams.equals(P256.value)) throw new ElicenseError('ERR_KEY_INVALID', `${what} is not on the P-256 curve`);
  const point = ecPoint.length === 67 && ecPoint[0] === 0x04 && ecPoint[1] === 0x41 ? ecPoint.subarray(2) : ecPoint;
  if (point.length !== 65 || point[0] !== 0x04) throw new ElicenseError('ERR_KEY_INVALID', `${what} has no uncompressed P-256 point`);
  try {
    const jwk = { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
    return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
  } catch (cause) {
    throw new ElicenseError('ERR_KEY_INVALID', `${what} is not a valid P-256 point`, { cause });
  }
}

function publicKeySpki(publicKey: PublicKey, what: string): Uint8Array {
  const { paramsECDSA, pointEC } = publicKey.getAttribute({ paramsECDSA: null, pointEC: null });
  if (!paramsECDSA || !pointEC) throw new ElicenseError('ERR_KEY_INVALID', `${what} has no EC parameters or point`);
  return p256Spki(paramsECDSA, pointEC, what);
}

/** One CKM_ECDSA signature over a digest, off the event loop (pkcs11js runs C_Sign on a worker thread). */
function ecdsaSignDigest(session: Session, key: PrivateKey, digest: Buffer): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    try {
      session.createSign('ECDSA', key).once(digest, (error, signature) => {
        if (error) reject(error);
        else resolve(new Uint8Array(signature));
      });
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * Opens the key for signing. The session stays open until `close()`; signatures are made one at a
 * time, because a PKCS#11 session runs one operation at a time (a second C_SignInit would fail with
 * CKR_OPERATION_ACTIVE).
 */
export async function openPkcs11Signer(options: OpenPkcs11SignerOptions): Promise<Pkcs11SignerHandle> {
  assertEs256(options.alg);
  const template = keyTemplate(options);
  const leaf = options.certificates[0];
  if (!leaf) throw new ElicenseError('ERR_INVALID_INPUT', 'a PKCS#11 signer needs its certificate chain, leaf first');
  const certifiedKey = parseCertificate(leaf).publicKey;

  const token = openPkcs11Session(options);
  try {
    const { session, tokenLabel } = token;
    const keyName = `key ${describeKey(options)} on PKCS#11 token ${JSON.stringify(tokenLabel)}`;
    const what = `the ${keyName}`;
    const privateKey = findOne<PrivateKey>(session, { ...template, class: ObjectClass.PRIVATE_KEY }, 'private key', tokenLabel);
    if (!privateKey) throw new ElicenseError('ERR_KEY_INVALID', `there is no private ${keyName}`);
    const attributes = privateKey.getAttribute({ keyType: null, sign: null, id: null, label: null });
    if (attributes.keyType !== KeyType.EC) throw new ElicenseError('ERR_KEY_INVALID', `${what} is not an EC key`);
    if (!attributes.sign) throw new ElicenseError('ERR_KEY_INVALID', `${what} may not sign (CKA_SIGN is false)`);
    // The public half shares the private half's CKA_ID (or, without one, its label).
    const partner: ITemplate = attributes.id && attributes.id.length > 0 ? { id: attributes.id } : { label: attributes.label ?? '' };
    const publicObject = findOne<PublicKey>(session, { ...partner, class: ObjectClass.PUBLIC_KEY }, 'public key', tokenLabel);
    if (!publicObject) {
      throw new ElicenseError('ERR_KEY_INVALID', `${what} has no public key object beside it, so it cannot be checked against its certificate`);
    }
    const publicKey = publicKeySpki(publicObject, `the public half of ${what}`);
    if (!equalBytes(publicKey, certifiedKey)) {
      throw new ElicenseError('ERR_KEY_INVALID', `${what} does not match the public key of the leaf certificate`);
    }

    let queue: Promise<unknown> = Promise.resolve();
    let closed = false;
    const sign = (data: Uint8Array): Promise<Uint8Array> => {
      const result = queue.then(async () => {
        if (closed) throw new ElicenseError('ERR_KEY_INVALID', `${what} was closed`);
        try {
          return await ecdsaSignDigest(session, privateKey, createHash('sha256').update(data).digest());
        } catch (error) {
          throw new ElicenseError('ERR_KEY_INVALID', `${what} failed to sign (${pkcs11ErrorCode(error) ?? 'unknown error'})`, { cause: error });
        }
      });
      queue = result.catch(() => undefined);
      return result;
    };

    const challenge = randomBytes(32);
    const proof = await sign(challenge);
    if (!verifySignature('sha256', challenge, { key: Buffer.from(publicKey), format: 'der', type: 'spki', dsaEncoding: 'ieee-p1363' }, proof)) {
      throw new ElicenseError('ERR_KEY_INVALID', `${what} makes signatures that its public key does not verify`);
    }

    const signer = createSigner({ alg: 'ES256', publicKey, sign }, options.certificates);
    return {
      signer,
      close() {
        if (closed) return;
        closed = true;
        // Signatures already queued fail with "was closed" instead of racing the session away.
        void queue.finally(() => token.close());
      },
    };
  } catch (error) {
    token.close();
    throw error;
  }
}

/**
 * Generates an ES256 key pair on the token: the private half sensitive and not extractable, so it can
 * only ever sign there. Returns the public key for the certificate request and the CKA_ID.
 */
export async function generatePkcs11Key(options: GeneratePkcs11KeyOptions): Promise<GeneratedPkcs11Key> {
  assertEs256(options.alg);
  if (typeof options.label !== 'string' || options.label.length === 0) {
    throw new ElicenseError('ERR_INVALID_INPUT', 'a PKCS#11 key needs a label');
  }
  const id = options.id === undefined ? randomBytes(16) : parseKeyId(options.id);
  const token = openPkcs11Session(options, true);
  try {
    const { session, tokenLabel } = token;
    for (const taken of [{ label: options.label }, { id }]) {
      if (session.find(taken).length > 0) {
        const which = 'label' in taken ? `labelled ${JSON.stringify(options.label)}` : `with id ${id.toString('hex')}`;
        throw new ElicenseError('ERR_INVALID_INPUT', `PKCS#11 token ${JSON.stringify(tokenLabel)} already holds an object ${which}`);
      }
    }
    const common = { keyType: KeyType.EC, token: true, label: options.label, id };
    const pair = await new Promise<{ publicKey: PublicKey }>((resolve, reject) => {
      session.generateKeyPair(
        KeyGenMechanism.EC,
        { ...common, class: ObjectClass.PUBLIC_KEY, paramsECDSA: P256.value, verify: true, private: false },
        { ...common, class: ObjectClass.PRIVATE_KEY, private: true, sensitive: true, extractable: false, sign: true, derive: false },
        (error, keys) => (error || !keys ? reject(error) : resolve(keys)),
      );
    }).catch((error: unknown) => {
      throw new ElicenseError('ERR_KEY_INVALID', `PKCS#11 token ${JSON.stringify(tokenLabel)} could not generate a P-256 key (${pkcs11ErrorCode(error) ?? 'unknown error'})`, {
        cause: error,
      });
    });
    return { publicKey: publicKeySpki(pair.publicKey, 'the generated public key'), keyId: id.toString('hex') };
  } finally {
    token.close();
  }
}
