/**
 * SM2 digital signatures (GB/T 32918.2-2016) on the sm2p256v1 curve, with SM3 and an explicit
 * distinguishing ID. Neither WebCrypto nor Node's crypto can make standard SM2 signatures (Node
 * hashes with an empty ID, see STANDARDS-CN §2.2), so the curve arithmetic comes from
 * @noble/curves and the SM2 scheme itself is written here.
 *
 * Keys are bytes: the private key is the 32-byte big-endian scalar d, the public key the 65-byte
 * uncompressed point 04‖x‖y. Signatures are raw r‖s (64 bytes), the JOSE form used across eLicense.
 */
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { concatBytes, toHex, utf8 } from '../bytes.js';
import { ElicenseError } from '../errors.js';
import { sm3 } from './sm3.js';

const CURVE = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
} as const;

const Point = weierstrass(CURVE);
const N = CURVE.n;

/** The default user ID of GM/T 0009-2012 / GB/T 35276: ASCII "1234567812345678". */
export const SM2_DEFAULT_ID: Uint8Array = utf8('1234567812345678');

/** a‖b‖x_G‖y_G: the fixed middle of every Z_A input. */
const CURVE_BYTES = concatBytes(...[CURVE.a, CURVE.b, CURVE.Gx, CURVE.Gy].map((v) => numberToBytesBE(v, 32)));

/** ENTL_A is two bytes of bit length, so an ID is at most 8191 bytes. */
const MAX_ID_BYTES = 0x1fff;

const mod = (a: bigint): bigint => ((a % N) + N) % N;

function scalarFromPrivateKey(privateKey: Uint8Array): bigint {
  if (privateKey.length !== 32) {
    throw new ElicenseError('ERR_KEY_INVALID', `SM2 private key must be 32 bytes, got ${privateKey.length}`);
  }
  const d = bytesToNumberBE(privateKey);
  // d = n-1 has no (1+d)^-1, so the signing formula excludes it (GB/T 32918.1 §6.1).
  if (d < 1n || d > N - 2n) throw new ElicenseError('ERR_KEY_INVALID', 'SM2 private key is out of range [1, n-2]');
  return d;
}

function isUncompressedPointShape(point: Uint8Array): boolean {
  return point.length === 65 && point[0] === 0x04;
}

type CurvePoint = InstanceType<typeof Point>;

/** Parses a public point, or returns undefined when it is not a valid uncompressed point on the curve. */
function parsePoint(point: Uint8Array): CurvePoint | undefined {
  if (!isUncompressedPointShape(point)) return undefined;
  try {
    return Point.fromBytes(point);
  } catch {
    return undefined;
  }
}

/**
 * Verifiers see the same few issuer and CA keys again and again. A key's multiplication table costs
 * about four verifications to build and then makes each verification about four times faster, so it
 * is built when a key comes back a second time. Bounded, like the WebCrypto key cache.
 */
const verifyKeys = new Map<string, { point: CurvePoint; uses: number }>();
const MAX_CACHED_KEYS = 64;
const KEY_TABLE_WINDOW = 4;

function verifyPoint(publicPoint: Uint8Array): CurvePoint | undefined {
  if (!isUncompressedPointShape(publicPoint)) return undefined;
  const cacheKey = toHex(publicPoint);
  const cached = verifyKeys.get(cacheKey);
  if (cached) {
    if (++cached.uses === 2) cached.point.precompute(KEY_TABLE_WINDOW, false);
    return cached.point;
  }
  const point = parsePoint(publicPoint);
  if (!point) return undefined;
  if (verifyKeys.size >= MAX_CACHED_KEYS) verifyKeys.clear();
  verifyKeys.set(cacheKey, { point, uses: 1 });
  return point;
}

/**
 * G for signing. k·G is nearly the whole cost of a signature; the library's table for G has 6-bit
 * windows, and 8-bit ones (33 × 128 points) make the multiplication about 40 % cheaper. The bigger table
 * takes tens of ms to build, which a signer (signing many times) repays and a one-off verification in a
 * short-lived process would not, so it belongs to a second instance of the curve that only signers use.
 */
let signingBase: CurvePoint | undefined;

function signingBasePoint(): CurvePoint {
  if (!signingBase) {
    const SigningPoint = weierstrass(CURVE);
    SigningPoint.BASE.precompute(8);
    signingBase = SigningPoint.BASE;
  }
  return signingBase;
}

/**
 * G for verification. The library's table for G costs several verifications to build: a process that
 * checks one seal (the CLI, a browser page) is faster without it, so the first few verifications use
 * G as a plain point (the tables are kept per point object) and later ones the table.
 */
const PLAIN_G = Point.fromAffine(Point.BASE.toAffine());
const VERIFICATIONS_BEFORE_TABLE = 8;
let verifications = 0;

function verificationBase(): CurvePoint {
  return ++verifications > VERIFICATIONS_BEFORE_TABLE ? Point.BASE : PLAIN_G;
}

function randomScalar(): bigint {
  for (;;) {
    const k = bytesToNumberBE(crypto.getRandomValues(new Uint8Array(32)));
    if (k >= 1n && k < N) return k;
  }
}

/** True when `point` is a 65-byte uncompressed point on sm2p256v1 (not the point at infinity). */
export function sm2PointIsValid(point: Uint8Array): boolean {
  return parsePoint(point) !== undefined;
}

/** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A). The ID is always explicit. */
export function sm2Za(publicPoint: Uint8Array, id: Uint8Array = SM2_DEFAULT_ID): Uint8Array {
  if (!isUncompressedPointShape(publicPoint)) {
    throw new ElicenseError('ERR_KEY_INVALID', 'SM2 public key must be a 65-byte uncompressed point');
  }
  if (id.length > MAX_ID_BYTES) {
    throw new ElicenseError('ERR_INVALID_INPUT', `SM2 distinguishing ID must be at most ${MAX_ID_BYTES} bytes`);
  }
  const bits = id.length * 8;
  return sm3(concatBytes(Uint8Array.of(bits >> 8, bits & 0xff), id, CURVE_BYTES, publicPoint.subarray(1)));
}

/** e = SM3(Z_A ‖ M) as an integer. */
function messageScalar(publicPoint: Uint8Array, message: Uint8Array, id: Uint8Array): bigint {
  return bytesToNumberBE(sm3(concatBytes(sm2Za(publicPoint, id), message)));
}

export function sm2PublicFromPrivate(privateKey: Uint8Array): Uint8Array {
  return Point.BASE.multiply(scalarFromPrivateKey(privateKey)).toBytes(false);
}

export function sm2RandomPrivateKey(): Uint8Array {
  for (;;) {
    const d = randomScalar();
    if (d <= N - 2n) return numberToBytesBE(d, 32);
  }
}

/**
 * A signing function for one key and ID: the public point, Z_A and (1+d)^-1 are computed once, so each
 * signature costs one scalar multiplication. `k` is for known-answer tests only: a repeated k reveals
 * the private key, so normal callers leave it out and get a fresh random k.
 */
export function sm2Signer(privateKey: Uint8Array, id: Uint8Array = SM2_DEFAULT_ID): (message: Uint8Array, k?: bigint) => Uint8Array {
  const d = scalarFromPrivateKey(privateKey);
  const base = signingBasePoint();
  const za = sm2Za(base.multiply(d).toBytes(false), id);
  const dInv = Point.Fn.inv(d + 1n);
  return (message, k) => {
    const e = bytesToNumberBE(sm3(concatBytes(za, message)));
    for (;;) {
      const nonce = k ?? randomScalar();
      if (nonce < 1n || nonce >= N) throw new ElicenseError('ERR_INVALID_INPUT', 'SM2 nonce k is out of range');
      const r = mod(e + base.multiply(nonce).x);
      const s = mod(dInv * (nonce - r * d));
      if (r !== 0n && r + nonce !== N && s !== 0n) return concatBytes(numberToBytesBE(r, 32), numberToBytesBE(s, 32));
      if (k !== undefined) throw new ElicenseError('ERR_INVALID_INPUT', 'SM2 nonce k gives a degenerate signature');
    }
  };
}

/** Signs `message` (not a digest) and returns raw r‖s; see `sm2Signer` for repeated signing. */
export function sm2Sign(
  privateKey: Uint8Array,
  message: Uint8Array,
  id: Uint8Array = SM2_DEFAULT_ID,
  k?: bigint,
): Uint8Array {
  return sm2Signer(privateKey, id)(message, k);
}

/**
 * Checks a raw r‖s signature. Returns false, never throws, for any bad signature, point or ID:
 * verifiers pass untrusted bytes straight in.
 */
export function sm2Verify(
  publicPoint: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  id: Uint8Array = SM2_DEFAULT_ID,
): boolean {
  if (signature.length !== 64 || id.length > MAX_ID_BYTES) return false;
  const P = verifyPoint(publicPoint);
  if (!P) return false;
  const r = bytesToNumberBE(signature.subarray(0, 32));
  const s = bytesToNumberBE(signature.subarray(32));
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = mod(r + s);
  if (t === 0n) return false;
  // Public scalars only, so variable-time multiplication is safe. Two single multiplications beat
  // mulAddUnsafe here once s·G uses the library's precomputed table for G.
  const R = verificationBase().multiplyUnsafe(s).add(P.multiplyUnsafe(t));
  if (R.is0()) return false;
  return mod(messageScalar(publicPoint, message, id) + R.x) === r;
}
