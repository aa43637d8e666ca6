import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import { base64, base64url, utf8 } from '../bytes.js';
import { isElicenseError } from '../errors.js';
import { createSigner } from '../crypto/signer.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { createRootCa } from '../pki/ca.js';
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { checkProtectedHeader, checkUnprotectedHeader, DEFAULT_JWS_ALGORITHMS, DOMESTIC_JWS_ALGORITHMS } from './header.js';
import { parseJws } from './parse.js';
import { signCompact, signGeneral } from './sign.js';
import { verifyLicenseJws } from '../verify/verify-license-jws.js';

const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2030-01-01T00:00:00Z');

async function selfSignedSigner(alg: SignatureAlgorithm) {
  const key = await generateSigningKey(alg);
  const cert = await createRootCa({ key, subject: { commonName: `jws test ${alg}`, country: 'CN' }, notBefore, notAfter });
  return createSigner(key, [cert]);
}

const errorCode = (fn: () => unknown) => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return isElicenseError(error) ? error.code : String(error);
  }
};

test('compact JWS made here is verified by panva/jose for ES256, EdDSA and PS256', async () => {
  for (const alg of ['ES256', 'EdDSA', 'PS256'] as const) {
    const signer = await selfSignedSigner(alg);
    const jws = await signCompact(utf8('{"hello":"电子证照"}'), signer, { typ: 'vc+jwt' });
    const key = await jose.importSPKI(`-----BEGIN PUBLIC KEY-----\n${base64(signer.publicKey)}\n-----END PUBLIC KEY-----`, alg);
    const { payload, protectedHeader } = await jose.compactVerify(jws, key);
    assert.equal(new TextDecoder().decode(payload), '{"hello":"电子证照"}');
    assert.equal(protectedHeader.typ, 'vc+jwt');
    assert.deepEqual(protectedHeader.x5c, [base64(signer.certificates[0]!)]);
  }
});

test('a JWS jose signs parses here with the same payload and header', async () => {
  const { privateKey } = await jose.generateKeyPair('ES256');
  const jws = await new jose.CompactSign(utf8('{"a":1}')).setProtectedHeader({ alg: 'ES256', typ: 'vc+jwt', x5c: ['AAAA'] }).sign(privateKey);
  const parsed = parseJws(jws);
  assert.equal(parsed.form, 'compact');
  assert.equal(new TextDecoder().decode(parsed.payload), '{"a":1}');
  assert.deepEqual(parsed.signatures[0]!.protectedHeader, { alg: 'ES256', typ: 'vc+jwt', x5c: ['AAAA'] });
});

test('general serialization carries one signature per signer over one payload, each its own header', async () => {
  const es = await selfSignedSigner('ES256');
  const sm2 = await selfSignedSigner('SM2SM3');
  const general = await signGeneral(utf8('{"x":1}'), [es, sm2], { typ: 'vc+jwt' });
  const parsed = parseJws(JSON.stringify(general));
  assert.equal(parsed.form, 'general');
  assert.deepEqual(parsed.signatures.map((s) => (s.protectedHeader as { alg: string }).alg), ['ES256', 'SM2SM3']);
  // Flattened form of the first signature.
  const flattened = parseJws(JSON.stringify({ payload: general.payload, ...general.signatures[0]! }));
  assert.equal(flattened.form, 'flattened');
});

test('one signer signing with several headers, and then with other certificates, gets each header exactly', async () => {
  const signer = await selfSignedSigner('ES256');
  const other = await selfSignedSigner('ES256');
  const headerOf = (jws: string) => parseJws(jws).signatures[0]!.protectedHeader as Record<string, unknown>;
  const seal = (esID: string) => ({ typ: 'vc+jwt', 'elicense:seal': { esID, pictureSm3: '0'.repeat(64), sealSm3: '1'.repeat(64) } });
  for (const esID of ['22010000000001', '22010000000002', '22010000000001']) {
    assert.deepEqual(headerOf(await signCompact(utf8('{}'), signer, seal(esID))), { alg: 'ES256', ...seal(esID), x5c: [base64(signer.certificates[0]!)] });
  }
  assert.deepEqual(headerOf(await signCompact(utf8('{}'), signer, { typ: 'vc+jwt' })), { alg: 'ES256', typ: 'vc+jwt', x5c: [base64(signer.certificates[0]!)] });
  // The same signer object given another chain: the new chain goes into x5c.
  const mutable = { ...signer, sign: signer.sign.bind(signer), certificates: signer.certificates } as typeof signer;
  await signCompact(utf8('{}'), mutable, { typ: 'vc+jwt' });
  (mutable as { certificates: readonly Uint8Array[] }).certificates = other.certificates;
  assert.deepEqual(headerOf(await signCompact(utf8('{}'), mutable, { typ: 'vc+jwt' })).x5c, [base64(other.certificates[0]!)]);
});

test('the header profile refuses every way of moving trust out of the protected header', async () => {
  const signer = await selfSignedSigner('ES256');
  const x5c = [base64(signer.certificates[0]!)];
  const ok = { alg: 'ES256', typ: 'vc+jwt', x5c };
  const options = { algorithms: DEFAULT_JWS_ALGORITHMS, expectedType: 'vc+jwt' };
  assert.equal(checkProtectedHeader(ok, options).alg, 'ES256');
  const cases: [Record<string, unknown>, string][] = [
    [{ ...ok, alg: 'none' }, 'ERR_JWS_ALG_NOT_ALLOWED'],
    [{ ...ok, alg: 'HS256' }, 'ERR_JWS_ALG_NOT_ALLOWED'],
    [{ ...ok, alg: 'SM2SM3' }, 'ERR_JWS_ALG_NOT_ALLOWED'],
    [{ ...ok, crit: ['exp'] }, 'ERR_JWS_CRIT_UNSUPPORTED'],
    [{ ...ok, jwk: { kty: 'EC' } }, 'ERR_JWS_INVALID'],
    [{ ...ok, jku: 'https://attacker.example/keys' }, 'ERR_JWS_INVALID'],
    [{ ...ok, x5u: 'https://attacker.example/cert' }, 'ERR_JWS_INVALID'],
    [{ ...ok, b64: false }, 'ERR_JWS_INVALID'],
    [{ ...ok, typ: 'JWT' }, 'ERR_JWS_INVALID'],
    [{ ...ok, x5c: [] }, 'ERR_JWS_INVALID'],
    [{ ...ok, x5c: Array(11).fill(x5c[0]) }, 'ERR_JWS_INVALID'],
    [{ alg: 'ES256', typ: 'vc+jwt' }, 'ERR_JWS_INVALID'],
  ];
  for (const [header, code] of cases) assert.equal(errorCode(() => checkProtectedHeader(header, options)), code, JSON.stringify(header).slice(0, 60));
  assert.equal(checkProtectedHeader({ ...ok, alg: 'SM2SM3' }, { ...options, algorithms: DOMESTIC_JWS_ALGORITHMS }).alg, 'SM2SM3');
  assert.equal(errorCode(() => checkUnprotectedHeader({ alg: 'none' }, ok)), 'ERR_JWS_INVALID');
  assert.equal(errorCode(() => checkUnprotectedHeader({ x5c }, ok)), 'ERR_JWS_INVALID');
  assert.equal(errorCode(() => checkUnprotectedHeader({ note: 'harmless' }, ok)), 'no error');
});

test('malformed serializations are errors with stable codes, never TypeErrors', () => {
  const header = base64url(utf8('{"alg":"ES256"}'));
  const cases: [string, string][] = [
    ['a.b', 'ERR_JWS_INVALID'],
    ['a.b.c.d', 'ERR_JWS_INVALID'],
    [`${header}.@@@.AAAA`, 'ERR_JWS_INVALID'],
    [`${base64url(utf8('{"alg":"ES256","alg":"none"}'))}.e30.AAAA`, 'ERR_JSON_DUPLICATE_MEMBER'],
    [`${base64url(utf8('[1,2]'))}.e30.AAAA`, 'no error'],
    ['{"payload":"e30"}', 'ERR_JWS_INVALID'],
    ['{"payload":"e30","signatures":[]}', 'ERR_JWS_INVALID'],
    ['{"payload":"e30","signatures":[{"signature":"AAAA"}]}', 'ERR_JWS_INVALID'],
    ['{"payload":"e30","signatures":[1]}', 'ERR_JWS_INVALID'],
    ['{"payload":"e30","protected":"e30","signature":"AA","signatures":[]}', 'ERR_JWS_INVALID'],
    ['{"payload":1}', 'ERR_JWS_INVALID'],
    [`${'a'.repeat((1 << 20) + 1)}`, 'ERR_INPUT_TOO_LARGE'],
  ];
  // The payload's encoding is checked where it is decoded: reading it is part of parsing.
  for (const [input, code] of cases) assert.equal(errorCode(() => parseJws(input).payload), code, input.slice(0, 50));
});

test('a compact JWS given as bytes signs over the same characters, whatever whitespace or byte order mark surrounds it', () => {
  const header = base64url(utf8(JSON.stringify({ alg: 'ES256', typ: 'vc+jwt' })));
  const compact = `${header}.${base64url(utf8('{"a":1}'))}.${base64url(new Uint8Array(64))}`;
  const expected = utf8(compact.slice(0, compact.lastIndexOf('.')));
  for (const framed of [compact, ` \n${compact}\n`, `\uFEFF${compact}`, `\uFEFF\t${compact} `, `\u3000${compact}`]) {
    const [signature] = parseJws(utf8(framed)).signatures;
    assert.deepEqual(signature!.signingInput, expected, JSON.stringify(framed.slice(0, 3)));
  }
  // Characters beyond ASCII inside the parts: the signing input is their UTF-8, and the payload is refused.
  const foreign = `${header}.e30中.${base64url(new Uint8Array(64))}`;
  const parsed = parseJws(utf8(foreign));
  assert.deepEqual(parsed.signatures[0]!.signingInput, utf8(foreign.slice(0, foreign.lastIndexOf('.'))));
  assert.equal(errorCode(() => parsed.payload), 'ERR_JWS_INVALID');
});

test('a verifier reports a payload outside base64url as a JWS that cannot be read, though its signature was started', async () => {
  const signer = await selfSignedSigner('ES256');
  const good = await signCompact(utf8('{"a":1}'), signer, { typ: 'vc+jwt' });
  const [header, , signature] = good.split('.');
  for (const payload of ['e3@x', 'e30中', 'e30=']) {
    const report = await verifyLicenseJws(`${header}.${payload}.${signature}`, { at: new Date('2026-01-01T00:00:00Z') });
    assert.equal(report.valid, false);
    assert.equal(report.subIndication, 'FORMAT_FAILURE', payload);
    assert.equal(report.checks[0]!.id, 'format.parse', payload);
    assert.match(report.checks[0]!.message, /payload is not valid base64url/, payload);
  }
});
