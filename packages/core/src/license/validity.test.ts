import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isElicenseError } from '../errors.js';
import { addMonths, toChinaDate } from './dates.js';
import { computeValidUntil, LONG_TERM } from './validity.js';

test('a period in years ends on the corresponding day (the real 2021-01-08 to 2024-01-08 license)', () => {
  assert.equal(computeValidUntil({ validity: { years: 3 } }, '2021-01-08'), '2024-01-08');
  assert.equal(computeValidUntil({ validity: { years: 5 } }, '2019-03-20'), '2024-03-20');
});

test('without a corresponding day the period ends on the last day of the month', () => {
  assert.equal(computeValidUntil({ validity: { years: 1 } }, '2024-02-29'), '2025-02-28');
  assert.equal(computeValidUntil({ validity: { months: 1 } }, '2023-01-31'), '2023-02-28');
  assert.equal(computeValidUntil({ validity: { months: 13 } }, '2023-12-31'), '2025-01-31');
});

test('长期有效 types have no end', () => {
  assert.equal(computeValidUntil({ validity: { longTerm: true } }, '2020-01-01'), LONG_TERM);
});

test('validFrom is read as a China calendar date', () => {
  // 16:00 UTC on 7 January is already 8 January in Beijing.
  assert.equal(computeValidUntil({ validity: { years: 2 } }, new Date('2021-01-07T16:00:00Z')), '2023-01-08');
  assert.equal(computeValidUntil({ validity: { years: 2 } }, '2021-01-08T23:30:00+08:00'), '2023-01-08');
  assert.equal(toChinaDate('2021-01-07T15:59:59Z'), '2021-01-07');
});

test('a validFrom that is not a date is refused, naming validFrom', () => {
  for (const bad of ['2021-02-30', '2021-1-8', 'tomorrow', new Date(NaN)]) {
    assert.throws(
      () => computeValidUntil({ validity: { years: 1 } }, bad),
      (e: unknown) => isElicenseError(e, 'ERR_INVALID_INPUT') && e.field === 'validFrom',
    );
  }
});

test('addMonths crosses years both ways', () => {
  assert.equal(addMonths('2021-11-15', 3), '2022-02-15');
  assert.equal(addMonths('2021-01-15', 120), '2031-01-15');
});
