/**
 * Throwaway three-level PKIs for the pki tests (root CA → issuing CA → issuing office), built only
 * through the public CA toolkit. Not exported from the package: test support, keys generated per run.
 */
import type { SignatureAlgorithm } from '../crypto/algorithms.js';
import { generateSigningKey, type SoftwareSigningKey } from '../crypto/signing-key.js';
import { createIssuerCertificate, createIssuingCa, createRootCa } from './ca.js';
import { createCrl } from './crl.js';

export const TEST_TIMES = {
  notBefore: new Date('2025-01-01T00:00:00Z'),
  notAfter: new Date('2030-01-01T00:00:00Z'),
  /** Validation time used by the tests. */
  at: new Date('2026-06-01T00:00:00Z'),
  thisUpdate: new Date('2026-05-01T00:00:00Z'),
  nextUpdate: new Date('2026-08-01T00:00:00Z'),
} as const;

/** 吉林省住房和城乡建设厅 and its 统一社会信用代码 (check digit valid). */
export const ISSUING_OFFICE = {
  commonName: '吉林省住房和城乡建设厅电子证照签发',
  organizationName: '吉林省住房和城乡建设厅',
  organizationCode: '11220000013544541J',
  country: 'CN',
} as const;

export interface TestChain {
  readonly rootKey: SoftwareSigningKey;
  readonly caKey: SoftwareSigningKey;
  readonly leafKey: SoftwareSigningKey;
  readonly root: Uint8Array;
  readonly ca: Uint8Array;
  readonly leaf: Uint8Array;
  /** Root's CRL (covers the issuing CA) and the issuing CA's CRL (covers the leaf); nothing revoked. */
  readonly rootCrl: Uint8Array;
  readonly caCrl: Uint8Array;
}

export interface ChainAlgorithms {
  readonly root: SignatureAlgorithm;
  readonly ca: SignatureAlgorithm;
  readonly leaf: SignatureAlgorithm;
}

export async function buildTestChain(algs: ChainAlgorithms): Promise<TestChain> {
  const [rootKey, caKey, leafKey] = await Promise.all([
    generateSigningKey(algs.root),
    generateSigningKey(algs.ca),
    generateSigningKey(algs.leaf),
  ]);
  const { notBefore, notAfter, thisUpdate, nextUpdate } = TEST_TIMES;
  const root = await createRootCa({
    key: rootKey,
    subject: { commonName: `eLicense Test Root CA (${algs.root})`, organizationName: '电子证照测试根CA' },
    notBefore,
    notAfter,
    pathLength: 1,
  });
  const ca = await createIssuingCa({
    issuerCertificate: root,
    issuerKey: rootKey,
    subjectPublicKey: caKey.publicKey,
    subject: { commonName: `eLicense Test Issuing CA (${algs.ca})`, organizationName: '电子证照测试签发CA' },
    notBefore,
    notAfter,
    pathLength: 0,
    crlUrl: 'http://crl.example.test/root.crl',
  });
  const leaf = await createIssuerCertificate({
    issuerCertificate: ca,
    issuerKey: caKey,
    subjectPublicKey: leafKey.publicKey,
    subject: ISSUING_OFFICE,
    notBefore,
    notAfter,
    crlUrl: 'http://crl.example.test/ca.crl',
  });
  const rootCrl = await createCrl({ issuerCertificate: root, issuerKey: rootKey, thisUpdate, nextUpdate, revoked: [], crlNumber: 1 });
  const caCrl = await createCrl({ issuerCertificate: ca, issuerKey: caKey, thisUpdate, nextUpdate, revoked: [], crlNumber: 1 });
  return { rootKey, caKey, leafKey, root, ca, leaf, rootCrl, caCrl };
}
