import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isElicenseError } from '../errors.js';
import { checkUscc, computeOrganizationCodeCheckCharacter, computeUsccCheckCharacter } from './uscc.js';

/** The 11 real codes of STANDARDS-CN §3.3. */
const REAL = [
  '11100000000013338W',
  '11220000013544541J',
  '11370800MB28559184',
  '11430000006122244L',
  '11330105002500287C',
  '91610800064834709T',
  '113700000045046442',
  '113700000045030270',
  '11110000000021135M',
  '11100000MB03271699',
  '11100000000013661B',
];

test('the real codes pass every check', () => {
  for (const code of REAL) {
    assert.deepEqual(checkUscc(code), { valid: true, structureValid: true, checkDigitValid: true, organizationCodeCheckValid: true }, code);
  }
});

test('computeUsccCheckCharacter reproduces the real check characters', () => {
  for (const code of REAL) assert.equal(computeUsccCheckCharacter(code.slice(0, 17)), code[17], code);
});

test('an altered check character fails the mod-31 check only', () => {
  const altered = '11220000013544541K';
  assert.deepEqual(checkUscc(altered), { valid: false, structureValid: true, checkDigitValid: false, organizationCodeCheckValid: true });
});

test('an altered body fails both checks', () => {
  const altered = '11220000013544542J'; // position 17, the organisation code's check character
  const check = checkUscc(altered);
  assert.equal(check.structureValid, true);
  assert.equal(check.organizationCodeCheckValid, false);
  assert.equal(check.checkDigitValid, false);
  assert.equal(check.valid, false);
});

test('swapping two characters is caught', () => {
  const check = checkUscc('11220000015344541J');
  assert.equal(check.valid, false);
});

test('structure: length, character set, digits in the division code, case', () => {
  for (const bad of ['11220000013544541', '11220000013544541JJ', '1122000001354454IJ', '11A20000013544541J', '11100000mb03271699', '', null, 18]) {
    assert.equal(checkUscc(bad).structureValid, false, String(bad));
    assert.equal(checkUscc(bad).valid, false, String(bad));
  }
});

test('demo codes made with the helpers pass', () => {
  const body = '91330106MA2CK7Q1';
  const first17 = body + computeOrganizationCodeCheckCharacter(body.slice(8));
  const code = first17 + computeUsccCheckCharacter(first17);
  assert.equal(code, '91330106MA2CK7Q13N');
  assert.equal(checkUscc(code).valid, true);
});

test('the helpers reject input that is not a code body', () => {
  const invalid = (e: unknown) => isElicenseError(e, 'ERR_INVALID_INPUT');
  assert.throws(() => computeUsccCheckCharacter('1122000001354454'), invalid);
  assert.throws(() => computeUsccCheckCharacter('1122000001354454I'), invalid);
  assert.throws(() => computeOrganizationCodeCheckCharacter('0135445'), invalid);
});

test('GB 11714 writes 10 as X and 11 as 0', () => {
  assert.equal(computeOrganizationCodeCheckCharacter('00000000'), '0'); // sum 0: 11 - 0 = 11
  assert.equal(computeOrganizationCodeCheckCharacter('00000006'), 'X'); // sum 12: 11 - 1 = 10
  assert.equal(computeOrganizationCodeCheckCharacter('MB014302'), '8'); // 国家市场监督管理总局
});
