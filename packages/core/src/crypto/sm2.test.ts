import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes, fromHex, toHex, utf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import { derSignatureToRaw, rawSignatureToDer } from './ecdsa-der.js';
import {
  SM2_DEFAULT_ID,
  sm2PointIsValid,
  sm2PublicFromPrivate,
  sm2RandomPrivateKey,
  sm2Sign,
  sm2Verify,
  sm2Za,
} from './sm2.js';
import { sm3 } from './sm3.js';

const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

// GB/T 32918.2-2016 appendix A key (STANDARDS-CN §2.5).
const D = fromHex('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
const P = fromHex(
  '04' +
    '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' +
    'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
);
const MESSAGE = utf8('message digest');

const VECTORS = [
  {
    id: '1234567812345678',
    k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
    za: 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3',
    e: 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640',
    r: 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3',
    s: 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
  },
  {
    id: 'ALICE123@YAHOO.COM',
    // The published A.2 (r, s) come from this k, not from the k of the vector above (STANDARDS-CN
    // §2.5 lists only that one): k = s(1+d) + rd mod n reproduces it.
    k: 0x59276e27d506861a16680f3ad9c02dcfbfbf904f533da0ac2ee1c9a45b58ff85n,
    za: '26DB4BC1839BD22E97E1DAB667EC5E0A730D5E16521398B4435C576A93AFD7ED',
    e: 'ABF7EB631D94615FD1A941D40E99932DDB1899E1DFAE7179B4A79417EA3743E5',
    r: '88348A09A3E324C4FE946843123E40C175468F3E36481885844A144D2167EA4C',
    s: '0AD2CE552FD33EAB792E5A2805E0504D014C96135F8E03891087132ABB24D48D',
  },
];

const workDir = mkdtempSync(join(tmpdir(), 'elicense-sm2-'));
after(() => rmSync(workDir, { recursive: true, force: true }));
const file = (name: string): string => join(workDir, name);

function opensslSucceeds(args: string[]): boolean {
  return spawnSync('openssl', args, { stdio: 'pipe' }).status === 0;
}

/** A fresh OpenSSL SM2 key: its PEM path, public PEM path and private scalar. */
function opensslSm2Key(name: string): { keyPem: string; pubPem: string; d: Uint8Array } {
  const keyPem = file(`${name}.pem`);
  const pubPem = file(`${name}.pub.pem`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'SM2', '-out', keyPem]);
  execFileSync('openssl', ['pkey', '-in', keyPem, '-pubout', '-out', pubPem]);
  const text = execFileSync('openssl', ['pkey', '-in', keyPem, '-text', '-noout']).toString();
  const privHex = /priv:\s*([0-9a-f:\s]+?)\s*pub:/i.exec(text)![1]!.replace(/[:\s]/g, '');
  const d = BigInt(`0x${privHex}`);
  return { keyPem, pubPem, d: fromHex(d.toString(16).padStart(64, '0')) };
}

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => isElicenseError(e) && e.code === code);
}

test('SM2 public key from the appendix A private key', () => {
  assert.equal(toHex(sm2PublicFromPrivate(D)), toHex(P));
  assert.equal(sm2PointIsValid(P), true);
});

for (const v of VECTORS) {
  test(`SM2 known answer, ID ${v.id}: Z_A, e, r, s`, () => {
    const id = utf8(v.id);
    const za = sm2Za(P, id);
    assert.equal(toHex(za), v.za.toLowerCase());
    assert.equal(toHex(sm3(concatBytes(za, MESSAGE))), v.e.toLowerCase());
    const signature = sm2Sign(D, MESSAGE, id, v.k);
    assert.equal(toHex(signature), (v.r + v.s).toLowerCase());
  });

  test(`SM2 known answer, ID ${v.id}: verifies, and fails for every flipped bit`, () => {
    const id = utf8(v.id);
    const signature = fromHex(v.r + v.s);
    assert.equal(sm2Verify(P, MESSAGE, signature, id), true);
    for (let bit = 0; bit < signature.length * 8; bit++) {
      const flipped = signature.slice();
      flipped[bit >> 3]! ^= 0x80 >> (bit & 7);
      assert.equal(sm2Verify(P, MESSAGE, flipped, id), false, `bit ${bit}`);
    }
    const otherMessage = MESSAGE.slice();
    otherMessage[0]! ^= 1;
    assert.equal(sm2Verify(P, otherMessage, signature, id), false);
  });
}

test('SM2 the ID is part of the signature: the appendix signatures fail under the other ID and the empty ID', () => {
  const [first, second] = VECTORS;
  assert.equal(sm2Verify(P, MESSAGE, fromHex(first!.r + first!.s), utf8(second!.id)), false);
  assert.equal(sm2Verify(P, MESSAGE, fromHex(second!.r + second!.s), utf8(first!.id)), false);
  assert.equal(sm2Verify(P, MESSAGE, fromHex(first!.r + first!.s), new Uint8Array(0)), false);
});

test('SM2 default ID is ASCII 1234567812345678 and is what sign and verify use when none is given', () => {
  assert.equal(toHex(SM2_DEFAULT_ID), toHex(utf8('1234567812345678')));
  const signature = sm2Sign(D, MESSAGE, undefined, VECTORS[0]!.k);
  assert.equal(toHex(signature), (VECTORS[0]!.r + VECTORS[0]!.s).toLowerCase());
  assert.equal(sm2Verify(P, MESSAGE, signature), true);
});

test('SM2 random-k signatures verify and differ each time', () => {
  const d = sm2RandomPrivateKey();
  const point = sm2PublicFromPrivate(d);
  const a = sm2Sign(d, MESSAGE);
  const b = sm2Sign(d, MESSAGE);
  assert.notEqual(toHex(a), toHex(b));
  assert.equal(sm2Verify(point, MESSAGE, a), true);
  assert.equal(sm2Verify(point, MESSAGE, b), true);
  assert.equal(sm2Verify(P, MESSAGE, a), false);
});

test('SM2 verify returns false, without throwing, for out-of-range r or s and malformed input', () => {
  const good = fromHex(VECTORS[0]!.r + VECTORS[0]!.s);
  const r = good.subarray(0, 32);
  const s = good.subarray(32);
  const n = fromHex(N.toString(16));
  const zero = new Uint8Array(32);
  for (const signature of [
    concatBytes(zero, s),
    concatBytes(r, zero),
    concatBytes(n, s),
    concatBytes(r, n),
    new Uint8Array(64).fill(0xff),
    good.subarray(0, 63),
    concatBytes(good, new Uint8Array(1)),
    rawSignatureToDer(good),
  ]) {
    assert.equal(sm2Verify(P, MESSAGE, signature), false);
  }
  const offCurve = P.slice();
  offCurve[64]! ^= 1;
  const compressed = concatBytes(Uint8Array.of(2 + (P[64]! & 1)), P.subarray(1, 33));
  for (const point of [offCurve, compressed, P.subarray(1), new Uint8Array(65), new Uint8Array(0)]) {
    assert.equal(sm2PointIsValid(point), false);
    assert.equal(sm2Verify(point, MESSAGE, good), false);
  }
  assert.equal(sm2Verify(P, MESSAGE, good, new Uint8Array(0x2000)), false);
});

test('SM2 refuses private keys outside [1, n-2] and IDs too long for ENTL', () => {
  const nMinus1 = fromHex((N - 1n).toString(16));
  for (const bad of [new Uint8Array(32), nMinus1, new Uint8Array(31).fill(1), new Uint8Array(33).fill(1)]) {
    assertCode(() => sm2PublicFromPrivate(bad), 'ERR_KEY_INVALID');
    assertCode(() => sm2Sign(bad, MESSAGE), 'ERR_KEY_INVALID');
  }
  assertCode(() => sm2Za(P, new Uint8Array(0x2000)), 'ERR_INVALID_INPUT');
  assertCode(() => sm2Za(P.subarray(1), SM2_DEFAULT_ID), 'ERR_KEY_INVALID');
  assertCode(() => sm2Sign(D, MESSAGE, SM2_DEFAULT_ID, 0n), 'ERR_INVALID_INPUT');
  assertCode(() => sm2Sign(D, MESSAGE, SM2_DEFAULT_ID, N), 'ERR_INVALID_INPUT');
});

test('SM2 interop: OpenSSL verifies our signature with distid 1234567812345678', () => {
  const { pubPem, d } = opensslSm2Key('ours');
  const message = randomMessage(300);
  writeFileSync(file('ours.msg'), message);
  writeFileSync(file('ours.sig'), rawSignatureToDer(sm2Sign(d, message)));
  const out = execFileSync('openssl', [
    'dgst', '-sm3', '-verify', pubPem, '-sigopt', 'distid:1234567812345678', '-signature', file('ours.sig'), file('ours.msg'),
  ]).toString();
  assert.match(out, /Verified OK/);
  // And OpenSSL's default (empty ID) does not accept it: the ID really is in Z_A.
  assert.equal(opensslSucceeds(['dgst', '-sm3', '-verify', pubPem, '-signature', file('ours.sig'), file('ours.msg')]), false);
});

test('SM2 interop: we verify OpenSSL signatures made with distid, and refuse ones made with the empty ID', () => {
  const { keyPem, d } = opensslSm2Key('theirs');
  const point = sm2PublicFromPrivate(d);
  const message = randomMessage(1000);
  writeFileSync(file('theirs.msg'), message);
  execFileSync('openssl', [
    'dgst', '-sm3', '-sign', keyPem, '-sigopt', 'distid:1234567812345678', '-out', file('theirs.sig'), file('theirs.msg'),
  ]);
  const withId = derSignatureToRaw(new Uint8Array(readFileSync(file('theirs.sig'))));
  assert.equal(sm2Verify(point, message, withId), true);
  assert.equal(sm2Verify(point, message, withId, new Uint8Array(0)), false);

  // OpenSSL 3.0 without distid hashes Z_A with an empty ID, as Node's crypto does (STANDARDS-CN §2.2).
  execFileSync('openssl', ['dgst', '-sm3', '-sign', keyPem, '-out', file('empty.sig'), file('theirs.msg')]);
  const emptyId = derSignatureToRaw(new Uint8Array(readFileSync(file('empty.sig'))));
  assert.equal(sm2Verify(point, message, emptyId), false);
  assert.equal(sm2Verify(point, message, emptyId, new Uint8Array(0)), true);
});

function randomMessage(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}
