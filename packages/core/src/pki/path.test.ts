import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isElicenseError } from '../errors.js';
import { toPem } from '../crypto/pem.js';
import { exportPrivateKeyPem } from '../crypto/pkcs8.js';
import { generateSigningKey, type SoftwareSigningKey } from '../crypto/signing-key.js';
import { createIssuerCertificate, createIssuingCa, createRootCa, issueCertificate, type CertificateProfile } from './ca.js';
import { parseCertificate } from './certificate.js';
import { createCrl } from './crl.js';
import { validateCertificatePath, type PathValidation, type PathValidationOptions } from './path.js';
import { buildTestChain, ISSUING_OFFICE, TEST_TIMES, type TestChain } from './testing.js';

const workDir = mkdtempSync(join(tmpdir(), 'elicense-pki-path-'));
after(() => rmSync(workDir, { recursive: true, force: true }));

const { notBefore, notAfter, at, thisUpdate, nextUpdate } = TEST_TIMES;
const year = 365 * 24 * 3600 * 1000;
const IDS = ['cert.chain', 'cert.validity', 'cert.constraints', 'cert.revocation'];

const chainPromise = buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });

function validate(chain: TestChain, overrides: Partial<PathValidationOptions> = {}): Promise<PathValidation> {
  return validateCertificatePath({
    leaf: chain.leaf,
    intermediates: [chain.ca],
    trustAnchors: [chain.root],
    at,
    crls: [chain.rootCrl, chain.caCrl],
    revocation: 'require',
    ...overrides,
  });
}

/** The check with `id`, asserting that all four are present and in order. */
function checkOf(result: PathValidation, id: string) {
  assert.deepEqual(
    result.checks.map((c) => c.id),
    IDS,
  );
  return result.checks.find((c) => c.id === id)!;
}

function assertOutcome(result: PathValidation, id: string, indication: string, subIndication?: string): void {
  const check = checkOf(result, id);
  assert.equal(check.indication, indication, JSON.stringify(result.checks, null, 1));
  assert.equal(check.subIndication, subIndication, JSON.stringify(check));
  assert.equal(result.status, indication === 'TOTAL_FAILED' ? 'invalid' : indication === 'INDETERMINATE' ? 'indeterminate' : 'valid');
}

/** An end-entity certificate from the chain's issuing CA, with profile overrides. */
async function leafWith(chain: TestChain, overrides: Partial<CertificateProfile>): Promise<Uint8Array> {
  const key = await generateSigningKey('ES256');
  return issueCertificate({
    issuer: chain.ca,
    issuerKey: chain.caKey,
    subjectPublicKey: key.publicKey,
    subject: ISSUING_OFFICE,
    notBefore,
    notAfter,
    basicConstraints: { ca: false },
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    ...overrides,
  });
}

/** An intermediate under the chain's root, with profile overrides, and a leaf under it. */
async function intermediateWith(
  chain: TestChain,
  overrides: Partial<CertificateProfile>,
  withoutBasicConstraints = false,
): Promise<{ ca: Uint8Array; leaf: Uint8Array }> {
  const caKey = await generateSigningKey('ES256');
  const ca = await issueCertificate({
    issuer: chain.root,
    issuerKey: chain.rootKey,
    subjectPublicKey: caKey.publicKey,
    subject: { commonName: 'odd intermediate' },
    notBefore,
    notAfter,
    ...(withoutBasicConstraints ? {} : { basicConstraints: { ca: true } }),
    keyUsage: ['keyCertSign', 'cRLSign'],
    ...overrides,
  });
  const leafKey = await generateSigningKey('ES256');
  const leaf = await issueCertificate({
    issuer: ca,
    issuerKey: caKey,
    subjectPublicKey: leafKey.publicKey,
    subject: ISSUING_OFFICE,
    notBefore,
    notAfter,
    basicConstraints: { ca: false },
    keyUsage: ['digitalSignature'],
  });
  return { ca, leaf };
}

test('a valid chain: four checks in order, the path leaf → anchor, details for the report', async () => {
  const chain = await chainPromise;
  const result = await validate(chain);
  assert.equal(result.status, 'valid');
  assert.deepEqual(
    result.path.map((c) => c.subject),
    [chain.leaf, chain.ca, chain.root].map((der) => parseCertificate(der).subject),
  );
  assert.equal(result.anchor, result.path[2]);
  for (const id of IDS) assert.equal(checkOf(result, id).indication, 'TOTAL_PASSED');
  // Report details must survive JSON (no Dates, no bigints).
  assert.doesNotThrow(() => JSON.stringify(result.checks));
  // Intermediates may come in any order and include unrelated or broken certificates.
  const other = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const noisy = await validate(chain, { intermediates: [other.ca, new Uint8Array([0x30, 0x03, 1, 2, 3]), other.leaf, chain.ca] });
  assert.equal(noisy.status, 'valid');
});

test('validity: expired or not-yet-valid leaf, expired intermediate, expired anchor', async () => {
  const chain = await chainPromise;
  const expired = await leafWith(chain, { notAfter: new Date(at.getTime() - 1000) });
  assertOutcome(await validate(chain, { leaf: expired }), 'cert.validity', 'TOTAL_FAILED', 'EXPIRED');
  // The chain itself was still found and checked.
  assert.equal(checkOf(await validate(chain, { leaf: expired }), 'cert.chain').indication, 'TOTAL_PASSED');

  const early = await leafWith(chain, { notBefore: new Date(at.getTime() + 1000), notAfter: new Date(at.getTime() + year) });
  assertOutcome(await validate(chain, { leaf: early }), 'cert.validity', 'TOTAL_FAILED', 'NOT_YET_VALID');

  const caKey = await generateSigningKey('ES256');
  const oldCa = await createIssuingCa({ issuerCertificate: chain.root, issuerKey: chain.rootKey, subjectPublicKey: caKey.publicKey, subject: { commonName: 'old CA' }, notBefore, notAfter: new Date(at.getTime() - year / 12) });
  const underOld = await createIssuerCertificate({ issuerCertificate: oldCa, issuerKey: caKey, subjectPublicKey: caKey.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter });
  const caResult = await validate(chain, { leaf: underOld, intermediates: [oldCa], revocation: 'skip' });
  assertOutcome(caResult, 'cert.validity', 'TOTAL_FAILED', 'EXPIRED');
  assert.equal(checkOf(caResult, 'cert.validity').details?.['certificate'], 'CN=old CA,C=CN');

  const oldRootKey = await generateSigningKey('ES256');
  const oldRoot = await createRootCa({ key: oldRootKey, subject: { commonName: 'old root' }, notBefore, notAfter: new Date(at.getTime() - 1000) });
  const underOldRoot = await createIssuerCertificate({ issuerCertificate: oldRoot, issuerKey: oldRootKey, subjectPublicKey: caKey.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter });
  assertOutcome(
    await validate(chain, { leaf: underOldRoot, intermediates: [], trustAnchors: [oldRoot], revocation: 'skip' }),
    'cert.validity',
    'TOTAL_FAILED',
    'EXPIRED',
  );
});

test('chain: wrong signing key is SIG_CRYPTO_FAILURE; untrusted root is NO_CERTIFICATE_CHAIN_FOUND; later checks say "not checked"', async () => {
  const chain = await chainPromise;
  const otherKey = await generateSigningKey('ES256');
  // Names the issuing CA (issuer name and key identifier) but is signed by another key.
  const forged = await issueCertificate({
    issuer: chain.ca,
    issuerKey: otherKey,
    subjectPublicKey: otherKey.publicKey,
    subject: ISSUING_OFFICE,
    notBefore,
    notAfter,
    keyUsage: ['digitalSignature'],
  });
  const bad = await validate(chain, { leaf: forged });
  assertOutcome(bad, 'cert.chain', 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE');
  assert.deepEqual(bad.path, []);
  assert.equal(bad.anchor, undefined);
  for (const id of IDS.slice(1)) {
    const later = checkOf(bad, id);
    assert.equal(later.indication, 'INDETERMINATE');
    assert.equal(later.message, 'not checked: no chain');
  }

  // A byte of the leaf's TBS changed, signature kept.
  const tampered = chain.leaf.slice();
  const cn = parseCertificate(chain.leaf).tbs.length;
  tampered[cn - 10]! ^= 1;
  const tamperedResult = await validate(chain, { leaf: tampered, revocation: 'skip' });
  assert.equal(checkOf(tamperedResult, 'cert.chain').indication, 'TOTAL_FAILED');

  const other = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const untrusted = await validate(chain, { trustAnchors: [other.root] });
  assertOutcome(untrusted, 'cert.chain', 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND');
  assert.deepEqual(untrusted.path, []);
  // The intermediate missing from x5c: no path either.
  assertOutcome(await validate(chain, { intermediates: [] }), 'cert.chain', 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND');
  // No trust anchors at all.
  assertOutcome(await validate(chain, { trustAnchors: [] }), 'cert.chain', 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND');
});

test('chain: an anchor may be the issuing CA itself or the end-entity certificate (trusted directly)', async () => {
  const chain = await chainPromise;
  const viaCa = await validate(chain, { intermediates: [], trustAnchors: [chain.ca] });
  assert.equal(viaCa.status, 'valid', JSON.stringify(viaCa.checks));
  assert.equal(viaCa.path.length, 2);

  const direct = await validate(chain, { intermediates: [], trustAnchors: [chain.leaf], crls: [] });
  assert.equal(direct.status, 'valid', JSON.stringify(direct.checks));
  assert.equal(direct.path.length, 1);
  assert.equal(direct.anchor?.subject, parseCertificate(chain.leaf).subject);
});

test('chain: a signature algorithm outside the table is CRYPTO_CONSTRAINTS_FAILURE (leaf signed by OpenSSL with ecdsa-with-SHA384)', async () => {
  const chain = await chainPromise;
  writeFileSync(join(workDir, 'ca.key'), await exportPrivateKeyPem(chain.caKey));
  writeFileSync(join(workDir, 'ca.pem'), toPem('CERTIFICATE', chain.ca));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: workDir });
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ee.key']);
  run(['req', '-new', '-key', 'ee.key', '-subj', '/CN=sha384 leaf', '-out', 'ee.csr']);
  writeFileSync(join(workDir, 'ee.ext'), 'keyUsage = critical, digitalSignature\n');
  run(['x509', '-req', '-in', 'ee.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-sha384', '-days', '20', '-extfile', 'ee.ext', '-outform', 'DER', '-out', 'ee384.der']);
  run(['x509', '-req', '-in', 'ee.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-sha256', '-days', '20', '-extfile', 'ee.ext', '-outform', 'DER', '-out', 'ee256.der']);
  const opensslAt = new Date();
  const sha384 = new Uint8Array(readFileSync(join(workDir, 'ee384.der')));
  assertOutcome(await validate(chain, { leaf: sha384, at: opensslAt, revocation: 'skip' }), 'cert.chain', 'INDETERMINATE', 'CRYPTO_CONSTRAINTS_FAILURE');
  // The same leaf signed with SHA-256 by OpenSSL chains fine: the difference is only the algorithm.
  const sha256 = new Uint8Array(readFileSync(join(workDir, 'ee256.der')));
  const ok = await validate(chain, { leaf: sha256, at: opensslAt, revocation: 'skip' });
  assert.equal(ok.status, 'valid', JSON.stringify(ok.checks));
});

test('constraints: intermediate without cA, without keyCertSign; pathLen exceeded; unknown critical extension; leaf without signing usage', async () => {
  const chain = await chainPromise;
  const notCa = await intermediateWith(chain, { basicConstraints: { ca: false } });
  assertOutcome(await validate(chain, { ...notCa, intermediates: [notCa.ca], revocation: 'skip' }), 'cert.constraints', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE');
  const noBasic = await intermediateWith(chain, {}, true);
  assertOutcome(await validate(chain, { ...noBasic, intermediates: [noBasic.ca], revocation: 'skip' }), 'cert.constraints', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE');
  const noCertSign = await intermediateWith(chain, { keyUsage: ['digitalSignature', 'cRLSign'] });
  const noCertSignResult = await validate(chain, { ...noCertSign, intermediates: [noCertSign.ca], revocation: 'skip' });
  assertOutcome(noCertSignResult, 'cert.constraints', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE');
  assert.ok(checkOf(noCertSignResult, 'cert.constraints').message.includes('CN=odd intermediate'));

  // Root with pathLen 0 → issuing CA → leaf: one CA below the root is one too many.
  const rootKey = await generateSigningKey('ES256');
  const caKey = await generateSigningKey('ES256');
  const root = await createRootCa({ key: rootKey, subject: { commonName: 'pathLen 0 root' }, notBefore, notAfter, pathLength: 0 });
  const ca = await createIssuingCa({ issuerCertificate: root, issuerKey: rootKey, subjectPublicKey: caKey.publicKey, subject: { commonName: 'CA' }, notBefore, notAfter });
  const leaf = await createIssuerCertificate({ issuerCertificate: ca, issuerKey: caKey, subjectPublicKey: caKey.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter });
  assertOutcome(await validate(chain, { leaf, intermediates: [ca], trustAnchors: [root], revocation: 'skip' }), 'cert.constraints', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE');
  // Directly under the root it is fine.
  const direct = await createIssuerCertificate({ issuerCertificate: root, issuerKey: rootKey, subjectPublicKey: caKey.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter });
  assert.equal((await validate(chain, { leaf: direct, intermediates: [], trustAnchors: [root], revocation: 'skip' })).status, 'valid');
  // The issuing CA's own pathLen 0 is exceeded by a CA below it.
  const subKey = await generateSigningKey('ES256');
  const sub = await createIssuingCa({ issuerCertificate: chain.ca, issuerKey: chain.caKey, subjectPublicKey: subKey.publicKey, subject: { commonName: 'sub CA' }, notBefore, notAfter });
  const subLeaf = await createIssuerCertificate({ issuerCertificate: sub, issuerKey: subKey, subjectPublicKey: subKey.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter });
  assertOutcome(await validate(chain, { leaf: subLeaf, intermediates: [chain.ca, sub], revocation: 'skip' }), 'cert.constraints', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE');

  const unknownCritical = await leafWith(chain, { extraExtensions: [{ oid: '1.2.156.9999.1', critical: true, value: Uint8Array.of(0x05, 0x00) }] });
  const unknownResult = await validate(chain, { leaf: unknownCritical, revocation: 'skip' });
  assertOutcome(unknownResult, 'cert.constraints', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE');
  assert.ok(checkOf(unknownResult, 'cert.constraints').message.includes('1.2.156.9999.1'));
  const unknownPlain = await leafWith(chain, { extraExtensions: [{ oid: '1.2.156.9999.1', critical: false, value: Uint8Array.of(0x05, 0x00) }] });
  assert.equal((await validate(chain, { leaf: unknownPlain, revocation: 'skip' })).status, 'valid');

  const encipherOnly = await leafWith(chain, { keyUsage: ['keyEncipherment'] });
  assertOutcome(await validate(chain, { leaf: encipherOnly, revocation: 'skip' }), 'cert.constraints', 'TOTAL_FAILED', 'CHAIN_CONSTRAINTS_FAILURE');
});

test('revocation: revoked leaf, revoked issuing CA, stale CRL, CRL signed by the wrong key, no CRL, and skip', async () => {
  const chain = await chainPromise;
  const leaf = parseCertificate(chain.leaf);
  const ca = parseCertificate(chain.ca);
  const revokedOn = new Date('2026-04-15T00:00:00Z');

  const leafRevoked = await createCrl({ issuerCertificate: chain.ca, issuerKey: chain.caKey, thisUpdate, nextUpdate, crlNumber: 2, revoked: [{ serialNumber: leaf.serialNumber, revocationDate: revokedOn, reason: 'keyCompromise' }] });
  const revoked = await validate(chain, { crls: [chain.rootCrl, leafRevoked] });
  assertOutcome(revoked, 'cert.revocation', 'TOTAL_FAILED', 'REVOKED');
  const entries = checkOf(revoked, 'cert.revocation').details?.['certificates'] as Record<string, unknown>[];
  assert.deepEqual(
    [entries[0]!['status'], entries[0]!['reason'], entries[0]!['revocationDate'], entries[1]!['status']],
    ['revoked', 'keyCompromise', revokedOn.toISOString(), 'good'],
  );
  // Validated before the revocation date, the same CRL says good.
  assert.equal((await validate(chain, { crls: [chain.rootCrl, leafRevoked], at: new Date('2026-04-01T00:00:00Z') })).status, 'valid');

  const caRevoked = await createCrl({ issuerCertificate: chain.root, issuerKey: chain.rootKey, thisUpdate, nextUpdate, crlNumber: 2, revoked: [{ serialNumber: ca.serialNumber, revocationDate: revokedOn, reason: 'cACompromise' }] });
  assertOutcome(await validate(chain, { crls: [caRevoked, chain.caCrl] }), 'cert.revocation', 'TOTAL_FAILED', 'REVOKED');

  const staleAt = new Date(nextUpdate.getTime() + 1000);
  const stale = await validate(chain, { at: staleAt });
  assertOutcome(stale, 'cert.revocation', 'INDETERMINATE', 'TRY_LATER');

  const wrongKey = await generateSigningKey('ES256');
  const forged = (await createCrl({ issuerCertificate: chain.ca, issuerKey: chain.caKey, thisUpdate, nextUpdate, crlNumber: 3, revoked: [] })).slice();
  forged[forged.length - 5]! ^= 0x40;
  const impostorCa = await createRootCa({ key: wrongKey, subject: { commonName: 'eLicense Test Issuing CA (ES256)', organizationName: '电子证照测试签发CA' }, notBefore, notAfter });
  const impostorCrl = await createCrl({ issuerCertificate: impostorCa, issuerKey: wrongKey, thisUpdate, nextUpdate, crlNumber: 4, revoked: [] });
  const ignored = await validate(chain, { crls: [chain.rootCrl, forged, impostorCrl] });
  assertOutcome(ignored, 'cert.revocation', 'INDETERMINATE', 'TRY_LATER');
  const lacking = checkOf(ignored, 'cert.revocation').details?.['certificates'] as Record<string, unknown>[];
  assert.deepEqual(lacking.map((e) => [e['certificate'], e['status']]), [[leaf.subject, 'unknown'], [ca.subject, 'good']]);

  const none = await validate(chain, { crls: [] });
  assertOutcome(none, 'cert.revocation', 'INDETERMINATE', 'TRY_LATER');
  assert.ok(checkOf(none, 'cert.revocation').message.includes(leaf.subject));
  const noCrlOption = await validateCertificatePath({ leaf: chain.leaf, intermediates: [chain.ca], trustAnchors: [chain.root], at, revocation: 'require' });
  assertOutcome(noCrlOption, 'cert.revocation', 'INDETERMINATE', 'TRY_LATER');

  const skipped = await validate(chain, { crls: [], revocation: 'skip' });
  assert.equal(skipped.status, 'valid');
  assert.equal(checkOf(skipped, 'cert.revocation').message, 'revocation checking waived by caller');
  // Revoked beats missing data: the CA is revoked while the leaf has no CRL.
  assertOutcome(await validate(chain, { crls: [caRevoked] }), 'cert.revocation', 'TOTAL_FAILED', 'REVOKED');
});

test('signatureCache: a second validation performs no signature verification, and a tampered certificate is not let through by it', async () => {
  const chain = await chainPromise;
  /** Every real verification made with a cache ends in `set`: counting sets counts verifications. */
  class CountingCache extends Map<string, boolean> {
    sets = 0;
    hits = 0;
    override get(key: string): boolean | undefined {
      const value = super.get(key);
      if (value !== undefined) this.hits++;
      return value;
    }
    override set(key: string, value: boolean): this {
      this.sets++;
      return super.set(key, value);
    }
  }
  const cache = new CountingCache();
  assert.equal((await validate(chain, { signatureCache: cache })).status, 'valid');
  // Two certificate signatures and two CRL signatures, each verified once.
  assert.deepEqual([cache.sets, cache.hits, cache.size], [4, 0, 4]);
  // Fresh copies of the x5c bytes, as a JSON verifier decodes them for every license.
  assert.equal((await validate(chain, { leaf: chain.leaf.slice(), intermediates: [chain.ca.slice()], signatureCache: cache })).status, 'valid');
  assert.deepEqual([cache.sets, cache.hits, cache.size], [4, 4, 4]);

  // Same signature bytes over a changed TBS: the cache must not vouch for it.
  const tampered = chain.leaf.slice();
  tampered[parseCertificate(chain.leaf).tbs.length - 10]! ^= 1;
  assert.equal(checkOf(await validate(chain, { leaf: tampered, signatureCache: cache }), 'cert.chain').subIndication, 'SIG_CRYPTO_FAILURE');
});

test('bounded search: paths longer than 8 certificates and floods of look-alike intermediates end as NO_CERTIFICATE_CHAIN_FOUND', async () => {
  const keys: SoftwareSigningKey[] = [];
  for (let i = 0; i < 10; i++) keys.push(await generateSigningKey('ES256'));
  const root = await createRootCa({ key: keys[0]!, subject: { commonName: 'deep 0' }, notBefore, notAfter });
  const cas: Uint8Array[] = [];
  let issuer = root;
  for (let i = 1; i < 9; i++) {
    issuer = await createIssuingCa({ issuerCertificate: issuer, issuerKey: keys[i - 1]!, subjectPublicKey: keys[i]!.publicKey, subject: { commonName: `deep ${i}` }, notBefore, notAfter });
    cas.push(issuer);
  }
  const leaf = await createIssuerCertificate({ issuerCertificate: issuer, issuerKey: keys[8]!, subjectPublicKey: keys[9]!.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter });
  const deep = await validateCertificatePath({ leaf, intermediates: cas, trustAnchors: [root], at, revocation: 'skip' });
  assertOutcome(deep, 'cert.chain', 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND');
  // root → deep 1..8 → leaf is 10 certificates; with "deep 2" as the anchor the path is 8 and fits.
  const shorter = await validateCertificatePath({ leaf, intermediates: cas, trustAnchors: [cas[1]!], at, revocation: 'skip' });
  assert.equal(checkOf(shorter, 'cert.chain').indication, 'TOTAL_PASSED', JSON.stringify(shorter.checks[0]));

  // 100 self-signed look-alikes sharing a name and a key: each verifies the next, none reaches an anchor.
  // Unbounded, the depth-first search would try 100^7 paths.
  const chain = await chainPromise;
  const fakeKey = await generateSigningKey('ES256');
  const lookAlikes: Uint8Array[] = [];
  for (let i = 0; i < 100; i++) {
    lookAlikes.push(
      await issueCertificate({ issuer: 'self-signed', issuerKey: fakeKey, subjectPublicKey: fakeKey.publicKey, subject: { commonName: 'look-alike CA' }, notBefore, notAfter, serialNumber: (i + 1).toString(16), basicConstraints: { ca: true }, keyUsage: ['keyCertSign'] }),
    );
  }
  const floodLeaf = await issueCertificate({ issuer: lookAlikes[0]!, issuerKey: fakeKey, subjectPublicKey: fakeKey.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter, keyUsage: ['digitalSignature'] });
  const started = performance.now();
  const flooded = await validateCertificatePath({ leaf: floodLeaf, intermediates: lookAlikes, trustAnchors: [chain.root], at, revocation: 'skip' });
  assertOutcome(flooded, 'cert.chain', 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND');
  assert.equal(checkOf(flooded, 'cert.chain').details?.['candidateLimitReached'], 64);
  assert.equal(checkOf(flooded, 'cert.chain').details?.['ignoredCertificates'], 36);
  assert.ok(performance.now() - started < 2000);
});

test('hostile input: an unparseable leaf is a FORMAT_FAILURE report; an unparseable trust anchor is a configuration error', async () => {
  const chain = await chainPromise;
  const result = await validate(chain, { leaf: new Uint8Array([0x30, 0x82, 0xff]) });
  assertOutcome(result, 'cert.chain', 'TOTAL_FAILED', 'FORMAT_FAILURE');
  await assert.rejects(validate(chain, { trustAnchors: [new Uint8Array([1, 2, 3])] }), (e: unknown) => isElicenseError(e, 'ERR_CERT_INVALID'));
});

test('SM2 chain: validation with CRLs, and the cache makes the second run free', async () => {
  const chain = await buildTestChain({ root: 'SM2SM3', ca: 'SM2SM3', leaf: 'SM2SM3' });
  const cache = new Map<string, boolean>();
  assert.equal((await validate(chain, { signatureCache: cache })).status, 'valid');
  assert.equal(cache.size, 4);
  assert.equal((await validate(chain, { signatureCache: cache })).status, 'valid');
  assert.equal(cache.size, 4);
  // A leaf signed by another SM2 key under the CA's name and key identifier.
  const other = await generateSigningKey('SM2SM3');
  const forged = await issueCertificate({ issuer: chain.ca, issuerKey: other, subjectPublicKey: other.publicKey, subject: ISSUING_OFFICE, notBefore, notAfter, keyUsage: ['digitalSignature'] });
  assertOutcome(await validate(chain, { leaf: forged, signatureCache: cache }), 'cert.chain', 'TOTAL_FAILED', 'SIG_CRYPTO_FAILURE');
});

test('a signing certificate listed itself and under its CA is judged through the CA, so a revoked one fails', async () => {
  const chain = await chainPromise;
  const leaf = parseCertificate(chain.leaf);
  const leafRevoked = await createCrl({ issuerCertificate: chain.ca, issuerKey: chain.caKey, thisUpdate, nextUpdate, crlNumber: 3, revoked: [{ serialNumber: leaf.serialNumber, revocationDate: new Date('2026-04-15T00:00:00Z'), reason: 'keyCompromise' }] });
  const both = await validate(chain, { trustAnchors: [chain.root, chain.leaf], crls: [chain.rootCrl, leafRevoked] });
  assert.equal(both.path.length, 3, 'the path runs through the CA');
  assert.equal(checkOf(both, 'cert.revocation').subIndication, 'REVOKED');
  const alone = await validate(chain, { trustAnchors: [chain.leaf], intermediates: [], crls: [] });
  assert.equal(alone.path.length, 1, 'listed alone, it is trusted directly');
  assert.equal(alone.status, 'valid');
});
