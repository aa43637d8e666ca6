/** 食品经营许可证, defined by 国家市场监督管理总局 (食品经营许可和备案管理办法, 2023). */
import type { LicenseType } from './license-type.js';
import { JSON_SCHEMA_2020, list, oneOf, text, uscc } from './schema-parts.js';

export const foodBusinessLicense: LicenseType = {
  // The definer is real; the sequence 002 is ours (no public source gives this type's code).
  code: '11100000MB0143028R002',
  name: '食品经营许可证',
  definingAuthority: { name: '国家市场监督管理总局', code: '11100000MB0143028R', level: 1 },
  holderCategory: 'legal-person',
  // 食品经营许可和备案管理办法 第三十五条: 有效期为五年.
  validity: { years: 5 },
  fieldsSchema: {
    $schema: JSON_SCHEMA_2020,
    title: '食品经营许可证',
    type: 'object',
    properties: {
      经营者名称: text('经营者名称', 100),
      统一社会信用代码: uscc('社会信用代码'),
      '法定代表人（负责人）': text('法定代表人（负责人）', 50),
      住所: text('住所'),
      经营场所: text('经营场所'),
      主体业态: oneOf('主体业态', ['食品销售经营者', '餐饮服务经营者', '集中用餐单位食堂']),
      经营项目: list('经营项目', '经营项目', 50),
      // JY, then 主体业态 (1 digit), province, city and county (2 each), a 6-digit sequence and a check digit.
      许可证编号: { type: 'string', title: '许可证编号', pattern: '^JY[1-3][0-9]{13}$' },
      日常监督管理机构: text('日常监督管理机构', 100),
      日常监督管理人员: text('日常监督管理人员', 100),
      投诉举报电话: { type: 'string', title: '投诉举报电话', pattern: '^[0-9-]{3,20}$' },
    },
    required: [
      '经营者名称',
      '统一社会信用代码',
      '法定代表人（负责人）',
      '住所',
      '经营场所',
      '主体业态',
      '经营项目',
      '许可证编号',
      '日常监督管理机构',
    ],
    additionalProperties: false,
  },
  linkedFields: { holderName: '经营者名称', holderCode: '统一社会信用代码', number: '许可证编号' },
  renderTemplate: {
    rows: [
      '经营者名称',
      '统一社会信用代码',
      '法定代表人（负责人）',
      '住所',
      '经营场所',
      ['主体业态', '许可证编号'],
      '经营项目',
      '日常监督管理机构',
      ['日常监督管理人员', '投诉举报电话'],
    ],
  },
  sample: {
    // Demo operator; its code's check characters were computed with computeUsccCheckCharacter.
    holder: { name: '北京海淀示例餐饮管理有限公司', code: '91110108MA01R2T568' },
    fields: {
      经营者名称: '北京海淀示例餐饮管理有限公司',
      统一社会信用代码: '91110108MA01R2T568',
      '法定代表人（负责人）': '李明',
      住所: '北京市海淀区中关村大街 27 号 1 层 101',
      经营场所: '北京市海淀区中关村大街 27 号 1 层 101',
      主体业态: '餐饮服务经营者',
      经营项目: ['热食类食品制售', '冷食类食品制售', '自制饮品制售'],
      许可证编号: 'JY21101080123456',
      日常监督管理机构: '北京市海淀区市场监督管理局中关村市场监督管理所',
      日常监督管理人员: '张伟、刘洋',
      投诉举报电话: '12315',
    },
  },
};
