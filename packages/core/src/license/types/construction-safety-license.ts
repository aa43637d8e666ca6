/** 建筑施工企业安全生产许可证, defined by 住房和城乡建设部. */
import type { LicenseType } from './license-type.js';
import { JSON_SCHEMA_2020, text, uscc } from './schema-parts.js';

export const constructionSafetyLicense: LicenseType = {
  // W050 is the code a public provincial integration uses for this license ("（鲁）JZ安许证字[2023]…").
  code: '11100000000013338W050',
  name: '建筑施工企业安全生产许可证',
  definingAuthority: { name: '中华人民共和国住房和城乡建设部', code: '11100000000013338W', level: 1 },
  holderCategory: 'legal-person',
  // 安全生产许可证条例 第九条: 有效期为3年.
  validity: { years: 3 },
  fieldsSchema: {
    $schema: JSON_SCHEMA_2020,
    title: '建筑施工企业安全生产许可证',
    type: 'object',
    properties: {
      企业名称: text('企业名称', 100),
      统一社会信用代码: uscc(),
      主要负责人: text('主要负责人', 50),
      单位地址: text('单位地址'),
      经济类型: text('经济类型', 50),
      许可范围: { type: 'string', title: '许可范围', const: '建筑施工' },
      // e.g. （鲁）JZ安许证字[2023]087974: province, year of first issue, 6-digit sequence.
      编号: {
        type: 'string',
        title: '编号',
        pattern: '^[（(][\\u4e00-\\u9fa5][）)]JZ安许证字[\\[［〔][0-9]{4}[\\]］〕][0-9]{6}$',
      },
    },
    required: ['企业名称', '统一社会信用代码', '主要负责人', '单位地址', '经济类型', '许可范围', '编号'],
    additionalProperties: false,
  },
  linkedFields: { holderName: '企业名称', holderCode: '统一社会信用代码', number: '编号' },
  renderTemplate: {
    rows: ['编号', '企业名称', '统一社会信用代码', ['主要负责人', '经济类型'], '单位地址', '许可范围'],
  },
  sample: {
    // Demo company; its code's check characters were computed with computeUsccCheckCharacter.
    holder: { name: '济宁示例建设集团有限公司', code: '91370800MA3C5P2K5X' },
    fields: {
      企业名称: '济宁示例建设集团有限公司',
      统一社会信用代码: '91370800MA3C5P2K5X',
      主要负责人: '孙立新',
      单位地址: '山东省济宁市任城区建设北路 66 号',
      经济类型: '有限责任公司',
      许可范围: '建筑施工',
      编号: '（鲁）JZ安许证字[2024]012345',
    },
  },
};
