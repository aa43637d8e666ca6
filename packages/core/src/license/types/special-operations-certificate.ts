/** 建筑施工特种作业人员操作资格证书, defined by 住房和城乡建设部 (the real type of STANDARDS-CN §6). */
import type { LicenseType } from './license-type.js';
import { JSON_SCHEMA_2020, date, oneOf, personId, text } from './schema-parts.js';

export const specialOperationsCertificate: LicenseType = {
  code: '11100000000013338W032',
  name: '建筑施工特种作业人员操作资格证书',
  definingAuthority: { name: '中华人民共和国住房和城乡建设部', code: '11100000000013338W', level: 1 },
  holderCategory: 'natural-person',
  // 建筑施工特种作业人员管理规定 第二十二条 and the catalog's 有效期限范围 "2年".
  validity: { years: 2 },
  fieldsSchema: {
    $schema: JSON_SCHEMA_2020,
    title: '建筑施工特种作业人员操作资格证书',
    type: 'object',
    properties: {
      姓名: text('姓名', 50),
      性别: oneOf('性别', ['男', '女']),
      出生日期: date('出生日期'),
      身份证号码: personId('身份证号码'),
      // Provinces may recognise further categories, so this is not an enum.
      操作类别: {
        ...text('操作类别', 50),
        examples: ['建筑电工', '建筑架子工', '建筑起重信号司索工', '建筑起重机械司机', '建筑起重机械安装拆卸工'],
      },
      // e.g. 吉A042012000939: province, category letter, 12 digits.
      证书编号: { type: 'string', title: '证书编号', pattern: '^[\\u4e00-\\u9fa5][A-Z][0-9]{12}$' },
      初次领证日期: date('初次领证日期'),
    },
    required: ['姓名', '性别', '身份证号码', '操作类别', '证书编号'],
    additionalProperties: false,
  },
  linkedFields: { holderName: '姓名', holderCode: '身份证号码', number: '证书编号' },
  renderTemplate: {
    rows: [['姓名', '性别'], ['出生日期', '身份证号码'], '操作类别', ['证书编号', '初次领证日期']],
  },
  sample: {
    // Demo person; the ID number's check character was computed with computePersonIdCheckCharacter.
    holder: { name: '赵德华', code: '220102199003071235' },
    fields: {
      姓名: '赵德华',
      性别: '男',
      出生日期: '1990-03-07',
      身份证号码: '220102199003071235',
      操作类别: '建筑电工',
      证书编号: '吉A042021000123',
      初次领证日期: '2021-01-08',
    },
  },
};
