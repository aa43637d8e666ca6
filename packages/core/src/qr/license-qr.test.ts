import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { base64url, fromBase64url, fromUtf8, utf8 } from '../bytes.js';
import { createSigner, type Signer } from '../crypto/signer.js';
import { isElicenseError } from '../errors.js';
import { DEFAULT_JWS_ALGORITHMS, DOMESTIC_JWS_ALGORITHMS } from '../jws/header.js';
import { buildLicenseCredential, type LicenseCredential } from '../license/credential.js';
import { defaultLicenseTypeRegistry } from '../license/registry.js';
import { specialOperationsCertificate, type LicenseType } from '../license/types/index.js';
import { LONG_TERM } from '../license/validity.js';
import { buildTestChain, ISSUING_OFFICE, TEST_TIMES, type TestChain } from '../pki/testing.js';
import { createStatusBitstring, setStatusBit } from '../status/bitstring.js';
import { signStatusList } from '../status/status-list-credential.js';
import { signTrustList } from '../trust/sign-trust-list.js';
import { verifyTrustList, type VerifiedTrustList } from '../trust/verify-trust-list.js';
import type { VerifyOptions } from '../verify/options.js';
import type { VerificationReport } from '../verify/report.js';
import { verifyDocument } from '../verify/verify-document.js';
import { certificateKeyId } from './key-id.js';
import { parseLicenseQrText } from './qr-text.js';
import { signLicenseQr } from './sign-license-qr.js';
import { MIN_QR_MODULE_MM, qrSymbol, qrSymbolSize } from './symbol-size.js';
import { verifyLicenseQr } from './verify-license-qr.js';

const at = TEST_TIMES.at;
const URL_BASE = 'https://verify.elicense.example/v1';
const STATUS_URL = 'https://status.elicense.example/lists/11100000000013338W032';
const OFFICE = { name: ISSUING_OFFICE.organizationName, code: ISSUING_OFFICE.organizationCode };

let es: TestChain;
let sm2: TestChain;
let operator: TestChain;
let esSigner: Signer;
let sm2Signer: Signer;
let credential: LicenseCredential;

/** A license of `type` from its sample data, with `holderName` written into the field linked to it. */
function license(
  overrides: Partial<Parameters<typeof buildLicenseCredential>[0]> = {},
  type: LicenseType = specialOperationsCertificate,
  holderName = type.sample.holder.name,
): LicenseCredential {
  const linked = type.linkedFields ?? {};
  return buildLicenseCredential(
    {
      typeCode: type.code,
      issuer: OFFICE,
      holder: { ...type.sample.holder, name: holderName },
      number: linked.number === undefined ? 'DEMO2026000001' : String(type.sample.fields[linked.number]),
      serial: '2026000001',
      issuedDate: '2026-01-15',
      validFrom: '2026-01-15',
      fields: linked.holderName === undefined ? type.sample.fields : { ...type.sample.fields, [linked.holderName]: holderName },
      credentialStatus: (['revocation', 'suspension'] as const).map((purpose) => ({
        statusPurpose: purpose,
        statusListIndex: 42,
        statusListCredential: `${type === specialOperationsCertificate ? STATUS_URL : `https://status.elicense.example/lists/${type.code}`}/${purpose}/1`,
      })),
      ...overrides,
    },
    defaultLicenseTypeRegistry,
  );
}

/** A trust list naming the office with `certificates` (its CAs, its signing certificates, or both). */
async function trustList(certificates: Uint8Array[], licenseTypes = [specialOperationsCertificate.code]): Promise<VerifiedTrustList> {
  const signed = await signTrustList(
    {
      sequence: 1,
      issued: '2026-05-01T00:00:00Z',
      nextUpdate: '2026-08-01T00:00:00Z',
      operator: { name: '演示省电子证照共享平台', code: '11990000MB3456783T' },
      issuers: [{ ...OFFICE, certificates, licenseTypes }],
      statusIssuers: [],
    },
    createSigner(operator.leafKey, [operator.leaf]),
  );
  return verifyTrustList(signed, { at, operatorCertificates: [operator.leaf] });
}

async function statusResolver(revokedIndex?: number) {
  const lists = new Map<string, string>();
  for (const purpose of ['revocation', 'suspension'] as const) {
    const bits = createStatusBitstring();
    if (purpose === 'revocation' && revokedIndex !== undefined) setStatusBit(bits, revokedIndex, true);
    const id = `${STATUS_URL}/${purpose}/1`;
    lists.set(id, await signStatusList({ id, issuer: OFFICE, purpose, bits, validFrom: TEST_TIMES.thisUpdate, validUntil: TEST_TIMES.nextUpdate }, esSigner));
  }
  return async (url: string) => lists.get(url);
}

async function options(overrides: Partial<VerifyOptions> = {}): Promise<VerifyOptions> {
  return {
    at,
    trust: { list: await trustList([es.ca, es.leaf, sm2.ca, sm2.leaf]) },
    crls: [es.rootCrl, es.caCrl, sm2.rootCrl, sm2.caCrl],
    status: await statusResolver(),
    algorithms: DOMESTIC_JWS_ALGORITHMS,
    ...overrides,
  };
}

function problems(report: VerificationReport): string {
  return report.checks.filter((c) => c.indication !== 'TOTAL_PASSED').map((c) => `${c.id} ${c.indication} ${c.subIndication ?? ''} ${c.message}`).join('\n');
}

function check(report: VerificationReport, id: string) {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** The QR text with its signed payload replaced by `edit(payload)`, the signature kept. */
function withPayload(text: string, edit: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [url, jws] = text.split('#') as [string, string];
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const claims = JSON.parse(fromUtf8(fromBase64url(payload))) as Record<string, unknown>;
  return `${url}#${header}.${base64url(utf8(JSON.stringify(edit(claims))))}.${signature}`;
}

/** A QR whose JWS has the given header and payload, signed by the office's ES256 key. */
async function withHeader(header: Record<string, unknown>, text: string): Promise<string> {
  const [url, jws] = text.split('#') as [string, string];
  const headerB64 = base64url(utf8(JSON.stringify(header)));
  const payload = jws.split('.')[1]!;
  return `${url}#${headerB64}.${payload}.${base64url(await esSigner.sign(utf8(`${headerB64}.${payload}`)))}`;
}

before(async () => {
  [es, sm2, operator] = await Promise.all([
    buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' }),
    buildTestChain({ root: 'SM2SM3', ca: 'SM2SM3', leaf: 'SM2SM3' }),
    buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' }),
  ]);
  esSigner = createSigner(es.leafKey, [es.leaf, es.ca]);
  sm2Signer = createSigner(sm2.leafKey, [sm2.leaf, sm2.ca]);
  credential = license();
});

test('an ES256 QR signed by the office verifies offline: signer found by key id in the trust list, chain, trust and status', async () => {
  const text = await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE });
  const parsed = parseLicenseQrText(text);
  assert.equal(parsed.identifier, credential.credentialSubject.certificateIdentifier);
  assert.equal(parsed.verificationUrl, `${URL_BASE}?id=${credential.credentialSubject.certificateIdentifier}`);
  const header = JSON.parse(fromUtf8(fromBase64url(parsed.signed!.split('.')[0]!))) as Record<string, unknown>;
  assert.deepEqual(header, { alg: 'ES256', typ: 'elicense-qr', kid: await certificateKeyId(es.leaf) });

  // The signing certificate is listed beside its CA: the path still goes through the CA and its CRL.
  const report = await verifyLicenseQr(text, await options({ trust: { list: await trustList([es.ca, es.leaf]) } }));
  assert.equal(report.indication, 'TOTAL_PASSED', problems(report));
  assert.equal(report.format, 'qr');
  assert.equal(report.valid, true);
  assert.deepEqual(
    report.checks.map((c) => c.id),
    ['qr.decode', 'trust.list', 'qr.header', 'qr.signer', 'qr.signature', 'cert.chain', 'cert.validity', 'cert.constraints', 'cert.revocation',
      'trust.issuer-bound', 'trust.issuer-authorized-for-type', 'qr.identifier', 'license.validity-period', 'license.status'],
  );
  assert.equal(report.signatures[0]!.chain?.length, 2);
  assert.match(check(report, 'cert.revocation').message, /not revoked according to their issuers' CRLs/);
  assert.deepEqual(report.license, {
    identifier: credential.credentialSubject.certificateIdentifier,
    typeCode: specialOperationsCertificate.code,
    typeName: specialOperationsCertificate.name,
    holderName: credential.credentialSubject.certificateHolderName,
    issuerName: OFFICE.name,
    issuerCode: OFFICE.code,
    validFrom: credential.validFrom,
    validUntil: credential.validUntil,
  });
});

test('an SM2SM3 QR verifies where SM2 is enabled and is INDETERMINATE (CRYPTO_CONSTRAINTS_FAILURE) where it is not', async () => {
  const text = await signLicenseQr(credential, sm2Signer, { verificationUrl: URL_BASE });
  const domestic = await verifyLicenseQr(text, await options());
  assert.equal(domestic.indication, 'TOTAL_PASSED', problems(domestic));
  assert.equal(domestic.signatures[0]!.alg, 'SM2SM3');
  const international = await verifyLicenseQr(text, await options({ algorithms: DEFAULT_JWS_ALGORITHMS }));
  assert.equal(international.indication, 'INDETERMINATE');
  assert.equal(international.subIndication, 'CRYPTO_CONSTRAINTS_FAILURE');
});

test('a changed holder name or expiring date, a dropped status reference or signature byte: TOTAL_FAILED SIG_CRYPTO_FAILURE', async () => {
  const text = await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE });
  for (const edit of [
    (c: Record<string, unknown>) => ({ ...c, h: '李四' }),
    (c: Record<string, unknown>) => ({ ...c, u: '2099-12-31' }),
    (c: Record<string, unknown>) => ({ ...c, s: undefined }),
  ]) {
    const report = await verifyLicenseQr(withPayload(text, edit), await options());
    assert.equal(report.indication, 'TOTAL_FAILED', problems(report));
    assert.equal(report.subIndication, 'SIG_CRYPTO_FAILURE');
    assert.equal(check(report, 'qr.signature').indication, 'TOTAL_FAILED');
  }
  const flipped = text.slice(0, -3) + (text.endsWith('AAA') ? 'BBB' : 'AAA');
  assert.equal((await verifyLicenseQr(flipped, await options())).subIndication, 'SIG_CRYPTO_FAILURE');
});

test('an unknown key id is INDETERMINATE NO_CERTIFICATE_CHAIN_FOUND pointing at the online URL; the certificate passed by the caller resolves it', async () => {
  const other = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const text = await signLicenseQr(credential, createSigner(other.leafKey, [other.leaf]), { verificationUrl: URL_BASE });
  const unknown = await verifyLicenseQr(text, await options());
  assert.equal(unknown.indication, 'INDETERMINATE');
  assert.equal(unknown.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');
  assert.equal(unknown.valid, false);
  assert.ok(check(unknown, 'qr.signer').message.includes(`verify the license online at ${URL_BASE}?id=`));

  // Given the certificate, the signature verifies but its root is not trusted: still not valid.
  const given = await verifyLicenseQr(text, await options({ signerCertificates: [other.leaf, other.ca] }));
  assert.equal(check(given, 'qr.signature').indication, 'TOTAL_PASSED');
  assert.equal(given.subIndication, 'NO_CERTIFICATE_CHAIN_FOUND');

  // The office's own certificate handed over by the caller chains to the trust list: valid.
  const office = await verifyLicenseQr(await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE }), await options({
    trust: { list: await trustList([es.ca]) },
    signerCertificates: [es.leaf],
  }));
  assert.equal(office.indication, 'TOTAL_PASSED', problems(office));
});

test('a signing certificate listed alone, without its CA, is trusted directly', async () => {
  const text = await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE });
  const report = await verifyLicenseQr(text, await options({ trust: { list: await trustList([es.leaf]) } }));
  assert.equal(report.indication, 'TOTAL_PASSED', problems(report));
  assert.match(check(report, 'cert.chain').message, /trusted directly/);
});

test('headers outside the profile are TOTAL_FAILED FORMAT_FAILURE: alg none, HS256, x5c, jwk, crit, wrong typ', async () => {
  const text = await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE });
  const kid = await certificateKeyId(es.leaf);
  const headers: Record<string, unknown>[] = [
    { alg: 'none', typ: 'elicense-qr', kid },
    { alg: 'HS256', typ: 'elicense-qr', kid },
    { alg: 'ES256', typ: 'elicense-qr', kid, x5c: ['AAAA'] },
    { alg: 'ES256', typ: 'elicense-qr', kid, jwk: { kty: 'EC' } },
    { alg: 'ES256', typ: 'elicense-qr', kid, crit: ['exp'] },
    { alg: 'ES256', typ: 'vc+jwt', kid },
    { alg: 'ES256', typ: 'elicense-qr', kid: 'short' },
  ];
  for (const header of headers) {
    const report = await verifyLicenseQr(await withHeader(header, text), await options());
    assert.equal(report.indication, 'TOTAL_FAILED', JSON.stringify(header));
    assert.equal(report.subIndication, 'FORMAT_FAILURE', JSON.stringify(header));
    assert.equal(check(report, 'qr.header').indication, 'TOTAL_FAILED');
  }
  const unsigned = `${text.split('#')[0]}#${base64url(utf8('{"alg":"none","typ":"elicense-qr"}'))}.${text.split('.').at(-2)}.`;
  assert.equal((await verifyLicenseQr(unsigned, await options())).indication, 'TOTAL_FAILED');
});

test('status: a revoked license fails, a QR without status references or without a status source is INDETERMINATE', async () => {
  const text = await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE });
  const revoked = await verifyLicenseQr(text, await options({ status: await statusResolver(42) }));
  assert.equal(revoked.indication, 'TOTAL_FAILED');
  assert.equal(revoked.subIndication, 'REVOKED');

  const { status: _, ...withoutSource } = await options();
  const noSource = await verifyLicenseQr(text, withoutSource);
  assert.equal(noSource.subIndication, 'TRY_LATER');
  assert.equal(check(noSource, 'license.status').indication, 'INDETERMINATE');

  const { credentialStatus: __, ...statusless } = credential;
  const withoutStatus = await signLicenseQr(statusless, esSigner, { verificationUrl: URL_BASE });
  const noReference = await verifyLicenseQr(withoutStatus, await options());
  assert.equal(noReference.indication, 'INDETERMINATE');
  assert.match(check(noReference, 'license.status').message, /carries no status reference: check the status online/);
  assert.equal((await verifyLicenseQr(withoutStatus, await options({ status: 'waived' }))).indication, 'TOTAL_PASSED');
});

test('the suspension list URL is stored relative to the revocation list URL and resolves back to it', async () => {
  const text = await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE });
  const claims = JSON.parse(fromUtf8(fromBase64url(text.split('.').at(-2)!))) as { s: [string, number, string][] };
  assert.deepEqual(claims.s, [['r', 42, `${STATUS_URL}/revocation/1`], ['s', 42, '../suspension/1']]);
});

test('license checks: expired, not authorised for the type, a URL naming another license', async () => {
  const expired = await signLicenseQr(license({ validFrom: '2020-01-10', validUntil: '2023-01-09' }), esSigner, { verificationUrl: URL_BASE });
  assert.equal((await verifyLicenseQr(expired, await options({ status: 'waived' }))).subIndication, 'EXPIRED');

  const text = await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE });
  const notAuthorised = await verifyLicenseQr(text, await options({ trust: { list: await trustList([es.ca, es.leaf], ['11100000000013338W050']) } }));
  assert.equal(notAuthorised.subIndication, 'SIG_CONSTRAINTS_FAILURE');
  assert.equal(check(notAuthorised, 'trust.issuer-authorized-for-type').indication, 'TOTAL_FAILED');

  const otherId = license({ serial: '2026000002' }).credentialSubject.certificateIdentifier;
  const redirected = text.replace(/id=[^#]+/, `id=${otherId}`);
  const report = await verifyLicenseQr(redirected, await options());
  assert.equal(report.indication, 'TOTAL_FAILED');
  assert.equal(check(report, 'qr.identifier').indication, 'TOTAL_FAILED');
  assert.match(check(report, 'qr.identifier').message, /would open another license/);
});

test('hostile or foreign text is a report, never a throw: other QR content, URL-only codes, oversize, garbage JWS', async () => {
  const opts = await options();
  const cases: [string, string, string][] = [
    ['WIFI:S:cafe;T:WPA;P:secret;;', 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    ['https://example.com/menu', 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    [`${URL_BASE}?id=${credential.credentialSubject.certificateIdentifier}`, 'INDETERMINATE', 'SIGNED_DATA_NOT_FOUND'],
    [`${URL_BASE}?id=X#not.a.jws!`, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    [`${URL_BASE}?id=X#${'a'.repeat(5000)}`, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    [`${URL_BASE}?id=X#${base64url(utf8('{"alg":"ES256"}'))}.${base64url(utf8('[1,2]'))}.AAAA`, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    [`${URL_BASE}?id=X#${base64url(utf8('{"alg":"ES256"}'))}.${base64url(utf8('{"i":"1.2.3"}'))}.AAAA`, 'TOTAL_FAILED', 'FORMAT_FAILURE'],
    ['', 'TOTAL_FAILED', 'FORMAT_FAILURE'],
  ];
  for (const [text, indication, subIndication] of cases) {
    const report = await verifyLicenseQr(text, opts);
    assert.equal(report.indication, indication, text.slice(0, 60));
    assert.equal(report.subIndication, subIndication, text.slice(0, 60));
    assert.equal(report.format, 'qr');
  }
  const huge = await verifyLicenseQr('x'.repeat(1 << 20), opts);
  assert.equal(huge.indication, 'TOTAL_FAILED');
});

test('verifyDocument reads PNG and JPEG as format qr through the caller\'s decoder, and reports a missing or failing decoder', async () => {
  const text = await signLicenseQr(credential, esSigner, { verificationUrl: URL_BASE });
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
  const seen: Uint8Array[] = [];
  const decodeQrImage = async (image: Uint8Array) => {
    seen.push(image);
    return text;
  };
  for (const image of [png, jpeg]) {
    const report = await verifyDocument(image, await options({ decodeQrImage }));
    assert.equal(report.format, 'qr');
    assert.equal(report.indication, 'TOTAL_PASSED', problems(report));
  }
  assert.deepEqual(seen, [png, jpeg]);
  const none = await verifyDocument(png, await options());
  assert.equal(none.indication, 'TOTAL_FAILED');
  assert.match(check(none, 'qr.decode').message, /needs an image decoder/);
  const failing = await verifyDocument(png, await options({ decodeQrImage: async () => { throw new Error('no QR code found'); } }));
  assert.equal(failing.subIndication, 'FORMAT_FAILURE');
  assert.match(check(failing, 'qr.decode').message, /no QR code found/);
});

test('every shipped type prints with modules of at least 0.3 mm at 30 mm, long Chinese holder names included', async (t) => {
  const longName = '北京海淀中关村示例科技发展集团股份有限公司第一分公司营业部门市'; // 31 characters
  for (const type of defaultLicenseTypeRegistry.list()) {
    for (const holderName of [type.sample.holder.name, longName]) {
      for (const signer of [esSigner, sm2Signer]) {
        const typed = license({}, type, holderName);
        const text = await signLicenseQr(typed, signer, { verificationUrl: URL_BASE });
        const size = qrSymbolSize(text);
        const withStatus = text.includes('#') && fromUtf8(fromBase64url(text.split('.').at(-2)!)).includes('"s":');
        t.diagnostic(`${type.name} ${signer.alg} holder ${holderName.length} chars: ${utf8(text).length} bytes, version ${size.version}, ${size.modules} modules, ${size.moduleMm.toFixed(3)} mm${withStatus ? '' : ' (status references left out)'}`);
        assert.ok(size.moduleMm >= MIN_QR_MODULE_MM);
      }
    }
  }
  const longTerm = await signLicenseQr(license({ validUntil: LONG_TERM }), esSigner, { verificationUrl: URL_BASE });
  assert.ok(!fromUtf8(fromBase64url(longTerm.split('.').at(-2)!)).includes('"u"'));
});

test('symbols are no larger than the library\'s optimal segmentation makes them, and hold the text exactly', async () => {
  const texts: string[] = [];
  for (const type of defaultLicenseTypeRegistry.list()) {
    for (const [serial, holderName] of [['2026000001', type.sample.holder.name], ['2026731205', '北京海淀中关村示例科技发展集团股份有限公司']] as const) {
      for (const signer of [esSigner, sm2Signer]) texts.push(await signLicenseQr(license({ serial }, type, holderName), signer, { verificationUrl: URL_BASE }));
    }
  }
  // Synthetic ones too: identifiers with long digit runs, base64url fragments of every length, some ending
  // in a run of capitals and digits (one segment header cheaper than a run inside the text, so shorter
  // ones pay).
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]).join('');
  const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < 160; i++) {
    const identifier = `1.2.156.3005.2.${pick('0123456789', 17)}W032.${pick('0123456789', 17)}J.${pick('0123456789', 10)}.001.X`;
    texts.push(`${URL_BASE}?id=${identifier}#${pick(BASE64URL, 300 + random(700))}${pick('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 7 + random(8))}`);
  }
  // Every length across the boundary of versions 20 and 21, ending in ten capitals and digits.
  for (let length = 540; length < 590; length++) {
    texts.push(`${URL_BASE}?id=1.2.156.3005.2.11100000000013338W032.11220000013544541J.2026000001.001.X#${'abcdefghij'.repeat(60).slice(0, length)}QRS7K2M9XZ`);
  }
  for (const text of texts) {
    const symbol = qrSymbol(text);
    const optimal = QRCode.create(text, { errorCorrectionLevel: 'M' });
    assert.ok(symbol.version <= optimal.version, `${text.length} characters: version ${symbol.version}, the library's optimum ${optimal.version}`);
    const held = symbol.segments.map((segment) => (typeof segment.data === 'string' ? segment.data : fromUtf8(segment.data))).join('');
    assert.equal(held, text);
  }
});

test('signing refuses what cannot print or cannot be named: a symbol under 0.3 mm modules, a signer without a certificate, a URL with a fragment', async () => {
  const longUrl = `https://verify.elicense.example/${'v'.repeat(400)}`;
  await assert.rejects(signLicenseQr(credential, esSigner, { verificationUrl: longUrl }), (e) => isElicenseError(e, 'ERR_INPUT_TOO_LARGE'));
  await assert.rejects(signLicenseQr(credential, { ...esSigner, certificates: [] }, { verificationUrl: URL_BASE }), (e) => isElicenseError(e, 'ERR_INVALID_INPUT'));
  await assert.rejects(signLicenseQr(credential, esSigner, { verificationUrl: `${URL_BASE}#x` }), (e) => isElicenseError(e, 'ERR_QR_INVALID'));
});
