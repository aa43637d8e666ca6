/**
 * The electronic seal test vectors (format `ses`): GB/T 38540 seals and seal signatures made with the
 * demo SM2 PKI, good and bad, judged against a trust list that names the seal maker and registers the
 * housing office's seals. A SES_Signature file does not carry the document it signed, so even a good
 * one is INDETERMINATE (SIGNED_DATA_NOT_FOUND) on its own; sealed OFD documents carry both.
 */
import {
  createSesSeal,
  createSigner,
  generateSigningKey,
  officialSealPicture,
  parseCertificate,
  parseSesSeal,
  signSesSignature,
  signTrustList,
  sm3,
  toHex,
  toPem,
  utf8,
  type CreateSesSealOptions,
  type Signer,
  type TrustedSeal,
  type TrustListContent,
} from '@elicense/core';
import { createIssuerCertificate, createRootCa } from '@elicense/core/pki';
import { DEMO_OFFICES, type DemoOffice, type DemoPki, type DemoTimes } from '@elicense/platform/demo';
import { loadLicenseFont } from '@elicense/platform/license-font';

export interface SesVectorInput {
  readonly pki: DemoPki;
  readonly offices: readonly DemoOffice[];
  readonly times: DemoTimes;
  /** The housing office's SM2 signer: the seals list its certificate. */
  readonly signer: Signer;
}

export interface SesVectorFile {
  readonly path: string;
  readonly bytes: Uint8Array | string;
}

export interface SesVector {
  readonly file: string;
  readonly trust: string | null;
  readonly expected: { indication: string; subIndication?: string };
  readonly description: string;
}

export interface SesVectors {
  readonly files: SesVectorFile[];
  readonly vectors: SesVector[];
  readonly pki: Record<string, unknown>;
}

const TRUST = 'trust/trust-list-seals.json';
const SIGNED_AT = new Date('2026-05-20T02:00:00Z');
const failed = (subIndication: string) => ({ indication: 'TOTAL_FAILED', subIndication });
const indeterminate = (subIndication: string) => ({ indication: 'INDETERMINATE', subIndication });
const TEST_ONLY = 'TEST ONLY';

async function sm2Signer(issuer: { certificate: Uint8Array; key: Parameters<typeof createIssuerCertificate>[0]['issuerKey'] }, commonName: string, office: { name: string; code: string }, times: DemoTimes) {
  const key = await generateSigningKey('SM2SM3');
  const certificate = await createIssuerCertificate({
    issuerCertificate: issuer.certificate,
    issuerKey: issuer.key,
    subjectPublicKey: key.publicKey,
    subject: { commonName: `${commonName} (${TEST_ONLY})`, organizationName: office.name, organizationCode: office.code, country: 'CN' },
    notBefore: times.certFrom,
    notAfter: times.certUntil,
  });
  return { key, certificate, signer: createSigner(key, [certificate, issuer.certificate]) };
}

function registered(der: Uint8Array, status: TrustedSeal['status']): TrustedSeal {
  const seal = parseSesSeal(der);
  return {
    esID: seal.esID,
    name: seal.property.name,
    type: seal.property.type,
    pictureSm3: toHex(sm3(seal.picture.data)),
    validStart: seal.property.validStart.toISOString(),
    validEnd: seal.property.validEnd.toISOString(),
    status,
    ...(status === 'active' ? {} : { statusSince: '2026-04-01T00:00:00.000Z' }),
  };
}

export async function sesVectors(input: SesVectorInput): Promise<SesVectors> {
  const { pki, times, signer } = input;
  const housing = input.offices[0]!;
  const sm2Ca = pki.get('sm2-issuing-ca');
  const maker = await sm2Signer(sm2Ca, '演示省电子印章制作系统', DEMO_OFFICES.operator, times);
  const unlisted = await sm2Signer(sm2Ca, `${housing.name} 另一签章证书`, housing, times);

  const picture = officialSealPicture({ organizationName: housing.name, centerText: '电子证照专用章', bottomText: '2201000000001', font: await loadLicenseFont() });
  const base: CreateSesSealOptions = {
    maker: maker.signer,
    esID: '22010000000001',
    type: 1,
    name: `${housing.name}电子证照专用章`,
    certListType: 1,
    certificates: [signer.certificates[0]!],
    validStart: new Date('2026-01-01T00:00:00Z'),
    validEnd: new Date('2028-01-01T00:00:00Z'),
    picture,
    vendorId: 'eLicense',
  };
  const seal = await createSesSeal(base);
  const expiredSeal = await createSesSeal({ ...base, esID: '22010000000002', validStart: new Date('2025-01-01T00:00:00Z'), validEnd: new Date('2026-03-01T00:00:00Z') });
  const revokedSeal = await createSesSeal({ ...base, esID: '22010000000003' });
  const wrongMakerSeal = await createSesSeal({ ...base, esID: '22010000000004', maker: createSigner(await generateSigningKey('SM2SM3'), maker.signer.certificates) });

  // A seal maker the trust list does not name, under a root of its own.
  const rogueRootKey = await generateSigningKey('SM2SM3');
  const rogueRoot = await createRootCa({ key: rogueRootKey, subject: { commonName: `Rogue SM2 Root CA (${TEST_ONLY})`, country: 'CN' }, notBefore: times.caFrom, notAfter: times.caUntil });
  const rogueMaker = await sm2Signer({ certificate: rogueRoot, key: rogueRootKey }, '冒名印章制作系统', DEMO_OFFICES.operator, times);
  const rogueSeal = await createSesSeal({ ...base, esID: '22010000000005', maker: rogueMaker.signer });

  const pictureSvg = new TextDecoder().decode(parseSesSeal(seal).picture.data);
  const tampered = seal.slice();
  const at = Buffer.from(tampered).indexOf(Buffer.from('</svg>')) - 8;
  tampered[at]! ^= 0x01;

  const document = utf8('<ofd:Signature xmlns:ofd="http://www.ofdspec.org/2016">…</ofd:Signature>');
  const sign = (sealDer: Uint8Array, by: Signer = signer) =>
    signSesSignature({ seal: sealDer, signer: by, data: document, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml', timeInfo: SIGNED_AT });

  const content: TrustListContent = {
    sequence: 1,
    issued: times.published.toISOString(),
    nextUpdate: times.nextUpdate.toISOString(),
    operator: DEMO_OFFICES.operator,
    issuers: input.offices.map((office) => ({
      name: office.name,
      code: office.code,
      certificates: [pki.get('intl-issuing-ca').certificate, sm2Ca.certificate],
      licenseTypes: office.licenseTypes,
      ...(office.code === housing.code ? { seals: [registered(seal, 'active'), registered(expiredSeal, 'active'), registered(revokedSeal, 'revoked')] } : {}),
    })),
    statusIssuers: [{ ...DEMO_OFFICES.operator, certificates: [pki.get('intl-issuing-ca').certificate] }],
    // The maker's own certificate: trusting the SM2 issuing CA as a seal maker would trust every office for it.
    sealMakers: [{ ...DEMO_OFFICES.operator, certificates: [maker.certificate] }],
  };

  const files: SesVectorFile[] = [
    { path: TRUST, bytes: await signTrustList(content, pki.get('trust-list-operator').signer) },
    { path: 'ses/seal-valid.svg', bytes: pictureSvg },
  ];
  const vectors: SesVector[] = [];
  const add = async (name: string, bytes: Uint8Array | Promise<Uint8Array>, expected: SesVector['expected'], description: string, trust: string | null = TRUST) => {
    const file = `ses/${name}`;
    files.push({ path: file, bytes: await bytes });
    vectors.push({ file, trust, expected, description });
  };
  await add('seal-valid.esl', seal, { indication: 'TOTAL_PASSED' }, 'GB/T 38540 v4 seal with an SVG official-seal picture, made by a trusted seal maker and registered active');
  await add('signature-valid.dat', sign(seal), indeterminate('SIGNED_DATA_NOT_FOUND'), 'valid v4 SES_Signature; on its own the signed document is absent, so the data hash cannot be compared');
  await add('signature-no-trust.dat', sign(seal), indeterminate('NO_CERTIFICATE_CHAIN_FOUND'), 'valid v4 SES_Signature verified without a trust list: nothing is trusted', null);
  await add('seal-tampered-picture.esl', tampered, failed('SIG_CRYPTO_FAILURE'), 'one bit of the seal picture changed after the maker signed it');
  await add('seal-expired.esl', expiredSeal, failed('EXPIRED'), 'seal validity ended 2026-03-01, before the validation time');
  await add('signature-expired-seal.dat', sign(expiredSeal), failed('EXPIRED'), 'signed 2026-05-20 with a seal whose validity ended 2026-03-01');
  await add('seal-revoked.esl', revokedSeal, failed('REVOKED'), 'the trust list marks the seal revoked, while its maker certificate is good');
  await add('signature-revoked-seal.dat', sign(revokedSeal), failed('REVOKED'), 'SES_Signature made with a seal the trust list marks revoked');
  await add('signature-signer-not-in-seal.dat', sign(seal, unlisted.signer), failed('SIG_CONSTRAINTS_FAILURE'), 'signed by a certificate of the same office that the seal does not list');
  await add('seal-wrong-maker.esl', wrongMakerSeal, failed('SIG_CRYPTO_FAILURE'), 'seal signed by a key other than the one the maker certificate names');
  await add('seal-untrusted-maker.esl', rogueSeal, indeterminate('NO_CERTIFICATE_CHAIN_FOUND'), 'seal made by a maker that chains to a root the trust list does not name');

  const makerCert = parseCertificate(maker.certificate);
  files.push({ path: 'pki/seal-maker.cert.pem', bytes: toPem('CERTIFICATE', maker.certificate) });
  return {
    files,
    vectors,
    pki: {
      'seal-maker': {
        role: 'seal-maker',
        algorithm: 'SM2SM3',
        certificate: 'pki/seal-maker.cert.pem',
        subject: makerCert.subject,
        notBefore: makerCert.notBefore.toISOString(),
        notAfter: makerCert.notAfter.toISOString(),
        note: 'makes the seals of the ses vectors; named in trust/trust-list-seals.json as a seal maker; its key is not kept',
      },
    },
  };
}
