/**
 * Signed sample licenses of every shipped type for the rendering tests, built through the public
 * license and JWS modules. Not exported from the package: test support, keys generated per run.
 */
import { createSigner } from '../../crypto/signer.js';
import { signLicenseCompact } from '../../jws/sign-license.js';
import { buildLicenseCredential, type LicenseCredential } from '../../license/credential.js';
import { defaultLicenseTypeRegistry } from '../../license/registry.js';
import type { LicenseType } from '../../license/types/license-type.js';
import { buildTestChain } from '../../pki/testing.js';

export interface SampleLicense {
  readonly type: LicenseType;
  readonly credential: LicenseCredential;
  readonly jws: string;
}

/** Issuing offices by type: the real 住建厅 for the housing types, demo offices for the others. */
const OFFICES: Readonly<Record<string, { name: string; code: string }>> = {
  '11100000000013338W050': { name: '吉林省住房和城乡建设厅', code: '11220000013544541J' },
  '11100000000013338W032': { name: '吉林省住房和城乡建设厅', code: '11220000013544541J' },
  '11100000MB1C8D3NXA001': { name: '演示市卫生健康委员会', code: '11990100MB23456781' },
};
const MARKET_OFFICE = { name: '演示市市场监督管理局', code: '11990100MB12345620' };

export async function sampleLicenses(): Promise<SampleLicense[]> {
  const chain = await buildTestChain({ root: 'ES256', ca: 'ES256', leaf: 'ES256' });
  const signer = createSigner(chain.leafKey, [chain.leaf, chain.ca]);
  const samples: SampleLicense[] = [];
  for (const [index, type] of defaultLicenseTypeRegistry.list().entries()) {
    const number = type.linkedFields?.number;
    const credential = buildLicenseCredential(
      {
        typeCode: type.code,
        issuer: OFFICES[type.code] ?? MARKET_OFFICE,
        holder: type.sample.holder,
        number: number === undefined ? `DEMO2024${String(index).padStart(6, '0')}` : String(type.sample.fields[number]),
        serial: `2024${String(index + 1).padStart(6, '0')}`,
        issuedDate: '2024-01-15',
        validFrom: '2024-01-15',
        fields: type.sample.fields,
      },
      defaultLicenseTypeRegistry,
    );
    samples.push({ type, credential, jws: await signLicenseCompact(credential, signer) });
  }
  return samples;
}

/** The text a QR code on a printed license might carry: a verification URL with the identifier. */
export function sampleQrText(credential: LicenseCredential): string {
  return `https://verify.elicense.example/v1?id=${credential.credentialSubject.certificateIdentifier}`;
}
