/** 医疗机构执业许可证, defined by 国家卫生健康委员会. */
import type { LicenseType } from './license-type.js';
import { JSON_SCHEMA_2020, list, oneOf, text } from './schema-parts.js';

/**
 * Demo code: we found no public source for the commission's USCC. The check characters were computed with
 * computeOrganizationCodeCheckCharacter and computeUsccCheckCharacter; replace it with the real code.
 */
const DEFINER_CODE = '11100000MB1C8D3NXA';

export const medicalInstitutionLicense: LicenseType = {
  code: `${DEFINER_CODE}001`,
  name: '医疗机构执业许可证',
  definingAuthority: { name: '中华人民共和国国家卫生健康委员会', code: DEFINER_CODE, level: 1 },
  holderCategory: 'legal-person',
  // Commonly five years; issuers that grant a different term pass validUntil explicitly.
  validity: { years: 5 },
  fieldsSchema: {
    $schema: JSON_SCHEMA_2020,
    title: '医疗机构执业许可证',
    type: 'object',
    properties: {
      机构名称: text('机构名称', 100),
      地址: text('地址'),
      法定代表人: text('法定代表人', 50),
      主要负责人: text('主要负责人', 50),
      登记号: { type: 'string', title: '登记号', pattern: '^[0-9A-Z][0-9A-Z-]{9,29}$' },
      所有制形式: text('所有制形式', 50),
      医疗机构类别: text('医疗机构类别', 50),
      经营性质: oneOf('经营性质', ['非营利性（政府办）', '非营利性（非政府办）', '营利性']),
      诊疗科目: list('诊疗科目', '诊疗科目', 200),
      床位: { type: 'integer', title: '床位（张）', minimum: 0, maximum: 100000 },
      服务方式: text('服务方式', 50),
    },
    required: ['机构名称', '地址', '法定代表人', '主要负责人', '登记号', '所有制形式', '医疗机构类别', '诊疗科目'],
    additionalProperties: false,
  },
  linkedFields: { holderName: '机构名称', number: '登记号' },
  renderTemplate: {
    rows: [
      '机构名称',
      '地址',
      ['法定代表人', '主要负责人'],
      '登记号',
      ['所有制形式', '医疗机构类别'],
      ['经营性质', '床位'],
      '服务方式',
      '诊疗科目',
    ],
  },
  sample: {
    // Demo hospital; its code's check characters were computed with computeUsccCheckCharacter.
    holder: { name: '南京市示例区人民医院', code: '12320100466001A41G' },
    fields: {
      机构名称: '南京市示例区人民医院',
      地址: '江苏省南京市玄武区中山路 321 号',
      法定代表人: '陈志强',
      主要负责人: '陈志强',
      登记号: '466001A4132010211A1001',
      所有制形式: '全民所有制',
      医疗机构类别: '综合医院',
      经营性质: '非营利性（政府办）',
      诊疗科目: ['预防保健科', '内科', '外科', '妇产科', '儿科', '急诊医学科', '医学检验科', '医学影像科'],
      床位: 500,
      服务方式: '门诊、住院',
    },
  },
};
