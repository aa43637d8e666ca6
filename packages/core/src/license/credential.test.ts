import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isElicenseError } from '../errors.js';
import {
  buildLicenseCredential,
  LicenseSchemaError,
  validateLicenseCredential,
  type LicenseCredential,
  type LicenseInput,
} from './credential.js';
import type { LicenseFinding } from './findings.js';
import { computeUsccCheckCharacter } from './uscc.js';
import { createLicenseTypeRegistry } from './registry.js';
import { businessLicense, specialOperationsCertificate } from './types/index.js';
import type { LicenseType } from './types/license-type.js';
import { LONG_TERM } from './validity.js';

const registry = createLicenseTypeRegistry();
/** 吉林省住房和城乡建设厅, the issuer of the real example in STANDARDS-CN §6. */
const JILIN = { name: '吉林省住房和城乡建设厅', code: '11220000013544541J' };

function sampleInput(type: LicenseType, overrides: Partial<LicenseInput> = {}): LicenseInput {
  const numberField = type.linkedFields?.number;
  const number = numberField === undefined ? 'DEMO-0001' : String(type.sample.fields[numberField]);
  return {
    typeCode: type.code,
    issuer: JILIN,
    holder: type.sample.holder,
    number,
    serial: '2430599',
    issuedDate: '2021-01-08',
    validFrom: '2021-01-08',
    fields: type.sample.fields,
    ...overrides,
  };
}

function errors(findings: readonly LicenseFinding[]): [string, string | undefined][] {
  return findings.filter((f) => f.level === 'error').map((f) => [f.id, f.field]);
}

/** A credential as plain, writable JSON, to tamper with. */
type Tamperable = Record<string, unknown> & {
  '@context': unknown[];
  type: unknown[];
  issuer: Record<string, unknown> | string;
  credentialSubject: Record<string, unknown> & { fields: Record<string, unknown>; certificateIdentifier: string };
};

function copy(credential: LicenseCredential): Tamperable {
  return JSON.parse(JSON.stringify(credential)) as Tamperable;
}

function throwsWith(fn: () => unknown, code: string, field: string): void {
  assert.throws(fn, (e: unknown) => isElicenseError(e) && e.code === code && e.field === field, `${code} ${field}`);
}

test('every shipped type: its sample builds a credential that validates without findings', () => {
  for (const type of registry.list()) {
    const credential = buildLicenseCredential(sampleInput(type), registry);
    assert.deepEqual(validateLicenseCredential(credential, registry), [], type.name);
    // And it survives the JSON round trip a verifier sees.
    assert.deepEqual(validateLicenseCredential(JSON.parse(JSON.stringify(credential)), registry), [], type.name);
  }
});

test('the real 特种作业 example gets its real identifier', () => {
  const credential = buildLicenseCredential(sampleInput(specialOperationsCertificate, { areaCode: '220000' }), registry);
  const id = '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F';
  assert.equal(credential.credentialSubject.certificateIdentifier, id);
  assert.equal(credential.id, `urn:elicense:${id}`);
  assert.equal(credential.credentialSubject.certificateVersion, '001');
  assert.equal(credential.credentialSubject.certificateAreaCode, '220000');
});

test('the credential has the agreed shape', () => {
  const credential = buildLicenseCredential(sampleInput(specialOperationsCertificate), registry);
  assert.deepEqual(credential['@context'], ['https://www.w3.org/ns/credentials/v2', 'https://elicense.dev/ns/license/v1']);
  assert.deepEqual(credential.type, ['VerifiableCredential', 'ElectronicLicense']);
  assert.deepEqual(credential.issuer, { id: 'urn:uscc:11220000013544541J', name: '吉林省住房和城乡建设厅' });
  assert.equal(credential.validFrom, '2021-01-08T00:00:00+08:00');
  assert.equal(credential.validUntil, '2023-01-08T23:59:59+08:00');
  const s = credential.credentialSubject;
  assert.equal(s.id, 'urn:cn:person-id:220102199003071235');
  assert.equal(s.certificateHolderTypeCode, '111');
  assert.equal(s.certificateHolderTypeName, '公民身份号码');
  assert.equal(s.certificateName, '建筑施工特种作业人员操作资格证书');
  assert.equal(s.certificateIssuedDate, '2021-01-08');
  assert.equal(s.certificateEffectiveDate, '2021-01-08');
  assert.equal(s.certificateExpiringDate, '2023-01-08');
  assert.deepEqual(Object.keys(credential).sort(), ['@context', 'credentialSubject', 'id', 'issuer', 'type', 'validFrom', 'validUntil']);
});

test('a 长期有效 license has no validUntil; a legal-person holder is a USCC', () => {
  const credential = buildLicenseCredential(sampleInput(businessLicense), registry);
  assert.equal(credential.validUntil, undefined);
  assert.equal('validUntil' in credential, false);
  assert.equal(credential.credentialSubject.certificateExpiringDate, LONG_TERM);
  assert.equal(credential.credentialSubject.id, 'urn:uscc:91330106MA2CK7Q13N');
  assert.equal(credential.credentialSubject.certificateHolderTypeCode, '001');
});

test('dates may be given as Date objects and are read in China time', () => {
  const credential = buildLicenseCredential(
    sampleInput(specialOperationsCertificate, {
      issuedDate: new Date('2021-01-07T17:00:00Z'),
      validFrom: new Date('2021-01-07T17:00:00Z'),
      validUntil: '2022-06-30',
    }),
    registry,
  );
  assert.equal(credential.credentialSubject.certificateIssuedDate, '2021-01-08');
  assert.equal(credential.validFrom, '2021-01-08T00:00:00+08:00');
  assert.equal(credential.validUntil, '2022-06-30T23:59:59+08:00');
});

test('credentialStatus entries are completed and typed', () => {
  const credential = buildLicenseCredential(
    sampleInput(businessLicense, {
      credentialStatus: [
        { statusPurpose: 'revocation', statusListIndex: 94567, statusListCredential: 'https://status.example.cn/lists/3' },
        { statusPurpose: 'suspension', statusListIndex: '12', statusListCredential: 'https://status.example.cn/lists/4', id: 'urn:x:1' },
      ],
    }),
    registry,
  );
  assert.deepEqual(credential.credentialStatus, [
    {
      id: 'https://status.example.cn/lists/3#94567',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: 'https://status.example.cn/lists/3',
    },
    {
      id: 'urn:x:1',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'suspension',
      statusListIndex: '12',
      statusListCredential: 'https://status.example.cn/lists/4',
    },
  ]);
  assert.deepEqual(validateLicenseCredential(credential, registry), []);
});

test('a schema violation throws ERR_LICENSE_SCHEMA naming the field, and lists every problem', () => {
  const fields = { ...businessLicense.sample.fields, 成立日期: '2019/06/18', 多余字段: 1 };
  assert.throws(
    () => buildLicenseCredential(sampleInput(businessLicense, { fields }), registry),
    (e: unknown) =>
      isElicenseError(e, 'ERR_LICENSE_SCHEMA') &&
      e instanceof LicenseSchemaError &&
      e.field === e.problems[0]?.field &&
      e.problems.map((p) => p.field).sort().join() === 'credentialSubject.fields.多余字段,credentialSubject.fields.成立日期',
  );
  const { 住所: _omitted, ...missing } = businessLicense.sample.fields;
  throwsWith(() => buildLicenseCredential(sampleInput(businessLicense, { fields: missing }), registry), 'ERR_LICENSE_SCHEMA', 'credentialSubject.fields.住所');
  throwsWith(
    () => buildLicenseCredential(sampleInput(businessLicense, { fields: null as unknown as Record<string, unknown> }), registry),
    'ERR_LICENSE_SCHEMA',
    'credentialSubject.fields',
  );
});

test('bad input is refused naming the input field', () => {
  const t = specialOperationsCertificate;
  const build = (overrides: Partial<LicenseInput>) => () => buildLicenseCredential(sampleInput(t, overrides), registry);
  throwsWith(build({ typeCode: '11100000000013338W999' }), 'ERR_LICENSE_TYPE_UNKNOWN', 'typeCode');
  throwsWith(build({ issuer: { name: '吉林省住房和城乡建设厅', code: '1122000001354454' } }), 'ERR_LICENSE_INVALID', 'issuer.code');
  throwsWith(build({ issuer: { name: ' ', code: JILIN.code } }), 'ERR_LICENSE_INVALID', 'issuer.name');
  throwsWith(build({ holder: { name: '赵德华', code: '91330106MA2CK7Q13N' } }), 'ERR_LICENSE_INVALID', 'holder.code');
  throwsWith(build({ holder: { ...t.sample.holder, codeType: '001' } }), 'ERR_LICENSE_INVALID', 'holder.codeType');
  throwsWith(build({ number: '' }), 'ERR_LICENSE_INVALID', 'number');
  throwsWith(build({ serial: '24-30' }), 'ERR_IDENTIFIER_INVALID', 'serial');
  throwsWith(build({ version: 1000 }), 'ERR_IDENTIFIER_INVALID', 'version');
  throwsWith(build({ issuedDate: '2021-13-01' }), 'ERR_LICENSE_INVALID', 'issuedDate');
  throwsWith(build({ validFrom: 'soon' }), 'ERR_LICENSE_INVALID', 'validFrom');
  throwsWith(build({ validUntil: '2020-12-31' }), 'ERR_LICENSE_INVALID', 'validUntil');
  throwsWith(build({ areaCode: '22' }), 'ERR_LICENSE_INVALID', 'areaCode');
  throwsWith(build({ previousIdentifier: 'nope' }), 'ERR_IDENTIFIER_INVALID', 'previousIdentifier');
  throwsWith(
    build({ previousIdentifier: '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.G' }),
    'ERR_IDENTIFIER_INVALID',
    'previousIdentifier',
  );
  throwsWith(
    build({ previousIdentifier: '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U' }),
    'ERR_LICENSE_INVALID',
    'previousIdentifier',
  );
  throwsWith(
    build({ credentialStatus: [{ statusPurpose: 'revocation', statusListIndex: -1, statusListCredential: 'https://s.example.cn/1' }] }),
    'ERR_LICENSE_INVALID',
    'credentialStatus.0.statusListIndex',
  );
  throwsWith(
    build({ credentialStatus: [{ statusPurpose: 'revocation', statusListIndex: 1, statusListCredential: 'ftp://s.example.cn/1' }] }),
    'ERR_LICENSE_INVALID',
    'credentialStatus.0.statusListCredential',
  );
  throwsWith(
    build({
      credentialStatus: [
        { statusPurpose: 'revocation', statusListIndex: 1, statusListCredential: 'https://s.example.cn/1' },
        { statusPurpose: 'revocation', statusListIndex: 2, statusListCredential: 'https://s.example.cn/1' },
      ],
    }),
    'ERR_LICENSE_INVALID',
    'credentialStatus.1.statusPurpose',
  );
});

test('照面 fields that repeat metadata must agree with it', () => {
  const fields = { ...businessLicense.sample.fields, 名称: '另一家公司' };
  throwsWith(() => buildLicenseCredential(sampleInput(businessLicense, { fields }), registry), 'ERR_LICENSE_INVALID', 'credentialSubject.fields.名称');
  const number = sampleInput(specialOperationsCertificate, { number: '吉A042021000999' });
  throwsWith(() => buildLicenseCredential(number, registry), 'ERR_LICENSE_INVALID', 'credentialSubject.fields.证书编号');
});

test('a holder code with a failed check digit builds, and validation warns', () => {
  const first17 = '91330106MA2CK7Q13';
  const wrongCheck = first17 + (computeUsccCheckCharacter(first17) === 'A' ? 'B' : 'A');
  const fields = { ...businessLicense.sample.fields, 统一社会信用代码: wrongCheck };
  const credential = buildLicenseCredential(
    sampleInput(businessLicense, { holder: { name: businessLicense.sample.holder.name, code: wrongCheck }, fields }),
    registry,
  );
  const findings = validateLicenseCredential(credential, registry);
  assert.deepEqual(findings.map((f) => [f.id, f.level, f.field]), [['license.holder-code', 'warning', 'credentialSubject.certificateHolderCode']]);
});

test('validation finds each kind of tampering and names the field', () => {
  const original = buildLicenseCredential(sampleInput(specialOperationsCertificate), registry);
  const cases: [string, (c: Tamperable) => void, [string, string][]][] = [
    ['unknown type', (c) => (c.credentialSubject.certificateTypeCode = '11100000000013338W999'), [
      ['license.type', 'credentialSubject.certificateTypeCode'],
      ['license.identifier', 'credentialSubject.certificateIdentifier'],
    ]],
    ['type name', (c) => (c.credentialSubject.certificateName = '营业执照'), [['license.type', 'credentialSubject.certificateName']]],
    ['schema', (c) => (c.credentialSubject.fields.性别 = '未知'), [['license.schema', 'credentialSubject.fields.性别']]],
    ['check character', (c) => {
      c.credentialSubject.certificateIdentifier = c.credentialSubject.certificateIdentifier.slice(0, -1) + 'G';
      c.id = `urn:elicense:${c.credentialSubject.certificateIdentifier}`;
    }, [['license.identifier', 'credentialSubject.certificateIdentifier']]],
    ['version disagrees', (c) => (c.credentialSubject.certificateVersion = '002'), [['license.identifier', 'credentialSubject.certificateIdentifier']]],
    ['issuer disagrees with identifier', (c) => {
      c.credentialSubject.certificateIssuingAuthorityCode = '11430000006122244L';
      c.issuer = { ...original.issuer, id: 'urn:uscc:11430000006122244L' };
    }, [['license.identifier', 'credentialSubject.certificateIdentifier']]],
    ['id', (c) => (c.id = 'urn:elicense:1.2.156.3005.2.x'), [['license.consistency', 'id']]],
    ['issuer.id', (c) => (c.issuer = { ...original.issuer, id: 'urn:uscc:11430000006122244L' }), [['license.consistency', 'issuer.id']]],
    ['issuer.name', (c) => (c.issuer = { ...original.issuer, name: '别的厅' }), [['license.consistency', 'issuer.name']]],
    ['subject id', (c) => (c.credentialSubject.id = 'urn:uscc:11220000013544541J'), [['license.consistency', 'credentialSubject.id']]],
    ['holder type name', (c) => (c.credentialSubject.certificateHolderTypeName = '统一社会信用代码'), [
      ['license.consistency', 'credentialSubject.certificateHolderTypeName'],
    ]],
    ['holder code not an ID', (c) => {
      c.credentialSubject.certificateHolderCode = '2201021990030712';
      c.credentialSubject.id = 'urn:cn:person-id:2201021990030712';
    }, [
      ['license.holder-code', 'credentialSubject.certificateHolderCode'],
      ['license.consistency', 'credentialSubject.fields.身份证号码'],
    ]],
    ['linked field', (c) => (c.credentialSubject.fields.姓名 = '赵德明'), [['license.consistency', 'credentialSubject.fields.姓名']]],
    ['validFrom', (c) => (c.validFrom = '2021-01-09T00:00:00+08:00'), [['license.validity-period', 'validFrom']]],
    ['validUntil', (c) => (c.validUntil = '2023-01-09T00:00:00+08:00'), [['license.validity-period', 'validUntil']]],
    ['validUntil missing', (c) => delete c.validUntil, [['license.validity-period', 'validUntil']]],
    ['validUntil on a long-term license', (c) => {
      c.credentialSubject.certificateExpiringDate = LONG_TERM;
    }, [['license.validity-period', 'validUntil']]],
    ['unexpected member', (c) => (c.proof = {}), [['license.structure', 'proof']]],
    ['unexpected subject member', (c) => (c.credentialSubject.note = 'x'), [['license.structure', 'credentialSubject.note']]],
    ['bad date form', (c) => (c.credentialSubject.certificateIssuedDate = '20210108'), [['license.structure', 'credentialSubject.certificateIssuedDate']]],
    ['wrong context', (c) => c['@context'].reverse(), [['license.structure', '@context']]],
    ['extra type', (c) => c.type.push('Other'), [['license.structure', 'type']]],
    ['issuer as string', (c) => (c.issuer = 'urn:uscc:11220000013544541J'), [['license.structure', 'issuer']]],
  ];
  for (const [name, tamper, expected] of cases) {
    const c = copy(original);
    tamper(c);
    assert.deepEqual(errors(validateLicenseCredential(c, registry)), expected, name);
  }
});

test('the time given in options makes a later birth date implausible', () => {
  const credential = buildLicenseCredential(sampleInput(specialOperationsCertificate), registry);
  const findings = validateLicenseCredential(credential, registry, { at: new Date('1989-01-01T00:00:00Z') });
  assert.deepEqual(findings.map((f) => [f.id, f.level]), [['license.holder-code', 'warning']]);
});

test('a validity longer than the type allows is a warning', () => {
  const credential = buildLicenseCredential(sampleInput(specialOperationsCertificate, { validUntil: '2024-01-08' }), registry);
  const findings = validateLicenseCredential(credential, registry);
  assert.deepEqual(findings.map((f) => [f.id, f.level, f.field]), [
    ['license.validity-period', 'warning', 'credentialSubject.certificateExpiringDate'],
  ]);
});

test('hostile input gives findings, never an exception', () => {
  const original = copy(buildLicenseCredential(sampleInput(specialOperationsCertificate), registry));
  let deep: unknown = 'x';
  for (let i = 0; i < 10_000; i++) deep = { a: [deep] };
  const junk: unknown[] = [null, undefined, 0, -1, NaN, true, '', 'license', [], [original], {}, deep, () => 1, Symbol('s'), 10n];
  const hostile: unknown[] = [...junk];
  // Every member, at every level we know, replaced by every kind of junk.
  for (const value of junk) {
    for (const key of Object.keys(original)) hostile.push({ ...original, [key]: value });
    for (const key of Object.keys(original.credentialSubject)) {
      hostile.push({ ...original, credentialSubject: { ...original.credentialSubject, [key]: value } });
    }
    hostile.push({ ...original, credentialStatus: [value] });
    hostile.push({ ...original, credentialSubject: { ...original.credentialSubject, fields: { 姓名: value, 诊疗科目: deep } } });
  }
  const protoJson = JSON.parse('{"__proto__": {"polluted": true}, "id": 1}') as unknown;
  hostile.push(protoJson);
  hostile.push(Object.create(null) as unknown);
  hostile.push(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])));
  hostile.push(new Proxy({}, { ownKeys: () => { throw new Error('trap'); }, get: () => { throw new Error('trap'); } }));
  hostile.push({ ...original, get credentialSubject(): never { throw new Error('getter'); } });

  for (const value of hostile) {
    const findings = validateLicenseCredential(value, registry);
    assert.ok(Array.isArray(findings));
    assert.ok(findings.some((f) => f.level === 'error'), 'hostile input must give an error finding');
    assert.ok(findings.length <= 40, `bounded findings, got ${findings.length}`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
