import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isElicenseError } from '../errors.js';
import { buildLicenseCredential, validateLicenseCredential, type LicenseCredential } from './credential.js';
import { parseIdentifier } from './identifier.js';
import { createLicenseTypeRegistry } from './registry.js';
import { foodBusinessLicense, specialOperationsCertificate } from './types/index.js';
import { nextVersion } from './versions.js';

const registry = createLicenseTypeRegistry();
const JILIN = { name: '吉林省住房和城乡建设厅', code: '11220000013544541J' };

function first(version = 1): LicenseCredential {
  return buildLicenseCredential(
    {
      typeCode: specialOperationsCertificate.code,
      issuer: JILIN,
      holder: specialOperationsCertificate.sample.holder,
      number: '吉A042021000123',
      serial: '2430599',
      version,
      issuedDate: '2021-01-08',
      validFrom: '2021-01-08',
      fields: specialOperationsCertificate.sample.fields,
      credentialStatus: [{ statusPurpose: 'revocation', statusListIndex: 7, statusListCredential: 'https://status.example.cn/1' }],
    },
    registry,
  );
}

test('renewal produces .002. with a valid check character, the same serial and a link back', () => {
  const old = first();
  const renewed = nextVersion(old, { issuedDate: '2022-12-20', validFrom: '2023-01-09' }, registry);
  const id = renewed.credentialSubject.certificateIdentifier;
  assert.match(id, /^1\.2\.156\.3005\.2\.11100000000013338W032\.11220000013544541J\.2430599\.002\.[0-9A-Z]$/);
  const parsed = parseIdentifier(id);
  assert.equal(parsed.checkCharacterValid, true);
  assert.equal(parsed.serial, parseIdentifier(old.credentialSubject.certificateIdentifier).serial);
  assert.notEqual(parsed.checkCharacter, old.credentialSubject.certificateIdentifier.at(-1));
  assert.equal(renewed.credentialSubject.certificateVersion, '002');
  assert.equal(renewed.credentialSubject.previousIdentifier, old.credentialSubject.certificateIdentifier);
  assert.equal(renewed.id, `urn:elicense:${id}`);
  // A new validFrom restarts the type's period.
  assert.equal(renewed.credentialSubject.certificateEffectiveDate, '2023-01-09');
  assert.equal(renewed.credentialSubject.certificateExpiringDate, '2025-01-09');
  assert.equal(renewed.credentialSubject.certificateIssuedDate, '2022-12-20');
  assert.deepEqual(validateLicenseCredential(renewed, registry), []);
});

test('a change keeps the validity, merges fields and drops the old status entry', () => {
  const old = first();
  const changed = nextVersion(old, { issuedDate: '2021-06-01', fields: { 操作类别: '建筑架子工', 初次领证日期: undefined } }, registry);
  assert.equal(changed.credentialSubject.fields.操作类别, '建筑架子工');
  assert.equal('初次领证日期' in changed.credentialSubject.fields, false);
  assert.equal(changed.credentialSubject.fields.姓名, '赵德华');
  assert.equal(changed.validFrom, old.validFrom);
  assert.equal(changed.validUntil, old.validUntil);
  assert.equal(changed.credentialStatus, undefined);
  assert.equal(old.credentialSubject.fields.操作类别, '建筑电工', 'the old credential is untouched');
});

test('versions chain: .003. supersedes .002.', () => {
  const v2 = nextVersion(first(), { issuedDate: '2022-01-01' }, registry);
  const v3 = nextVersion(v2, { issuedDate: '2023-01-01' }, registry);
  assert.equal(v3.credentialSubject.certificateVersion, '003');
  assert.equal(v3.credentialSubject.previousIdentifier, v2.credentialSubject.certificateIdentifier);
  assert.equal(parseIdentifier(v3.credentialSubject.certificateIdentifier).checkCharacterValid, true);
});

test('a long-term or fixed validity carries over when validFrom does not change', () => {
  const food = buildLicenseCredential(
    {
      typeCode: foodBusinessLicense.code,
      issuer: { name: '北京市海淀区市场监督管理局', code: '11110108MB0L7W3D07' },
      holder: foodBusinessLicense.sample.holder,
      number: 'JY21101080123456',
      serial: 'JY21101080123456',
      issuedDate: '2023-03-20',
      validFrom: '2023-03-20',
      validUntil: '2027-12-31',
      fields: foodBusinessLicense.sample.fields,
    },
    registry,
  );
  const changed = nextVersion(food, { issuedDate: '2024-01-02', fields: { 日常监督管理人员: '王芳' } }, registry);
  assert.equal(changed.credentialSubject.certificateExpiringDate, '2027-12-31');
});

test('version 999 is the last', () => {
  const last = first(999);
  assert.throws(
    () => nextVersion(last, { issuedDate: '2022-01-01' }, registry),
    (e: unknown) => isElicenseError(e, 'ERR_LICENSE_INVALID') && e.field === 'credentialSubject.certificateVersion',
  );
  assert.equal(nextVersion(first(998), { issuedDate: '2022-01-01' }, registry).credentialSubject.certificateVersion, '999');
});

test('an invalid credential is not renewed; bad changes name their field', () => {
  const tampered = { ...first(), id: 'urn:elicense:other' } as LicenseCredential;
  assert.throws(
    () => nextVersion(tampered, { issuedDate: '2022-01-01' }, registry),
    (e: unknown) => isElicenseError(e, 'ERR_LICENSE_INVALID') && e.field === 'id',
  );
  assert.throws(
    () => nextVersion(first(), null as unknown as { issuedDate: string }, registry),
    (e: unknown) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'changes',
  );
  assert.throws(
    () => nextVersion(first(), { issuedDate: 'someday' }, registry),
    (e: unknown) => isElicenseError(e, 'ERR_LICENSE_INVALID') && e.field === 'issuedDate',
  );
  assert.throws(
    () => nextVersion(first(), { issuedDate: '2022-01-01', fields: { 性别: 'M' } }, registry),
    (e: unknown) => isElicenseError(e, 'ERR_LICENSE_SCHEMA') && e.field === 'credentialSubject.fields.性别',
  );
});
