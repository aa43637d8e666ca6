import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex, utf8 } from '../bytes.js';
import { contextTag, octetString, sequence } from '../cms/der-build.js';
import { OID } from '../crypto/algorithms.js';
import { rawSignatureToDer } from '../crypto/ecdsa-der.js';
import { sm3 } from '../crypto/sm3.js';
import { isElicenseError } from '../errors.js';
import { createTimeStampingCertificate } from '../pki/ca.js';
import { TEST_TIMES } from '../pki/testing.js';
import { encodeOid } from '../pki/der.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { createSigner } from '../crypto/signer.js';
import type { TrustedSeal } from '../trust/trust-list.js';
import { authorityTimestamper } from '../pades/timestamper.js';
import { createTimeStampAuthority } from '../tsp/authority.js';
import type { Check } from '../verify/report.js';
import { verifyDocument } from '../verify/verify-document.js';
import { parseSesSeal } from './parse-ses-seal.js';
import { parseSesSignature } from './parse-ses-signature.js';
import { bitString, extDatas, generalizedTime, ia5String, integer } from './ses-der-build.js';
import { signSesSignature } from './sign-ses-signature.js';
import { buildSealPki, makeSeal, sealOptions, sealTrust, type SealPki } from './testing.js';
import { verifySesSeal } from './verify-ses-seal.js';
import { verifySesSignature } from './verify-ses-signature.js';
import { encodeSealInfo } from './create-ses-seal.js';

const AT = TEST_TIMES.at;
const SIGNED_AT = new Date('2026-05-20T02:00:00Z');
const DOCUMENT = utf8('<ofd:Signature>the protected document</ofd:Signature>');
const PROPERTY = '/Doc_0/Signs/Sign_0/Signature.xml';

const pki: SealPki = await buildSealPki();

function byId(checks: readonly Check[]): Record<string, Check> {
  return Object.fromEntries(checks.map((c) => [c.id, c]));
}

function notPassed(checks: readonly Check[]): string[] {
  return checks.filter((c) => c.indication !== 'TOTAL_PASSED').map((c) => `${c.id} ${c.indication} ${c.subIndication ?? ''}`);
}

async function sign(seal: Uint8Array, overrides: Partial<Parameters<typeof signSesSignature>[0]> = {}): Promise<Uint8Array> {
  return signSesSignature({ seal, signer: pki.signer, data: DOCUMENT, propertyInfo: PROPERTY, timeInfo: SIGNED_AT, ...overrides });
}

/** Flips one bit at the first occurrence of `needle` (or at `offset`). */
function flip(bytes: Uint8Array, at: number): Uint8Array {
  const out = bytes.slice();
  out[at]! ^= 0x01;
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack).indexOf(Buffer.from(needle));
}

test('a made seal reads back exactly: header, properties, picture, extDatas, maker', async () => {
  const der = await makeSeal(pki, { extDatas: [{ oid: '1.2.156.10197.6.7.2.2.1', value: utf8('2.1') }], createDate: new Date('2025-12-20T08:00:00Z') });
  const seal = parseSesSeal(der);
  assert.equal(seal.version, 4);
  assert.deepEqual(seal.header, { id: 'ES', version: 4, vendorId: 'eLicense' });
  assert.equal(seal.esID, '22010000000001');
  assert.equal(seal.property.name, '吉林省住房和城乡建设厅电子证照专用章');
  assert.equal(seal.property.certListType, 1);
  assert.deepEqual(seal.property.certificates, [pki.chain.leaf]);
  assert.equal(seal.property.createDate.toISOString(), '2025-12-20T08:00:00.000Z');
  assert.equal(seal.property.validEnd.toISOString(), '2028-01-01T00:00:00.000Z');
  assert.equal(seal.picture.type, 'svg');
  assert.equal(seal.picture.widthMm, 42);
  assert.deepEqual(seal.extDatas, [{ oid: '1.2.156.10197.6.7.2.2.1', critical: false, value: utf8('2.1') }]);
  assert.deepEqual(seal.makerCertificate, pki.maker.certificates[0]);
  assert.equal(seal.signatureAlgorithm, OID.sm2WithSm3);
  assert.equal(seal.signature.encoding, 'der');
  // v4: the maker signs DER(SES_SealInfo) alone.
  assert.deepEqual(seal.signedBytes, encodeSealInfo(sealOptions(pki, { extDatas: [{ oid: '1.2.156.10197.6.7.2.2.1', value: utf8('2.1') }], createDate: new Date('2025-12-20T08:00:00Z') })));
});

test('a seal alone: every check passes with the maker trusted; without a trust list the maker chain is INDETERMINATE', async () => {
  const der = await makeSeal(pki);
  const trusted = await verifySesSeal(der, { at: AT, trust: await sealTrust(pki), crls: pki.crls });
  assert.deepEqual(notPassed(trusted.checks), []);
  assert.deepEqual(trusted.checks.map((c) => c.id), [
    'ses.format', 'ses.seal-signature', 'ses.seal-validity', 'trust.seal-status',
    'seal.cert.chain', 'seal.cert.validity', 'seal.cert.constraints', 'seal.cert.revocation',
  ]);
  const alone = byId((await verifySesSeal(der, { at: AT })).checks);
  assert.equal(alone['ses.seal-signature']!.indication, 'TOTAL_PASSED');
  assert.equal(alone['seal.cert.chain']!.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  const expired = byId((await verifySesSeal(der, { at: new Date('2028-02-01T00:00:00Z') })).checks);
  assert.equal(expired['ses.seal-validity']!.subIndication, 'EXPIRED');
});

test('a SES signature over any bytes: trusted, every check passes in the GB/T 38540 order', async () => {
  const der = await sign(await makeSeal(pki), { extDatas: [{ oid: '1.2.3.4', critical: true, value: utf8('x') }] });
  const result = await verifySesSignature(der, { at: AT, data: DOCUMENT, trust: await sealTrust(pki), crls: pki.crls });
  assert.deepEqual(notPassed(result.checks), []);
  assert.deepEqual(result.checks.map((c) => c.id), [
    'ses.format', 'ses.signature', 'ses.signer-in-seal', 'ses.seal-signature', 'ses.seal-validity', 'trust.seal-status',
    'cert.chain', 'cert.validity', 'cert.constraints', 'cert.revocation',
    'seal.cert.chain', 'seal.cert.validity', 'seal.cert.constraints', 'seal.cert.revocation',
    'ses.data-hash',
  ]);
  assert.equal(result.version, 4);
  assert.equal(result.signingTime?.toISOString(), SIGNED_AT.toISOString());
  assert.equal(result.signerCertificate?.organizationCode, '11220000013544541J');
  const parsed = parseSesSignature(der);
  assert.deepEqual(parsed.dataHash, sm3(DOCUMENT));
  assert.equal(parsed.propertyInfo, PROPERTY);
  assert.deepEqual(parsed.extDatas, [{ oid: '1.2.3.4', critical: true, value: utf8('x') }]);
  // The hash alone does as well as the bytes.
  const byHash = byId((await verifySesSignature(der, { at: AT, dataHash: sm3(DOCUMENT) })).checks);
  assert.equal(byHash['ses.data-hash']!.indication, 'TOTAL_PASSED');
});

test('without a trust list every cryptographic check passes and the chains are INDETERMINATE, never passed', async () => {
  const der = await sign(await makeSeal(pki));
  const checks = byId((await verifySesSignature(der, { at: AT, data: DOCUMENT })).checks);
  for (const id of ['ses.format', 'ses.signature', 'ses.signer-in-seal', 'ses.seal-signature', 'ses.seal-validity', 'ses.data-hash']) {
    assert.equal(checks[id]!.indication, 'TOTAL_PASSED', id);
  }
  for (const id of ['cert.chain', 'seal.cert.chain', 'trust.seal-status']) assert.equal(checks[id]!.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND', id);
  const withoutData = byId((await verifySesSignature(der, { at: AT })).checks);
  assert.equal(withoutData['ses.data-hash']!.subIndication, 'SIGNED_DATA_NOT_FOUND');
});

test('one flipped bit in the document, the signature, the seal picture or the seal signature fails', async () => {
  const seal = await makeSeal(pki);
  const der = await sign(seal);
  const parsed = parseSesSignature(der);
  const verify = async (bytes: Uint8Array, data = DOCUMENT) => byId((await verifySesSignature(bytes, { at: AT, data })).checks);

  assert.equal((await verify(der, flip(DOCUMENT, 3)))['ses.data-hash']!.subIndication, 'HASH_FAILURE');
  const signatureAt = der.length - 10;
  assert.equal((await verify(flip(der, signatureAt)))['ses.signature']!.subIndication, 'SIG_CRYPTO_FAILURE');
  const pictureAt = indexOf(der, parsed.seal.picture.data) + 5;
  const picture = await verify(flip(der, pictureAt));
  assert.equal(picture['ses.seal-signature']!.subIndication, 'SIG_CRYPTO_FAILURE', 'the maker signed the picture');
  assert.equal(picture['ses.signature']!.subIndication, 'SIG_CRYPTO_FAILURE', 'the signer signed the seal');
  const sealSignatureAt = indexOf(der, parsed.seal.signature.bytes) + 20;
  assert.equal((await verify(flip(der, sealSignatureAt)))['ses.seal-signature']!.subIndication, 'SIG_CRYPTO_FAILURE');
  const sealAlone = byId((await verifySesSeal(flip(seal, indexOf(seal, parsed.seal.picture.data) + 5), { at: AT })).checks);
  assert.equal(sealAlone['ses.seal-signature']!.subIndication, 'SIG_CRYPTO_FAILURE');
});

test('a signer the seal does not list, by certificate or by SM3 hash, fails ses.signer-in-seal', async () => {
  const listed = await makeSeal(pki);
  const stranger = byId((await verifySesSignature(await sign(listed, { signer: pki.stranger }), { at: AT, data: DOCUMENT })).checks);
  assert.equal(stranger['ses.signature']!.indication, 'TOTAL_PASSED');
  assert.equal(stranger['ses.signer-in-seal']!.subIndication, 'SIG_CONSTRAINTS_FAILURE');

  const hashed = await makeSeal(pki, { certListType: 2 });
  const seal = parseSesSeal(hashed);
  assert.deepEqual(seal.property.certDigests, [{ type: 'SM3', value: sm3(pki.chain.leaf) }]);
  assert.equal(byId((await verifySesSignature(await sign(hashed), { at: AT, data: DOCUMENT })).checks)['ses.signer-in-seal']!.indication, 'TOTAL_PASSED');
  assert.equal(byId((await verifySesSignature(await sign(hashed, { signer: pki.stranger }), { at: AT, data: DOCUMENT })).checks)['ses.signer-in-seal']!.indication, 'TOTAL_FAILED');
  const sha256 = new Uint8Array(await crypto.subtle.digest('SHA-256', pki.chain.leaf.slice()));
  const bySha = await makeSeal(pki, { certListType: 2, certificateHashes: [{ type: 'SHA-256', value: sha256 }] });
  assert.equal(byId((await verifySesSignature(await sign(bySha), { at: AT, data: DOCUMENT })).checks)['ses.signer-in-seal']!.indication, 'TOTAL_PASSED');
});

test('a seal outside its validity at the signing time, or made by another maker, fails', async () => {
  const expired = await makeSeal(pki, { validStart: new Date('2024-01-01T00:00:00Z'), validEnd: new Date('2026-01-01T00:00:00Z') });
  assert.equal(byId((await verifySesSignature(await sign(expired), { at: AT, data: DOCUMENT })).checks)['ses.seal-validity']!.subIndication, 'EXPIRED');
  const early = await makeSeal(pki, { validStart: new Date('2026-06-01T00:00:00Z') });
  assert.equal(byId((await verifySesSignature(await sign(early), { at: AT, data: DOCUMENT })).checks)['ses.seal-validity']!.subIndication, 'NOT_YET_VALID');

  // A maker whose key is not the one its certificate names.
  const otherKey = await generateSigningKey('SM2SM3');
  const wrongMaker = await makeSeal(pki, { maker: createSigner(otherKey, pki.maker.certificates) });
  assert.equal(byId((await verifySesSeal(wrongMaker, { at: AT })).checks)['ses.seal-signature']!.subIndication, 'SIG_CRYPTO_FAILURE');
  // A maker the trust list does not name: its chain fails to an anchor.
  const rogue = await buildSealPki();
  const rogueSeal = await makeSeal(rogue, { certificates: [pki.chain.leaf] });
  const checks = byId((await verifySesSignature(await sign(rogueSeal), { at: AT, data: DOCUMENT, trust: await sealTrust(pki), crls: pki.crls })).checks);
  assert.equal(checks['ses.seal-signature']!.indication, 'TOTAL_PASSED');
  assert.notEqual(checks['seal.cert.chain']!.indication, 'TOTAL_PASSED');
  assert.equal(checks['cert.chain']!.indication, 'TOTAL_PASSED');
});

test('the trust list seal registry: revoked, suspended, another picture, unregistered', async () => {
  const der = await makeSeal(pki);
  const seal = parseSesSeal(der);
  const registered: TrustedSeal = {
    esID: seal.esID,
    name: seal.property.name,
    type: seal.property.type,
    pictureSm3: toHex(sm3(seal.picture.data)),
    validStart: '2026-01-01T00:00:00Z',
    validEnd: '2028-01-01T00:00:00Z',
    status: 'active',
  };
  const status = async (seals: TrustedSeal[], bytes = der) => {
    const signature = await sign(bytes);
    return byId((await verifySesSignature(signature, { at: AT, data: DOCUMENT, trust: await sealTrust(pki, seals), crls: pki.crls })).checks)['trust.seal-status']!;
  };
  assert.equal((await status([registered])).indication, 'TOTAL_PASSED');
  assert.equal((await status([{ ...registered, status: 'revoked', statusSince: '2026-04-01T00:00:00Z' }])).subIndication, 'REVOKED');
  assert.equal((await status([{ ...registered, status: 'suspended' }])).indication, 'TOTAL_FAILED');
  assert.match((await status([{ ...registered, pictureSm3: toHex(sm3(utf8('another'))) }])).message, /picture/);
  assert.equal((await status([{ ...registered, validEnd: '2026-05-01T00:00:00Z' }])).subIndication, 'EXPIRED');
  assert.equal((await status([{ ...registered, esID: 'another-seal' }])).indication, 'TOTAL_FAILED', 'the office registers its seals, and not this one');
  assert.equal((await status(undefined as unknown as TrustedSeal[])).indication, 'TOTAL_PASSED', 'an office that registers no seals');
  const sealOnly = byId((await verifySesSeal(der, { at: AT, trust: await sealTrust(pki, [{ ...registered, status: 'revoked' }]) })).checks);
  assert.equal(sealOnly['trust.seal-status']!.subIndication, 'REVOKED');
});

test('the trust list keeps seals and seal makers through signing and reading; bad entries name the member', async () => {
  const trust = await sealTrust(pki, [
    { esID: 'X1', name: '专用章', type: 1, pictureSm3: 'ab'.repeat(32), validStart: '2026-01-01T00:00:00Z', validEnd: '2027-01-01T00:00:00Z', status: 'suspended' },
  ]);
  assert.ok('list' in trust);
  assert.equal(trust.list.content.issuers[0]!.seals?.[0]?.status, 'suspended');
  assert.equal(trust.list.content.sealMakers?.[0]?.name, '演示省公安厅');
  const { readTrustListContent, trustListContentToJson } = await import('../trust/trust-list.js');
  const json = trustListContentToJson(trust.list.content) as { issuers: Record<string, unknown>[] };
  const bad = (seal: Record<string, unknown>) => ({ ...json, issuers: [{ ...json.issuers[0], seals: [seal] }] });
  const good = { esID: 'X1', name: 'n', type: 1, pictureSm3: 'ab'.repeat(32), validStart: '2026-01-01T00:00:00Z', validEnd: '2027-01-01T00:00:00Z', status: 'active' };
  for (const [seal, field] of [
    [{ ...good, status: 'lost' }, 'issuers[0].seals[0].status'],
    [{ ...good, pictureSm3: 'AB' }, 'issuers[0].seals[0].pictureSm3'],
    [{ ...good, type: -1 }, 'issuers[0].seals[0].type'],
    [{ ...good, validEnd: '2025-01-01T00:00:00Z' }, 'issuers[0].seals[0].validEnd'],
  ] as const) {
    assert.throws(() => readTrustListContent(bad(seal)), (e) => isElicenseError(e, 'ERR_TRUST_LIST_INVALID') && e.field === field, field);
  }
});

/** A v4 SES_Signature assembled by hand, for the encodings other writers use. */
async function handMade(options: { extDatasField?: Uint8Array; timeStampField?: Uint8Array; rawSignature?: boolean; seal?: Uint8Array; version?: number }) {
  const seal = options.seal ?? (await makeSeal(pki));
  const toSign = sequence(
    integer(options.version ?? 4, 'version'),
    seal,
    generalizedTime(SIGNED_AT, 'timeInfo'),
    bitString(sm3(DOCUMENT)),
    ia5String(PROPERTY, 'propertyInfo'),
    ...(options.extDatasField ? [options.extDatasField] : []),
  );
  const raw = await pki.signer.sign(toSign);
  return sequence(toSign, octetString(pki.chain.leaf), encodeOid(OID.sm2WithSm3), bitString(options.rawSignature ? raw : rawSignatureToDer(raw)), ...(options.timeStampField ? [options.timeStampField] : []));
}

test('the tagging variants of STANDARDS-CN §1.3 and a bare r‖s signature value all read and verify', async () => {
  const entries = extDatas([{ oid: '1.2.3.4', value: utf8('v') }]);
  const implicit = new Uint8Array(entries);
  implicit[0] = 0xa0;
  for (const [name, field] of [
    ['explicit [0]', contextTag(0, entries)],
    ['implicit [0]', implicit],
    ['untagged', entries],
  ] as const) {
    const der = await handMade({ extDatasField: field });
    const parsed = parseSesSignature(der);
    assert.deepEqual(parsed.extDatas, [{ oid: '1.2.3.4', critical: false, value: utf8('v') }], name);
    assert.deepEqual(notPassed((await verifySesSignature(der, { at: AT, data: DOCUMENT })).checks).filter((c) => !c.includes('NO_CERTIFICATE_CHAIN_FOUND')), [], name);
  }
  const token = utf8('not really a token');
  const bits = bitString(token);
  const implicitStamp = new Uint8Array(bits);
  implicitStamp[0] = 0x80;
  for (const field of [contextTag(0, bits), implicitStamp, bits]) {
    assert.deepEqual(parseSesSignature(await handMade({ timeStampField: field })).timeStamp, token);
  }
  const raw = await handMade({ rawSignature: true });
  assert.equal(parseSesSignature(raw).signature.encoding, 'raw');
  assert.equal(byId((await verifySesSignature(raw, { at: AT, data: DOCUMENT })).checks)['ses.signature']!.indication, 'TOTAL_PASSED');
  // A garbage token is a failed timestamp check, not an exception.
  assert.equal(byId((await verifySesSignature(await handMade({ timeStampField: contextTag(0, bits) }), { at: AT, data: DOCUMENT })).checks)['ses.timestamp']!.indication, 'TOTAL_FAILED');
});

test('v5 (GM/T 0031-2025): header version 5 and a seal timestamp are read; the signature verifies', async () => {
  const info = encodeSealInfo(sealOptions(pki));
  // Header { "ES", 4, Vid }: the version INTEGER is the 5th byte of the header's content.
  const v5Info = info.slice();
  const versionAt = indexOf(v5Info, Uint8Array.of(0x16, 0x02, 0x45, 0x53, 0x02, 0x01, 0x04)) + 6;
  v5Info[versionAt] = 5;
  const sealSignature = rawSignatureToDer(await pki.maker.sign(v5Info));
  const seal = sequence(v5Info, octetString(pki.maker.certificates[0]!), encodeOid(OID.sm2WithSm3), bitString(sealSignature), contextTag(0, bitString(utf8('token'))));
  const parsed = parseSesSeal(seal);
  assert.equal(parsed.version, 5);
  assert.deepEqual(parsed.timeStamp, utf8('token'));
  const der = await handMade({ seal, version: 5 });
  const result = await verifySesSignature(der, { at: AT, data: DOCUMENT });
  assert.equal(result.version, 5);
  const checks = byId(result.checks);
  for (const id of ['ses.signature', 'ses.seal-signature', 'ses.signer-in-seal', 'ses.data-hash']) assert.equal(checks[id]!.indication, 'TOTAL_PASSED', id);
  assert.equal(checks['ses.seal-timestamp']!.indication, 'TOTAL_FAILED', 'the seal timestamp is checked');
});

test('an RFC 3161 timestamp over the signature value is written and verified', async () => {
  const tsaKey = await generateSigningKey('SM2SM3');
  const tsaCert = await createTimeStampingCertificate({
    issuerCertificate: pki.chain.ca,
    issuerKey: pki.chain.caKey,
    subjectPublicKey: tsaKey.publicKey,
    subject: { commonName: '演示时间戳服务', organizationName: '演示省电子证照共享平台', organizationCode: '11990000MB3456783T', country: 'CN' },
    notBefore: TEST_TIMES.notBefore,
    notAfter: TEST_TIMES.notAfter,
  });
  const authority = createTimeStampAuthority({ signer: createSigner(tsaKey, [tsaCert, pki.chain.ca]), policy: '1.2.3.4.5', now: () => SIGNED_AT });
  const der = await sign(await makeSeal(pki), { timestamp: authorityTimestamper(authority) });
  const checks = byId((await verifySesSignature(der, { at: AT, data: DOCUMENT })).checks);
  assert.equal(checks['ses.timestamp']!.indication, 'TOTAL_PASSED', checks['ses.timestamp']!.message);
  assert.equal(checks['tsp.cert.chain']!.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  const stamp = parseSesSignature(der).timeStamp!;
  const tampered = der.slice();
  tampered[indexOf(der, stamp) + 60]! ^= 1;
  assert.equal(byId((await verifySesSignature(tampered, { at: AT, data: DOCUMENT })).checks)['ses.timestamp']!.indication, 'TOTAL_FAILED');
});

test('hostile input: truncations, garbage, oversize and deep nesting are format failures, never exceptions', async () => {
  const der = await sign(await makeSeal(pki));
  for (let cut = 0; cut < der.length; cut += 97) {
    const part = der.subarray(0, cut);
    assert.throws(() => parseSesSignature(part), (e) => isElicenseError(e));
    assert.equal((await verifySesSignature(part, { at: AT })).checks[0]!.subIndication, 'FORMAT_FAILURE');
  }
  for (let i = 0; i < 200; i++) {
    const junk = crypto.getRandomValues(new Uint8Array(64 + i));
    junk[0] = 0x30;
    assert.throws(() => parseSesSeal(junk), (e) => isElicenseError(e));
  }
  assert.throws(() => parseSesSeal(new Uint8Array(9 * 1024 * 1024)), (e) => isElicenseError(e, 'ERR_INPUT_TOO_LARGE'));
  let nested: Uint8Array = Uint8Array.of(0x05, 0x00);
  for (let i = 0; i < 100; i++) nested = sequence(nested);
  assert.throws(() => parseSesSignature(nested), (e) => isElicenseError(e, 'ERR_ASN1_INVALID'));
  const seal = await makeSeal(pki);
  assert.throws(() => parseSesSeal(new Uint8Array([...seal, 0])), (e) => isElicenseError(e, 'ERR_ASN1_INVALID'), 'trailing bytes');
});

test('misuse is refused with a stable code: non-SM2 signers, non-ASCII IA5 fields, inverted validity', async () => {
  const es = createSigner(await generateSigningKey('ES256'), pki.maker.certificates);
  await assert.rejects(makeSeal(pki, { maker: es }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
  await assert.rejects(makeSeal(pki, { esID: '印章' }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'esID');
  await assert.rejects(makeSeal(pki, { validEnd: new Date('2025-01-01T00:00:00Z') }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
  const seal = await makeSeal(pki);
  await assert.rejects(signSesSignature({ seal, signer: pki.signer, propertyInfo: PROPERTY, timeInfo: SIGNED_AT }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
  await assert.rejects(sign(seal, { dataHash: sm3(DOCUMENT) }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'), 'data and dataHash both');
});

test('verifyDocument routes seals and seal signatures to the one report, format ses', async () => {
  const seal = await makeSeal(pki);
  const trust = await sealTrust(pki);
  const sealReport = await verifyDocument(seal, { at: AT, trust, crls: pki.crls });
  assert.equal(sealReport.format, 'ses');
  assert.equal(sealReport.indication, 'TOTAL_PASSED', notPassed(sealReport.checks).join('\n'));
  assert.equal(sealReport.signatures[0]?.signer?.organizationCode, '11990000MB3456783T');
  const signatureReport = await verifyDocument(await sign(seal), { at: AT, trust, crls: pki.crls });
  assert.equal(signatureReport.indication, 'INDETERMINATE');
  assert.equal(signatureReport.subIndication, 'SIGNED_DATA_NOT_FOUND', 'the document is not in the file');
  const noTrust = await verifyDocument(await sign(seal), { at: AT });
  assert.equal(noTrust.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  const noSm2 = await verifyDocument(seal, { at: AT, trust, algorithms: ['ES256'] });
  assert.equal(noSm2.subIndication, 'CRYPTO_CONSTRAINTS_FAILURE', 'a verifier without SM2 cannot accept a seal');
  const broken = await verifyDocument(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x04), { at: AT });
  assert.equal(broken.format, 'ses');
  assert.equal(broken.subIndication, 'FORMAT_FAILURE');
});
