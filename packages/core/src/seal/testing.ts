/**
 * A throwaway SM2 seal PKI for the seal tests: root → issuing CA → a signer (the office that seals
 * documents), a seal maker (制章者), another signer the seal does not list, and a trust list naming
 * them. Not exported from the package; keys are generated per run.
 */
import { createSigner, type Signer } from '../crypto/signer.js';
import { generateSigningKey } from '../crypto/signing-key.js';
import { createIssuerCertificate, createRootCa } from '../pki/ca.js';
import { buildTestChain, ISSUING_OFFICE, TEST_TIMES, type TestChain } from '../pki/testing.js';
import { signTrustList } from '../trust/sign-trust-list.js';
import type { TrustedSeal, TrustListContent } from '../trust/trust-list.js';
import { verifyTrustList } from '../trust/verify-trust-list.js';
import type { TrustInput } from '../verify/options.js';
import { createSesSeal, type CreateSesSealOptions } from './create-ses-seal.js';

export const SEAL_MAKER = {
  commonName: '演示省电子印章制作系统',
  organizationName: '演示省公安厅',
  organizationCode: '11990000MB3456783T',
  country: 'CN',
} as const;

export interface SealPki {
  readonly chain: TestChain;
  readonly signer: Signer;
  readonly maker: Signer;
  readonly stranger: Signer;
  readonly crls: Uint8Array[];
}

async function leaf(chain: TestChain, subject: Parameters<typeof createIssuerCertificate>[0]['subject']): Promise<Signer> {
  const key = await generateSigningKey('SM2SM3');
  const certificate = await createIssuerCertificate({
    issuerCertificate: chain.ca,
    issuerKey: chain.caKey,
    subjectPublicKey: key.publicKey,
    subject,
    notBefore: TEST_TIMES.notBefore,
    notAfter: TEST_TIMES.notAfter,
    crlUrl: 'http://crl.example.test/ca.crl',
  });
  return createSigner(key, [certificate, chain.ca]);
}

export async function buildSealPki(): Promise<SealPki> {
  const chain = await buildTestChain({ root: 'SM2SM3', ca: 'SM2SM3', leaf: 'SM2SM3' });
  const maker = await leaf(chain, SEAL_MAKER);
  const stranger = await leaf(chain, { ...ISSUING_OFFICE, commonName: '另一个签章人' });
  return { chain, signer: createSigner(chain.leafKey, [chain.leaf, chain.ca]), maker, stranger, crls: [chain.rootCrl, chain.caCrl] };
}

export function sealOptions(pki: SealPki, overrides: Partial<CreateSesSealOptions> = {}): CreateSesSealOptions {
  return {
    maker: pki.maker,
    esID: '22010000000001',
    type: 1,
    name: '吉林省住房和城乡建设厅电子证照专用章',
    certListType: 1,
    certificates: [pki.chain.leaf],
    validStart: new Date('2026-01-01T00:00:00Z'),
    validEnd: new Date('2028-01-01T00:00:00Z'),
    picture: { type: 'svg', data: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), widthMm: 42, heightMm: 42 },
    ...overrides,
  };
}

export function makeSeal(pki: SealPki, overrides: Partial<CreateSesSealOptions> = {}): Promise<Uint8Array> {
  return createSesSeal(sealOptions(pki, overrides));
}

/** A signed and verified trust list: the issuing CA trusted for the office and as seal maker (SES structures carry no intermediates). */
export async function sealTrust(pki: SealPki, seals?: readonly TrustedSeal[]): Promise<TrustInput> {
  const operatorKey = await generateSigningKey('ES256');
  const operatorCert = await createRootCa({ key: operatorKey, subject: { commonName: 'trust list operator', country: 'CN' }, notBefore: TEST_TIMES.notBefore, notAfter: TEST_TIMES.notAfter });
  const content: TrustListContent = {
    sequence: 1,
    issued: '2026-05-01T00:00:00Z',
    nextUpdate: '2026-12-01T00:00:00Z',
    operator: { name: '演示省电子证照共享平台', code: SEAL_MAKER.organizationCode },
    issuers: [
      {
        name: ISSUING_OFFICE.organizationName,
        code: ISSUING_OFFICE.organizationCode,
        certificates: [pki.chain.ca],
        licenseTypes: ['11100000000013338W032'],
        ...(seals ? { seals } : {}),
      },
    ],
    statusIssuers: [],
    sealMakers: [{ name: SEAL_MAKER.organizationName, code: SEAL_MAKER.organizationCode, certificates: [pki.chain.ca] }],
  };
  const signed = await signTrustList(content, createSigner(operatorKey, [operatorCert]));
  return { list: await verifyTrustList(signed, { at: TEST_TIMES.at, operatorCertificates: [operatorCert] }) };
}

