/**
 * Software signing keys: keys whose private half lives in this process (WebCrypto CryptoKeys, or SM2
 * scalars, which WebCrypto cannot hold). HSM-backed keys implement `SigningKey` elsewhere; only
 * software keys can be exported, hence the extra `exportPkcs8`.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { ECParameters, ECPrivateKey } from '@peculiar/asn1-ecc';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { bufferSource } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { ALGORITHMS, OID, type SignatureAlgorithm } from './algorithms.js';
import { assertKeyFitsAlgorithm, parsePublicKey } from './public-key.js';
import type { SigningKey } from './signer.js';
import { SM2_DEFAULT_ID, sm2PublicFromPrivate, sm2RandomPrivateKey, sm2Signer } from './sm2.js';
import { IMPORT_PARAMS, SIGN_PARAMS, isWebCryptoAlg } from './webcrypto-params.js';

export interface SoftwareSigningKey extends SigningKey {
  /** The private key as DER PKCS#8 PrivateKeyInfo, the form `openssl genpkey` writes. */
  exportPkcs8(): Promise<Uint8Array>;
}

export interface GenerateSigningKeyOptions {
  /** PS256 only: 2048 (default), 3072 or 4096. */
  readonly rsaBits?: number;
}

/** RS256 is in the table for verification only. */
type SigningAlgorithm = Exclude<SignatureAlgorithm, 'RS256'>;
type WebCryptoSigningAlg = Exclude<SigningAlgorithm, 'SM2SM3'>;

const RSA_BITS = [2048, 3072, 4096];

function assertCanSign(alg: SignatureAlgorithm): asserts alg is SigningAlgorithm {
  if (!ALGORITHMS[alg].canSign) {
    throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${alg} is accepted for verification only; eLicense never signs with it`);
  }
}

function generateParams(alg: WebCryptoSigningAlg, rsaBits: number): EcKeyGenParams | RsaHashedKeyGenParams | Algorithm {
  if (alg !== 'PS256') return IMPORT_PARAMS[alg];
  return { name: 'RSA-PSS', hash: 'SHA-256', modulusLength: rsaBits, publicExponent: new Uint8Array([1, 0, 1]) };
}

export async function generateSigningKey(
  alg: SignatureAlgorithm,
  options: GenerateSigningKeyOptions = {},
): Promise<SoftwareSigningKey> {
  assertCanSign(alg);
  if (options.rsaBits !== undefined && (alg !== 'PS256' || !RSA_BITS.includes(options.rsaBits))) {
    throw new ElicenseError('ERR_INVALID_INPUT', `rsaBits must be one of ${RSA_BITS.join(', ')} and only with PS256`);
  }
  if (alg === 'SM2SM3') return sm2SigningKey(sm2RandomPrivateKey());
  // Extractable, because a software key that cannot be saved is of no use to an issuer.
  const pair = (await crypto.subtle.generateKey(generateParams(alg, options.rsaBits ?? 2048), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return webCryptoSigningKey(alg, pair.privateKey, spki);
}

/** Same algorithm, curve and hash: an RSA-PSS key bound to SHA-384 would silently sign something else. */
function keyMatchesParams(key: KeyAlgorithm, params: Algorithm): boolean {
  const curve = (key as EcKeyAlgorithm).namedCurve;
  const hash = (key as RsaHashedKeyAlgorithm).hash?.name;
  return (
    key.name === params.name &&
    curve === (params as EcKeyImportParams).namedCurve &&
    hash === (params as RsaHashedImportParams).hash
  );
}

/** Wraps a WebCrypto private key, after checking it and its public key against the algorithm table. */
export function webCryptoSigningKey(
  alg: SignatureAlgorithm,
  privateKey: CryptoKey,
  publicKeySpki: Uint8Array,
): SoftwareSigningKey {
  assertCanSign(alg);
  if (!isWebCryptoAlg(alg)) throw new ElicenseError('ERR_ALG_UNSUPPORTED', `${alg} keys are not WebCrypto keys`);
  assertKeyFitsAlgorithm(alg, parsePublicKey(publicKeySpki));
  if (privateKey.type !== 'private' || !keyMatchesParams(privateKey.algorithm, IMPORT_PARAMS[alg])) {
    throw new ElicenseError('ERR_KEY_INVALID', `expected a ${IMPORT_PARAMS[alg].name} private key for ${alg}`);
  }
  const publicKey = publicKeySpki.slice();
  return {
    alg,
    publicKey,
    sign: async (data) => new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS[alg], privateKey, bufferSource(data))),
    exportPkcs8: async () => {
      try {
        return new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey));
      } catch (cause) {
        throw new ElicenseError('ERR_KEY_INVALID', 'the private key is not extractable', { cause });
      }
    },
  };
}

const sm2CurveParameters = (): ArrayBuffer => AsnConvert.serialize(new ECParameters({ namedCurve: OID.sm2Curve }));

/** SM2 SubjectPublicKeyInfo: id-ecPublicKey with the SM2 curve, the same bytes OpenSSL writes. */
function sm2Spki(point: Uint8Array): Uint8Array {
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: OID.ecPublicKey, parameters: sm2CurveParameters() }),
    subjectPublicKey: point.slice().buffer,
  });
  return new Uint8Array(AsnConvert.serialize(spki));
}

/**
 * SM2 PKCS#8 exactly as `openssl genpkey -algorithm SM2` writes it: the curve in the outer
 * AlgorithmIdentifier, and an ECPrivateKey without [0] parameters but with the [1] public key.
 */
function sm2Pkcs8(d: Uint8Array, point: Uint8Array): Uint8Array {
  const ecPrivateKey = new ECPrivateKey({
    version: 1,
    privateKey: new OctetString(d),
    publicKey: point.slice().buffer,
  });
  const info = new PrivateKeyInfo({
    privateKeyAlgorithm: new AlgorithmIdentifier({ algorithm: OID.ecPublicKey, parameters: sm2CurveParameters() }),
    privateKey: new OctetString(AsnConvert.serialize(ecPrivateKey)),
  });
  return new Uint8Array(AsnConvert.serialize(info));
}

/** An SM2 signing key from its 32-byte private scalar; signs with ID 1234567812345678. */
export function sm2SigningKey(d: Uint8Array): SoftwareSigningKey {
  const scalar = d.slice();
  const point = sm2PublicFromPrivate(scalar);
  const sign = sm2Signer(scalar, SM2_DEFAULT_ID);
  return {
    alg: 'SM2SM3',
    publicKey: sm2Spki(point),
    sign: async (data) => sign(data),
    exportPkcs8: async () => sm2Pkcs8(scalar, point),
  };
}
