/**
 * Regenerates the test vectors: a fresh test PKI, trust lists, CRLs, status lists and signed licenses,
 * good and bad, with the result each must give (manifest.json, DESIGN.md §6). Run `pnpm vectors`.
 * Every key written here is a TEST-ONLY key.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  authorityTimestamper,
  base64,
  base64url,
  createSigner,
  exportPrivateKeyPem,
  generateSigningKey,
  parseCertificate,
  signLicenseCompact,
  signLicenseMulti,
  toPem,
  utf8,
  type LicenseCredential,
  type Signer,
} from '@elicense/core';
import { createIssuerCertificate, createIssuingCa, createRootCa } from '@elicense/core/pki';
import {
  createDemoCrls,
  createDemoLicense,
  createDemoPki,
  createDemoSeal,
  createDemoStatusLists,
  createDemoTimeStampAuthority,
  createDemoTrustList,
  demoOffices,
  demoTypes,
  statusListUrl,
  type DemoKey,
  type DemoOffice,
  type DemoTimes,
} from '@elicense/platform/demo';
import { loadLicenseFont } from '@elicense/platform/license-font';
import { pdfVectors } from './pdf-vectors.js';
import { qrVectors } from './qr-vectors.js';
import { OFD_SOURCES, ofdVectors } from './ofd-vectors.js';
import { sesVectors } from './ses-vectors.js';

const root = dirname(fileURLToPath(import.meta.url));
const AT = '2026-06-01T00:00:00Z';
const times: DemoTimes = {
  caFrom: new Date('2025-01-01T00:00:00Z'),
  caUntil: new Date('2035-01-01T00:00:00Z'),
  certFrom: new Date('2025-06-01T00:00:00Z'),
  certUntil: new Date('2028-06-01T00:00:00Z'),
  published: new Date('2026-05-01T00:00:00Z'),
  nextUpdate: new Date('2026-12-01T00:00:00Z'),
};

const TYPES = demoTypes();
const offices = demoOffices(TYPES);
const [housing, market, health] = offices;

interface Vector {
  file: string;
  format: 'jws' | 'pdf' | 'qr' | 'ofd' | 'ses';
  trust: string | null;
  at: string;
  status: string[];
  expected: { indication: string; subIndication?: string };
  description: string;
}

const vectors: Vector[] = [];
const TEST_ONLY = '# TEST-ONLY KEY from the eLicense test vectors. Never use it for anything real.\n';

async function write(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), data);
}

function statusFiles(typeCode: string): string[] {
  return ['status/crls.pem', `status/${typeCode}-revocation.jws`, `status/${typeCode}-suspension.jws`];
}

async function addVector(
  name: string,
  content: string,
  typeCode: string,
  expected: Vector['expected'],
  description: string,
  options: { trust?: string | null; status?: string[]; extension?: string } = {},
): Promise<void> {
  const file = `jws/${name}.${options.extension ?? 'jws'}`;
  await write(file, content);
  vectors.push({
    file,
    format: 'jws',
    trust: options.trust === undefined ? 'trust/trust-list.json' : options.trust,
    at: AT,
    status: options.status ?? statusFiles(typeCode),
    expected,
    description,
  });
}

const PASSED = { indication: 'TOTAL_PASSED' } as const;
const failed = (subIndication: string) => ({ indication: 'TOTAL_FAILED', subIndication });
const indeterminate = (subIndication: string) => ({ indication: 'INDETERMINATE', subIndication });

let serialCounter = 1000;
function license(office: DemoOffice, typeCode: string, overrides: Partial<Parameters<typeof createDemoLicense>[0]> = {}): LicenseCredential {
  serialCounter += 1;
  return createDemoLicense({
    typeCode,
    office,
    serial: `2026${String(serialCounter).padStart(6, '0')}`,
    statusIndex: serialCounter,
    issuedDate: '2026-01-15',
    validFrom: '2026-01-15T00:00:00+08:00',
    ...overrides,
  });
}

/** Re-encodes one part of a compact JWS while keeping the rest (for tampering vectors). */
function replacePart(jws: string, index: 0 | 1 | 2, part: string): string {
  const parts = jws.split('.');
  parts[index] = part;
  return parts.join('.');
}

function decodePart(jws: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(jws.split('.')[index]!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
}

/** A compact JWS over any header and payload, signed by `signer` (for headers our signer refuses to write). */
async function signRaw(header: Record<string, unknown> | string, payload: unknown, signer: Signer): Promise<string> {
  const headerB64 = base64url(utf8(typeof header === 'string' ? header : JSON.stringify(header)));
  const payloadB64 = base64url(utf8(JSON.stringify(payload)));
  const signature = await signer.sign(utf8(`${headerB64}.${payloadB64}`));
  return `${headerB64}.${payloadB64}.${base64url(signature)}`;
}

function x5c(signer: Signer): string[] {
  return signer.certificates.map((der) => base64(der));
}

async function main(): Promise<void> {
  for (const dir of ['pki', 'trust', 'status', 'jws', 'pdf', 'qr', 'ofd', 'ses']) await rm(join(root, dir), { recursive: true, force: true });
  const pki = await createDemoPki(times, offices);
  const slug = (office: DemoOffice) => office.code.slice(-6).toLowerCase();
  const housingEs = pki.get(`issuer-${slug(housing)}-es256`);
  const housingSm2 = pki.get(`issuer-${slug(housing)}-sm2`);
  const marketEs = pki.get(`issuer-${slug(market)}-es256`);
  const healthEs = pki.get(`issuer-${slug(health)}-es256`);
  const housingEd = await pki.issueSigningCert(`issuer-${slug(housing)}-eddsa`, 'issuer', 'EdDSA', housing);
  const housingPs = await pki.issueSigningCert(`issuer-${slug(housing)}-ps256`, 'issuer', 'PS256', housing);
  const expired = await pki.issueSigningCert(`issuer-${slug(housing)}-es256-expired`, 'issuer', 'ES256', housing, {
    from: new Date('2025-02-01T00:00:00Z'),
    until: new Date('2026-03-01T00:00:00Z'),
  });
  const revoked = await pki.issueSigningCert(`issuer-${slug(housing)}-es256-revoked`, 'issuer', 'ES256', housing);

  // The housing office's electronic seals (电子证照专用章), listing every signing certificate it has so far.
  const font = await loadLicenseFont();
  const sealWindow = { font, validStart: new Date('2026-01-01T00:00:00Z'), validEnd: new Date('2028-01-01T00:00:00Z') };
  const housingSeal = await createDemoSeal(pki, housing, { ...sealWindow, esID: '22010000000101' });
  const revokedSeal = await createDemoSeal(pki, housing, { ...sealWindow, esID: '22010000000102', status: 'revoked', statusSince: new Date('2026-04-01T00:00:00Z') });
  // Same esID as the registered seal, another picture: the maker made it, the registry does not know it.
  const otherPictureSeal = await createDemoSeal(pki, housing, { ...sealWindow, esID: '22010000000101', centerText: '合同专用章' });
  const seals = [housingSeal, revokedSeal];

  // RS256 is verify-only in eLicense: this vector is signed directly with WebCrypto to prove acceptance.
  const rsaPair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const rsaSpki = new Uint8Array(await crypto.subtle.exportKey('spki', rsaPair.publicKey));
  const intlCa = pki.get('intl-issuing-ca');
  const rsaCert = await createIssuerCertificate({
    issuerCertificate: intlCa.certificate,
    issuerKey: intlCa.key,
    subjectPublicKey: rsaSpki,
    subject: { commonName: `${housing.name} 电子证照签发 RS256 (TEST ONLY)`, organizationName: housing.name, organizationCode: housing.code, country: 'CN' },
    notBefore: times.certFrom,
    notAfter: times.certUntil,
  });

  // A chain the trust list does not know, for the same organisation.
  const rogueRootKey = await generateSigningKey('ES256');
  const rogueRoot = await createRootCa({ key: rogueRootKey, subject: { commonName: 'Rogue Root CA (TEST ONLY)', country: 'CN' }, notBefore: times.caFrom, notAfter: times.caUntil });
  const rogueCaKey = await generateSigningKey('ES256');
  const rogueCa = await createIssuingCa({ issuerCertificate: rogueRoot, issuerKey: rogueRootKey, subjectPublicKey: rogueCaKey.publicKey, subject: { commonName: 'Rogue Issuing CA (TEST ONLY)', country: 'CN' }, notBefore: times.caFrom, notAfter: times.caUntil });
  const rogueKey = await generateSigningKey('ES256');
  const rogueCert = await createIssuerCertificate({
    issuerCertificate: rogueCa,
    issuerKey: rogueCaKey,
    subjectPublicKey: rogueKey.publicKey,
    subject: { commonName: `${housing.name} (rogue, TEST ONLY)`, organizationName: housing.name, organizationCode: housing.code, country: 'CN' },
    notBefore: times.certFrom,
    notAfter: times.certUntil,
  });
  const rogueSigner = createSigner(rogueKey, [rogueCert, rogueCa]);

  // PKI files and the manifest's pki section.
  const pkiSection: Record<string, unknown> = {};
  for (const key of pki.keys.values()) {
    await write(`pki/${key.name}.key.pem`, TEST_ONLY + (await exportPrivateKeyPem(key.key)));
    await write(`pki/${key.name}.cert.pem`, toPem('CERTIFICATE', key.certificate));
    const cert = parseCertificate(key.certificate);
    pkiSection[key.name] = {
      role: key.role,
      algorithm: key.alg,
      key: `pki/${key.name}.key.pem`,
      certificate: `pki/${key.name}.cert.pem`,
      subject: cert.subject,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      ...(key.organizationCode ? { organization: key.organizationName, organizationCode: key.organizationCode } : {}),
      ...(key.role === 'issuer' ? { licenseTypes: offices.find((o) => o.code === key.organizationCode)?.licenseTypes ?? [] } : {}),
      ...(key.name === expired.name ? { note: 'expired before the vectors\' validation time' } : {}),
      ...(key.name === revoked.name ? { note: 'revoked in status/crls.pem since 2026-03-01' } : {}),
    };
  }
  await write('pki/rogue-root-ca.cert.pem', toPem('CERTIFICATE', rogueRoot));
  pkiSection['rogue-root-ca'] = { role: 'root-ca', algorithm: 'ES256', certificate: 'pki/rogue-root-ca.cert.pem', note: 'not in any trust list' };
  await write('pki/rs256-issuer.cert.pem', toPem('CERTIFICATE', rsaCert));
  pkiSection['rs256-issuer'] = { role: 'issuer', algorithm: 'RS256', certificate: 'pki/rs256-issuer.cert.pem', organizationCode: housing.code, note: 'RS256 is verify-only; its key is not kept' };

  // Trust lists, CRLs and status lists.
  await write('trust/trust-list.json', await createDemoTrustList(pki, offices, times, 1, { seals }));
  // QR codes name their signer by key id only: this list also holds each office's signing certificates.
  await write('trust/trust-list-qr.json', await createDemoTrustList(pki, offices, times, 1, { listSigningCertificates: true, seals }));
  await write('trust/trust-list-stale.json', await createDemoTrustList(pki, offices, { ...times, published: new Date('2026-04-01T00:00:00Z'), nextUpdate: new Date('2026-05-15T00:00:00Z') }, 2, { seals }));
  const revokedSerial = parseCertificate(revoked.certificate).serialNumber;
  const crls = await createDemoCrls(pki, times, [{ serialNumber: revokedSerial, revocationDate: new Date('2026-03-01T00:00:00Z'), alg: 'ES256' }]);
  await write('status/crls.pem', crls.map((der) => toPem('X509 CRL', der)).join(''));

  const revokedLicense = license(housing, TYPES.operator);
  const suspendedLicense = license(housing, TYPES.operator);
  const statusLists = await createDemoStatusLists(pki, Object.values(TYPES), times, [
    { typeCode: TYPES.operator, purpose: 'revocation', index: Number(revokedLicense.credentialStatus![0]!.statusListIndex) },
    { typeCode: TYPES.operator, purpose: 'suspension', index: Number(suspendedLicense.credentialStatus![1]!.statusListIndex) },
  ]);
  for (const typeCode of Object.values(TYPES)) {
    for (const purpose of ['revocation', 'suspension'] as const) {
      await write(`status/${typeCode}-${purpose}.jws`, statusLists.get(statusListUrl(typeCode, purpose))!);
    }
  }

  // Valid licenses: every algorithm, every type, the dual-signature form, a renewal.
  const operatorLicense = license(housing, TYPES.operator);
  for (const [name, signer, description] of [
    ['es256-valid', housingEs, 'ES256, compact vc+jwt'],
    ['eddsa-valid', housingEd, 'EdDSA (Ed25519), compact vc+jwt'],
    ['ps256-valid', housingPs, 'PS256 (RSA-PSS 2048), compact vc+jwt'],
    ['sm2-valid', housingSm2, 'SM2SM3 (SM2 with SM3, ID 1234567812345678), compact vc+jwt'],
  ] as [string, DemoKey, string][]) {
    await addVector(name, await signLicenseCompact(operatorLicense, signer.signer), TYPES.operator, PASSED, `${description}: 建筑施工特种作业人员操作资格证书`);
  }
  const rs256Header = { alg: 'RS256', typ: 'vc+jwt', cty: 'vc', x5c: [base64(rsaCert), base64(intlCa.certificate)] };
  const rsSigner: Signer = {
    alg: 'PS256',
    publicKey: rsaSpki,
    certificates: [rsaCert, intlCa.certificate],
    sign: async (data) => new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', rsaPair.privateKey, data as Uint8Array<ArrayBuffer>)),
  };
  await addVector('rs256-valid', await signRaw(rs256Header, operatorLicense, rsSigner), TYPES.operator, PASSED, 'RS256 (verify-only algorithm), compact vc+jwt');
  const dual = await signLicenseMulti(operatorLicense, [housingEs.signer, housingSm2.signer]);
  await addVector('es256-sealed-valid', await signLicenseCompact(operatorLicense, housingEs.signer, { seal: housingSeal.der }), TYPES.operator, PASSED, 'ES256 with the office\'s registered seal referenced in the protected header ("elicense:seal": esID, picture and seal SM3)');
  await addVector('sm2-sealed-seal-revoked', await signLicenseCompact(operatorLicense, housingSm2.signer, { seal: revokedSeal.der }), TYPES.operator, failed('REVOKED'), 'SM2SM3 license referencing a seal the trust list marks revoked, while every certificate is good');
  await addVector('dual-es256-sm2-valid', `${JSON.stringify(dual, null, 2)}\n`, TYPES.operator, PASSED, 'general JSON serialization: ES256 and SM2SM3 signatures over one payload', { extension: 'json' });

  const typeVectors: [string, DemoOffice, DemoKey, string][] = [
    ['business-license-valid', market, marketEs, TYPES.business],
    ['food-business-valid', market, marketEs, TYPES.food],
    ['construction-safety-valid', housing, housingEs, TYPES.safety],
    ['medical-institution-valid', health, healthEs, TYPES.medical],
  ];
  for (const [name, office, signer, typeCode] of typeVectors) {
    await addVector(name, await signLicenseCompact(license(office, typeCode), signer.signer), typeCode, PASSED, `valid ${typeCode} license from ${office.name}`);
  }
  const renewed = license(housing, TYPES.operator, { version: 2, previousIdentifier: operatorLicense.credentialSubject.certificateIdentifier });
  await addVector('renewal-v002-valid', await signLicenseCompact(renewed, housingEs.signer), TYPES.operator, PASSED, 'a renewed license: version .002. superseding .001.');

  // Integrity failures.
  const good = await signLicenseCompact(operatorLicense, housingEs.signer);
  const tamperedPayload = { ...operatorLicense, credentialSubject: { ...operatorLicense.credentialSubject, certificateHolderName: '李四' } };
  await addVector('tampered-payload', replacePart(good, 1, base64url(utf8(JSON.stringify(tamperedPayload)))), TYPES.operator, failed('SIG_CRYPTO_FAILURE'), 'payload changed after signing (holder name)');
  await addVector('tampered-header', replacePart(good, 0, base64url(utf8(JSON.stringify({ ...decodePart(good, 0), kid: 'changed' })))), TYPES.operator, failed('SIG_CRYPTO_FAILURE'), 'protected header changed after signing');
  const otherKey = await generateSigningKey('ES256');
  await addVector('wrong-key-behind-x5c', await signLicenseCompact(operatorLicense, createSigner(otherKey, housingEs.chain)), TYPES.operator, failed('SIG_CRYPTO_FAILURE'), 'signed by a key other than the one certified in x5c');
  const dualBad = { ...dual, signatures: [dual.signatures[0]!, { ...dual.signatures[1]!, signature: base64url(new Uint8Array(64).fill(7)) }] };
  await addVector('dual-sm2-signature-invalid', `${JSON.stringify(dualBad, null, 2)}\n`, TYPES.operator, failed('SIG_CRYPTO_FAILURE'), 'dual signature whose SM2 signature is garbage: one bad signature fails the document', { extension: 'json' });

  // Trust and certificate failures.
  await addVector('untrusted-root', await signLicenseCompact(operatorLicense, rogueSigner), TYPES.operator, indeterminate('NO_CERTIFICATE_CHAIN_FOUND'), 'valid signature, chain to a root the trust list does not name');
  await addVector('expired-signing-certificate', await signLicenseCompact(operatorLicense, expired.signer), TYPES.operator, failed('EXPIRED'), 'signing certificate expired 2026-03-01, before the validation time');
  await addVector('revoked-signing-certificate', await signLicenseCompact(operatorLicense, revoked.signer), TYPES.operator, failed('REVOKED'), 'signing certificate revoked by the issuing CA\'s CRL');
  await addVector('issuer-not-authorized-for-type', await signLicenseCompact(license(housing, TYPES.business), housingEs.signer), TYPES.business, failed('SIG_CONSTRAINTS_FAILURE'), '住建厅 signs a 营业执照, a type the trust list does not let it issue');
  await addVector('issuer-mismatch', await signLicenseCompact(license(housing, TYPES.operator), marketEs.signer), TYPES.operator, failed('SIG_CONSTRAINTS_FAILURE'), 'the license names 住建厅 as issuer but 市场监管局 signed it');
  await addVector('no-trust-list', good, TYPES.operator, indeterminate('NO_CERTIFICATE_CHAIN_FOUND'), 'valid license verified without a trust list: nothing is trusted', { trust: null });
  await addVector('stale-trust-list', good, TYPES.operator, indeterminate('TRY_LATER'), 'trust list past its nextUpdate', { trust: 'trust/trust-list-stale.json' });

  // License data failures.
  await addVector('license-expired', await signLicenseCompact(license(housing, TYPES.operator, { issuedDate: '2020-01-10', validFrom: '2020-01-10T00:00:00+08:00', validUntil: '2023-01-09T23:59:59+08:00' }), housingEs.signer), TYPES.operator, failed('EXPIRED'), 'the license\'s validity ended in 2023');
  await addVector('license-not-yet-valid', await signLicenseCompact(license(housing, TYPES.operator, { issuedDate: '2026-05-20', validFrom: '2027-01-01T00:00:00+08:00' }), housingEs.signer), TYPES.operator, failed('NOT_YET_VALID'), 'the license becomes valid in 2027');
  const badCheck = license(housing, TYPES.operator);
  const identifier = badCheck.credentialSubject.certificateIdentifier;
  const wrongChar = identifier.endsWith('0') ? '1' : '0';
  const badIdentifier = identifier.slice(0, -1) + wrongChar;
  const badCheckLicense = { ...badCheck, id: `urn:elicense:${badIdentifier}`, credentialSubject: { ...badCheck.credentialSubject, certificateIdentifier: badIdentifier } };
  await addVector('bad-identifier-check-character', await signRaw({ alg: 'ES256', typ: 'vc+jwt', cty: 'vc', x5c: x5c(housingEs.signer) }, badCheckLicense, housingEs.signer), TYPES.operator, failed('FORMAT_FAILURE'), 'GB/T 36904 identifier with a wrong MOD 37,36 check character');
  const schemaBad = license(housing, TYPES.operator);
  const fields = { ...schemaBad.credentialSubject.fields } as Record<string, unknown>;
  const firstField = Object.keys(fields)[0]!;
  fields[firstField] = 12345;
  await addVector('schema-violation', await signRaw({ alg: 'ES256', typ: 'vc+jwt', cty: 'vc', x5c: x5c(housingEs.signer) }, { ...schemaBad, credentialSubject: { ...schemaBad.credentialSubject, fields } }, housingEs.signer), TYPES.operator, failed('FORMAT_FAILURE'), `the type's schema is violated: field ${firstField} is a number`);
  await addVector('license-revoked', await signLicenseCompact(revokedLicense, housingEs.signer), TYPES.operator, failed('REVOKED'), 'the license is revoked in its status list');
  await addVector('license-suspended', await signLicenseCompact(suspendedLicense, housingEs.signer), TYPES.operator, indeterminate('TRY_LATER'), 'the license is suspended (暂扣) in its status list');
  await addVector('no-status-source', good, TYPES.operator, indeterminate('TRY_LATER'), 'no status list given: status cannot be checked, so never passed', { status: ['status/crls.pem'] });
  await addVector('no-crl', good, TYPES.operator, indeterminate('TRY_LATER'), 'no CRL given: certificate revocation cannot be checked', { status: statusFiles(TYPES.operator).slice(1) });

  // Hostile JOSE.
  const payloadB64 = good.split('.')[1]!;
  await addVector('alg-none', `${base64url(utf8(JSON.stringify({ alg: 'none', typ: 'vc+jwt' })))}.${payloadB64}.`, TYPES.operator, failed('FORMAT_FAILURE'), 'alg: none with an empty signature');
  const hsHeader = base64url(utf8(JSON.stringify({ alg: 'HS256', typ: 'vc+jwt', x5c: x5c(housingEs.signer) })));
  const hmacKey = await crypto.subtle.importKey('raw', utf8(toPem('PUBLIC KEY', housingEs.key.publicKey)) as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const hmac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, utf8(`${hsHeader}.${payloadB64}`) as Uint8Array<ArrayBuffer>));
  await addVector('hs256-public-key-confusion', `${hsHeader}.${payloadB64}.${base64url(hmac)}`, TYPES.operator, failed('FORMAT_FAILURE'), 'HS256 keyed with the issuer\'s public key (algorithm confusion)');
  await addVector('unknown-crit', await signRaw({ alg: 'ES256', typ: 'vc+jwt', crit: ['urn:example:unknown'], 'urn:example:unknown': true, x5c: x5c(housingEs.signer) }, operatorLicense, housingEs.signer), TYPES.operator, failed('FORMAT_FAILURE'), 'a critical header extension the verifier does not understand');
  await addVector('embedded-jwk', await signRaw({ alg: 'ES256', typ: 'vc+jwt', jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }, x5c: x5c(housingEs.signer) }, operatorLicense, housingEs.signer), TYPES.operator, failed('FORMAT_FAILURE'), 'a key embedded in the header (jwk) is never trusted');
  await addVector('duplicate-header-member', await signRaw(`{"alg":"ES256","typ":"vc+jwt","typ":"JWT","x5c":${JSON.stringify(x5c(housingEs.signer))}}`, operatorLicense, housingEs.signer), TYPES.operator, failed('FORMAT_FAILURE'), 'protected header with a duplicate member name');
  const oversized = { ...operatorLicense, credentialSubject: { ...operatorLicense.credentialSubject, padding: 'x'.repeat(1_100_000) } };
  await addVector('oversized', await signRaw({ alg: 'ES256', typ: 'vc+jwt', x5c: x5c(housingEs.signer) }, oversized, housingEs.signer), TYPES.operator, failed('FORMAT_FAILURE'), 'a JWS larger than the 1 MiB limit');
  await addVector('not-a-jws', '{"hello": "world"}\n', TYPES.operator, failed('FORMAT_FAILURE'), 'JSON that is not a JWS', { extension: 'json' });

  // PDF licenses: every algorithm, every PAdES level, and the attacks.
  const signingTime = new Date('2026-05-20T02:00:00Z');
  for (const vector of await pdfVectors({
    credential: operatorLicense,
    other: license(housing, TYPES.operator),
    unauthorized: license(housing, TYPES.business),
    seals: { revoked: revokedSeal.der, otherPicture: otherPictureSeal.der },
    sm2ValidationData: {
      certificates: [pki.get('sm2-issuing-ca').certificate, pki.get('sm2-root-ca').certificate, pki.get('time-stamping-authority').certificate, intlCa.certificate],
      crls,
    },
    signers: {
      es256: housingEs.signer,
      ps256: housingPs.signer,
      eddsa: housingEd.signer,
      sm2: housingSm2.signer,
      revoked: revoked.signer,
      rogue: rogueSigner,
      otherOffice: marketEs.signer,
    },
    ctx: {
      signingTime,
      seal: housingSeal.der,
      timestamper: authorityTimestamper(createDemoTimeStampAuthority(pki, () => signingTime)),
      validationData: {
        certificates: [intlCa.certificate, pki.get('intl-root-ca').certificate, pki.get('time-stamping-authority').certificate],
        crls,
      },
    },
  })) {
    const file = `pdf/${vector.name}.pdf`;
    await write(file, vector.bytes);
    vectors.push({ file, format: 'pdf', trust: 'trust/trust-list.json', at: AT, status: statusFiles(TYPES.operator), expected: vector.expected, description: vector.description });
  }

  // QR codes: photos or scans of the printed code, verified offline.
  for (const vector of await qrVectors({
    licenses: {
      valid: { credential: operatorLicense, typeCode: TYPES.operator },
      business: { credential: license(market, TYPES.business), typeCode: TYPES.business },
      revoked: { credential: revokedLicense, typeCode: TYPES.operator },
      unauthorized: { credential: license(housing, TYPES.business), typeCode: TYPES.business },
      other: { credential: license(housing, TYPES.operator), typeCode: TYPES.operator },
    },
    signers: { es256: housingEs.signer, sm2: housingSm2.signer, business: marketEs.signer, rogue: rogueSigner, revoked: revoked.signer },
  })) {
    const file = `qr/${vector.name}.png`;
    await write(file, vector.image);
    vectors.push({ file, format: 'qr', trust: 'trust/trust-list-qr.json', at: AT, status: statusFiles(vector.typeCode), expected: vector.expected, description: vector.description });
  }

  // Real sealed OFD files (no trust anchors: INDETERMINATE) and copies with one signed part changed.
  await write('ofd/SOURCES.md', OFD_SOURCES);
  for (const vector of await ofdVectors()) {
    const file = `ofd/${vector.name}.ofd`;
    await write(file, vector.bytes);
    vectors.push({ file, format: 'ofd', trust: null, at: AT, status: [], expected: vector.expected, description: vector.description });
  }

  // Electronic seals and seal signatures (GB/T 38540), against a trust list that registers the seals.
  const ses = await sesVectors({ pki, offices, times, signer: housingSm2.signer });
  for (const { path, bytes } of ses.files) await write(path, bytes);
  for (const vector of ses.vectors) vectors.push({ ...vector, format: 'ses', at: AT, status: ['status/crls.pem'] });
  Object.assign(pkiSection, ses.pki);

  const manifest = {
    description: 'eLicense test vectors: signed licenses with the result a conforming verifier must give. Keys and certificates under pki/ are TEST-ONLY.',
    generator: 'test-vectors/generate.ts',
    pki: pkiSection,
    vectors,
  };
  await write('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`wrote ${vectors.length} vectors and ${Object.keys(pkiSection).length} PKI entries to ${root}\n`);
}

await main();
