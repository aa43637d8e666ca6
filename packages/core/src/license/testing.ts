/**
 * Sample licenses for tests: a type's own sample data, issued by the test office on a fixed date. Test
 * support, not exported from the package.
 */
import { ISSUING_OFFICE } from '../pki/testing.js';
import { buildLicenseCredential, type LicenseCredential } from './credential.js';
import { defaultLicenseTypeRegistry } from './registry.js';
import type { LicenseType } from './types/license-type.js';

/** The type's sample, by ISSUING_OFFICE, serial 2026000101, issued and valid from 2026-05-20. */
export function sampleOfficeLicense(type: LicenseType): LicenseCredential {
  return buildLicenseCredential(
    {
      typeCode: type.code,
      issuer: { name: ISSUING_OFFICE.organizationName, code: ISSUING_OFFICE.organizationCode },
      holder: type.sample.holder,
      number: String(type.sample.fields[type.linkedFields!.number!]),
      serial: '2026000101',
      issuedDate: '2026-05-20',
      validFrom: '2026-05-20',
      fields: type.sample.fields,
    },
    defaultLicenseTypeRegistry,
  );
}
