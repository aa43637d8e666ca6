import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLicenseTypeRegistry } from '@elicense/core';
import { cli, usageErrorProblem } from './cli-harness.js';

test('types lists every registry type with its code, name, defining authority, holder category and validity', async () => {
  const human = await cli(['types']);
  assert.equal(human.code, 0, human.stderr);
  for (const type of defaultLicenseTypeRegistry.list()) assert.match(human.stdout, new RegExp(`${type.code} {2}${type.name}\\n {4}定义机构 ${type.definingAuthority.name}`));
  assert.match(human.stdout, /11100000000013338W032 {2}建筑施工特种作业人员操作资格证书\n.*持证主体 自然人 \(公民身份号码\) {2}有效期限 2 年/);
  assert.match(human.stdout, /11100000MB0143028R001 {2}营业执照\n.*有效期限 长期有效/);

  const json = await cli(['types', '--json']);
  const types = JSON.parse(json.stdout) as { code: string; holderCategory: string; validity: unknown }[];
  assert.deepEqual(types.map((t) => t.code), defaultLicenseTypeRegistry.list().map((t) => t.code));
  assert.deepEqual(types.find((t) => t.code === '11100000MB0143028R002')?.validity, { years: 5 });
});

test('types show, by Chinese name or code, prints the fields with required marks, formats and the sample', async () => {
  const human = await cli(['types', 'show', '建筑施工特种作业人员操作资格证书']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /定义机构: 中华人民共和国住房和城乡建设部 \(11100000000013338W, 国家级\)/);
  assert.match(human.stdout, /\* 性别: one of 男 \| 女/);
  assert.match(human.stdout, / {3}出生日期: string, format date\n/, 'an optional field has no * mark');
  assert.match(human.stdout, /\* 身份证号码: string, pattern \^\[0-9\]\{17\}\[0-9X\]\$ {2}= 持证主体代码/);
  assert.match(human.stdout, /"姓名": "赵德华"/);

  const json = await cli(['types', 'show', '11100000MB1C8D3NXA001', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const data = JSON.parse(json.stdout) as { name: string; fields: { name: string; required: boolean; format: string }[]; sample: { holder: unknown; fields: Record<string, unknown> }; fieldsSchema: unknown };
  assert.equal(data.name, '医疗机构执业许可证');
  const type = defaultLicenseTypeRegistry.get('11100000MB1C8D3NXA001');
  assert.deepEqual(data.fieldsSchema, type.fieldsSchema);
  assert.deepEqual(data.fields.filter((f) => f.required).map((f) => f.name), type.fieldsSchema.required);
  assert.match(data.fields.find((f) => f.name === '床位')!.format, /integer, min 0, max 100000/);
  assert.match(data.fields.find((f) => f.name === '诊疗科目')!.format, /^list of \(string/);
  assert.deepEqual(defaultLicenseTypeRegistry.validateFields(type, data.sample.fields), [], 'the printed sample passes the schema');
});

test('an unknown type exits 2 with one line', async () => {
  assert.equal(usageErrorProblem(await cli(['types', 'show', '驾驶证']), /unknown license type "驾驶证" \(run elicense types/), undefined);
  assert.equal(usageErrorProblem(await cli(['types', 'show']), /missing required argument/), undefined);
});
