/** 营业执照, defined by 国家市场监督管理总局. */
import type { LicenseType } from './license-type.js';
import { JSON_SCHEMA_2020, date, text, uscc } from './schema-parts.js';

export const businessLicense: LicenseType = {
  // 11100000MB0143028R is 国家市场监督管理总局 (it passes both USCC checks; samr.gov.cn uses it as a node
  // id); one public provincial integration records 营业执照 as type 001 of it.
  code: '11100000MB0143028R001',
  name: '营业执照',
  definingAuthority: { name: '国家市场监督管理总局', code: '11100000MB0143028R', level: 1 },
  holderCategory: 'legal-person',
  // The license itself does not expire; the business's own term is the 营业期限 field.
  validity: { longTerm: true },
  fieldsSchema: {
    $schema: JSON_SCHEMA_2020,
    title: '营业执照',
    type: 'object',
    properties: {
      名称: text('名称', 100),
      统一社会信用代码: uscc(),
      类型: text('类型', 50),
      法定代表人: text('法定代表人', 50),
      注册资本: text('注册资本', 50),
      成立日期: date('成立日期'),
      营业期限自: date('营业期限自'),
      营业期限至: {
        type: 'string',
        title: '营业期限至',
        anyOf: [{ format: 'date' }, { const: '长期' }],
      },
      住所: text('住所', 200),
      经营范围: text('经营范围', 4000),
    },
    required: ['名称', '统一社会信用代码', '类型', '法定代表人', '成立日期', '住所', '经营范围'],
    additionalProperties: false,
  },
  linkedFields: { holderName: '名称', holderCode: '统一社会信用代码' },
  // Landscape like the 正本, with the 照面 in pairs as printed since the 2019 format.
  renderTemplate: {
    pageSize: { widthMm: 297, heightMm: 210 },
    rows: [
      ['名称', '统一社会信用代码'],
      ['类型', '法定代表人'],
      ['注册资本', '成立日期'],
      ['营业期限自', '营业期限至'],
      '住所',
      '经营范围',
    ],
    authorityLabel: '登记机关',
  },
  sample: {
    // Demo company; its code's check characters were computed with computeUsccCheckCharacter.
    holder: { name: '杭州云栖示例科技有限公司', code: '91330106MA2CK7Q13N' },
    fields: {
      名称: '杭州云栖示例科技有限公司',
      统一社会信用代码: '91330106MA2CK7Q13N',
      类型: '有限责任公司（自然人投资或控股）',
      法定代表人: '王建华',
      注册资本: '伍佰万元整',
      成立日期: '2019-06-18',
      营业期限自: '2019-06-18',
      营业期限至: '长期',
      住所: '浙江省杭州市西湖区文三路 90 号 8 幢 1203 室',
      经营范围:
        '一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务' +
        '（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。',
    },
  },
};
