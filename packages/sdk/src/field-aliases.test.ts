import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalFieldName, LICENSE_FIELD_ALIASES, normalizeLicenseFields, toPlatformFields } from './field-aliases.js';
import { LicenseSdkError } from './errors.js';

describe('field aliases', () => {
  test('the catalogue row of STANDARDS-CN §6 maps onto our names, compact dates made ISO', () => {
    const row = {
      certificate_identifier: '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
      certificate_number: '吉A042012000939',
      certificate_name: '建筑施工特种作业人员操作资格证书',
      certificate_type_name_code: '11100000000013338W032',
      certificate_issuing_authority_date: '20120109',
      certificate_issuing_authority_name: '吉林省住房和城乡建设厅',
      certificate_issuing_authority_code: '11220000013544541J',
      certificate_validate_start: '20210108',
      certificate_validate_end: '20240108',
      certificate_holder_type: '111',
      certificate_holder_type_name: '公民身份号码',
      certificate_area_code: '220000',
      status: 'U',
    };
    assert.deepEqual(normalizeLicenseFields(row), {
      certificateIdentifier: row.certificate_identifier,
      certificateNumber: '吉A042012000939',
      certificateName: '建筑施工特种作业人员操作资格证书',
      certificateTypeCode: '11100000000013338W032',
      certificateIssuedDate: '2012-01-09',
      certificateIssuingAuthorityName: '吉林省住房和城乡建设厅',
      certificateIssuingAuthorityCode: '11220000013544541J',
      certificateEffectiveDate: '2021-01-08',
      certificateExpiringDate: '2024-01-08',
      certificateHolderTypeCode: '111',
      certificateHolderTypeName: '公民身份号码',
      certificateAreaCode: '220000',
      status: 'U',
    });
  });

  test('pinyin abbreviations in either case, and camelCase variants', () => {
    assert.deepEqual(normalizeLicenseFields({ ZZBH: 'N1', czztdm: '91350100M000100Y43', zzeCertID: 'id', certTypeCode: 'T' }), {
      certificateNumber: 'N1',
      certificateHolderCode: '91350100M000100Y43',
      certificateIdentifier: 'id',
      certificateTypeCode: 'T',
    });
    assert.equal(canonicalFieldName('CZZTDMLXDM'), 'certificateHolderTypeCode');
    assert.equal(canonicalFieldName('nonsense'), undefined);
  });

  test('two names for one element with different values is an error; the same value is fine', () => {
    assert.throws(() => normalizeLicenseFields({ ZZBH: 'A', certificateNumber: 'B' }), (e: unknown) => e instanceof LicenseSdkError && /ZZBH and certificateNumber/.test(e.message));
    assert.deepEqual(normalizeLicenseFields({ ZZBH: 'A', certificate_number: 'A' }), { certificateNumber: 'A' });
  });

  test('toPlatformFields writes each naming, and the round trip gives the subject back', () => {
    const credential = {
      credentialSubject: {
        certificateName: '营业执照',
        certificateNumber: 'N1',
        certificateHolderCode: '91350100M000100Y43',
        certificateVersion: '001',
        certificateExpiringDate: '2030-01-01',
        fields: { 名称: '某公司' },
      },
    };
    assert.deepEqual(toPlatformFields(credential, 'pinyin'), { ZZMC: '营业执照', ZZBH: 'N1', CZZTDM: '91350100M000100Y43', certificateVersion: '001', ZZYXQJZRQ: '2030-01-01', fields: { 名称: '某公司' } });
    assert.equal(toPlatformFields(credential, 'snake').certificate_holder_code, '91350100M000100Y43');
    for (const naming of ['snake', 'camel', 'pinyin'] as const) {
      assert.deepEqual(normalizeLicenseFields(toPlatformFields(credential, naming)), credential.credentialSubject);
    }
  });

  test('no alias names two elements', () => {
    const seen = new Map<string, string>();
    for (const [canonical, aliases] of Object.entries(LICENSE_FIELD_ALIASES)) {
      for (const name of [canonical, ...aliases.snake, ...aliases.camel, ...aliases.pinyin]) {
        const key = name.toLowerCase();
        assert.ok(!seen.has(key) || seen.get(key) === canonical, `${name} names ${seen.get(key)} and ${canonical}`);
        seen.set(key, canonical);
      }
    }
  });
});
