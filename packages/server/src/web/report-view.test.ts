import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VerificationReport } from '@elicense/sdk';
import { beijingTime, checkName, fieldRows, metadataRows, statusOf, validityText, verdictOf } from './report-view.js';

const report = (overrides: Partial<VerificationReport>): VerificationReport => ({
  valid: false,
  indication: 'INDETERMINATE',
  format: 'jws',
  validationTime: '2026-05-04T06:03:09.000Z',
  signatures: [],
  checks: [],
  warnings: [],
  ...overrides,
});

test('the verdict: 有效, 无效 with the reason, 无法确认', () => {
  assert.deepEqual(verdictOf(report({ valid: true, indication: 'TOTAL_PASSED' })).title, '有效');
  const failed = verdictOf(report({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' }));
  assert.equal(failed.title, '无效');
  assert.equal(failed.tone, 'invalid');
  assert.match(failed.explanation, /签名后被改动/);
  assert.equal(failed.code, 'TOTAL_FAILED / HASH_FAILURE');
  assert.equal(verdictOf(report({ subIndication: 'TRY_LATER' })).title, '无法确认');
});

test('the status: 正常, 已吊销, 已暂扣, 无法确认, from the license.status check', () => {
  const withStatus = (check: Partial<VerificationReport['checks'][number]>) =>
    statusOf(report({ checks: [{ id: 'license.status', indication: 'TOTAL_PASSED', message: '', ...check }] }))?.title;
  assert.equal(withStatus({ message: 'not revoked' }), '正常（未吊销、未暂扣）');
  assert.equal(withStatus({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED', message: 'the license is revoked (u#1)' }), '已吊销（注销）');
  assert.equal(withStatus({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', message: 'the license is suspended (u#1)' }), '已暂扣（暂停使用）');
  assert.equal(withStatus({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', message: 'status list u could not be fetched' }), '无法确认');
  assert.equal(statusOf(report({})), undefined);
});

test('check names, metadata rows, 照面 fields and Beijing times', () => {
  assert.equal(checkName('license.status'), '证照状态（吊销、暂扣）');
  assert.equal(checkName('cms.message-digest'), '签名数据');
  assert.equal(checkName('unheard.of'), 'unheard.of');
  assert.deepEqual(metadataRows({ typeName: '营业执照', holderName: '演示公司', validFrom: '2026-05-03T16:00:00.000Z' }), [
    ['证照名称', '营业执照'],
    ['持证主体', '演示公司'],
    ['有效期', '2026年5月4日 至 长期'],
  ]);
  assert.deepEqual(fieldRows({ 名称: '演示公司', 诊疗科目: ['内科', '外科'], 床位: 20 }), [['名称', '演示公司'], ['诊疗科目', '内科；外科'], ['床位', '20']]);
  assert.equal(beijingTime('2026-05-04T06:03:09.000Z'), '2026/05/04 14:03:09');
  assert.equal(validityText(undefined, undefined), '—');
});
