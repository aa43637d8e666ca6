import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isElicenseError } from '../errors.js';
import { checkPersonId, computePersonIdCheckCharacter } from './person-id.js';

// Demo numbers made with computePersonIdCheckCharacter; the first is GB 11643's own worked example.
const STANDARD_EXAMPLE = '11010519491231002X';
const DEMO = '220102199003071235';

test('valid numbers pass, including a final X', () => {
  for (const id of [STANDARD_EXAMPLE, DEMO]) {
    assert.deepEqual(checkPersonId(id), { valid: true, structureValid: true, checkDigitValid: true, birthDateValid: true }, id);
  }
  assert.equal(computePersonIdCheckCharacter(STANDARD_EXAMPLE.slice(0, 17)), 'X');
});

test('an altered digit fails the check digit', () => {
  const check = checkPersonId('220102199003071245');
  assert.equal(check.structureValid, true);
  assert.equal(check.checkDigitValid, false);
  assert.equal(check.valid, false);
});

test('an impossible birth date is implausible even with a right check digit', () => {
  const first17 = '22010219900230123'; // 30 February
  const id = first17 + computePersonIdCheckCharacter(first17);
  const check = checkPersonId(id);
  assert.equal(check.checkDigitValid, true);
  assert.equal(check.birthDateValid, false);
  assert.equal(check.valid, false);
});

test('a birth date after `at` or before 1850 is implausible', () => {
  assert.equal(checkPersonId(DEMO, { at: '1990-03-06' }).birthDateValid, false);
  assert.equal(checkPersonId(DEMO, { at: '1990-03-07' }).birthDateValid, true);
  // 1990-03-06T16:00Z is already 7 March in China.
  assert.equal(checkPersonId(DEMO, { at: new Date('1990-03-06T16:00:00Z') }).birthDateValid, true);
  const first17 = '22010218490101123';
  assert.equal(checkPersonId(first17 + computePersonIdCheckCharacter(first17)).birthDateValid, false);
});

test('structure: 18 characters, digits, X only last and uppercase', () => {
  for (const bad of ['22010219900307123', '2201021990030712355', '22010219900307123x', '2201021990030X1235', null, 220102199003071]) {
    assert.equal(checkPersonId(bad).structureValid, false, String(bad));
    assert.equal(checkPersonId(bad).valid, false, String(bad));
  }
});

test('computePersonIdCheckCharacter rejects anything but 17 digits', () => {
  assert.throws(() => computePersonIdCheckCharacter('2201021990030712'), (e: unknown) => isElicenseError(e, 'ERR_INVALID_INPUT'));
});
