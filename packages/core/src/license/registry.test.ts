import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isElicenseError } from '../errors.js';
import { createLicenseTypeRegistry, defaultLicenseTypes } from './registry.js';
import { businessLicense, specialOperationsCertificate } from './types/index.js';
import type { LicenseType } from './types/license-type.js';
import { checkUscc } from './uscc.js';

test('at least five types ship, each with a unique, well-formed code', () => {
  assert.ok(defaultLicenseTypes.length >= 5);
  const registry = createLicenseTypeRegistry();
  assert.equal(registry.list().length, defaultLicenseTypes.length);
  for (const type of defaultLicenseTypes) {
    assert.match(type.code, /^.{18}\d{3}$/);
    assert.equal(type.code.slice(0, 18), type.definingAuthority.code);
    assert.equal(checkUscc(type.definingAuthority.code).valid, true, type.name);
    assert.equal(registry.get(type.code), type);
  }
});

test('the shipped types include the real 特种作业 type, held by natural persons', () => {
  assert.equal(specialOperationsCertificate.code, '11100000000013338W032');
  assert.equal(specialOperationsCertificate.holderCategory, 'natural-person');
});

test('every sample passes its own schema, and the schema is strict', () => {
  const registry = createLicenseTypeRegistry();
  for (const type of registry.list()) {
    assert.deepEqual(registry.validateFields(type, type.sample.fields), [], type.name);
    const schema = type.fieldsSchema as { additionalProperties?: unknown; required?: unknown[] };
    assert.equal(schema.additionalProperties, false, type.name);
    assert.ok(Array.isArray(schema.required) && schema.required.length > 0, type.name);
    assert.deepEqual(registry.validateFields(type, { ...type.sample.fields, 备注: 'x' }).map((p) => p.path), ['备注']);
  }
});

test('schema problems name the field: missing, wrong type, wrong pattern, nested', () => {
  const registry = createLicenseTypeRegistry();
  const { 名称: _omitted, ...withoutName } = businessLicense.sample.fields;
  assert.deepEqual(registry.validateFields(businessLicense, withoutName).map((p) => p.path), ['名称']);
  const badCode = { ...businessLicense.sample.fields, 统一社会信用代码: '91330106MA2CK7Q1IN' };
  assert.deepEqual(registry.validateFields(businessLicense, badCode).map((p) => p.path), ['统一社会信用代码']);
  const badDate = { ...businessLicense.sample.fields, 成立日期: '2019-02-30' };
  assert.deepEqual(registry.validateFields(businessLicense, badDate).map((p) => p.path), ['成立日期']);
  const medical = registry.list().find((t) => t.name === '医疗机构执业许可证')!;
  const nested = { ...medical.sample.fields, 诊疗科目: ['内科', 7], 床位: 1.5 };
  assert.deepEqual(registry.validateFields(medical, nested).map((p) => p.path).sort(), ['床位', '诊疗科目.1']);
  assert.deepEqual(registry.validateFields(medical, null).map((p) => p.path), ['']);
});

test('an anyOf failure is one problem, not three', () => {
  const registry = createLicenseTypeRegistry();
  const problems = registry.validateFields(businessLicense, { ...businessLicense.sample.fields, 营业期限至: '永久' });
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.path, '营业期限至');
});

test('get() of an unknown code throws ERR_LICENSE_TYPE_UNKNOWN naming typeCode; find() returns undefined', () => {
  const registry = createLicenseTypeRegistry();
  assert.throws(
    () => registry.get('11100000000013338W999'),
    (e: unknown) => isElicenseError(e, 'ERR_LICENSE_TYPE_UNKNOWN') && e.field === 'typeCode',
  );
  assert.equal(registry.find({}), undefined);
});

test('a registry refuses duplicate or malformed type definitions, naming the entry', () => {
  const fails = (types: LicenseType[], field: string) =>
    assert.throws(() => createLicenseTypeRegistry(types), (e: unknown) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === field);
  fails([businessLicense, businessLicense], 'types.1.code');
  fails([{ ...businessLicense, code: '11100000MB0143028R01' }], 'types.0.code');
  fails([{ ...businessLicense, definingAuthority: { ...businessLicense.definingAuthority, code: '11100000000013338W' } }], 'types.0.definingAuthority.code');
  fails([{ ...businessLicense, validity: { years: 0 } }], 'types.0.validity');
});

test('a schema that does not compile fails on first use, naming fieldsSchema', () => {
  const broken: LicenseType = { ...businessLicense, fieldsSchema: { type: 'object', properties: { 名称: { type: 'text' } } } };
  const registry = createLicenseTypeRegistry([broken]);
  assert.throws(
    () => registry.validateFields(broken, {}),
    (e: unknown) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'fieldsSchema',
  );
});
