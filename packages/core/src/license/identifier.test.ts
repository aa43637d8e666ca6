import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isElicenseError } from '../errors.js';
import { buildIdentifier, mod3736CheckCharacter, parseIdentifier, validateIdentifier } from './identifier.js';

/** The real identifiers of STANDARDS-CN §3.2, with the type codes the sources elide written out. */
const REAL = [
  '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
  '1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9',
  '1.2.156.3005.2.11100000000013338W087.11370800MB28559184.37080001202411010001.001.3',
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S',
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
  '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
];

function throwsOn(fn: () => unknown, field: string): void {
  assert.throws(fn, (error: unknown) => isElicenseError(error, 'ERR_IDENTIFIER_INVALID') && error.field === field);
}

test('every real identifier reproduces its check character', () => {
  for (const identifier of REAL) {
    const parts = identifier.slice('1.2.156.3005.2.'.length).split('.');
    const check = parts.pop();
    assert.equal(mod3736CheckCharacter(parts.join('')), check, identifier);
    assert.equal(parseIdentifier(identifier).checkCharacterValid, true, identifier);
  }
});

test('buildIdentifier rebuilds the real identifiers from their parts', () => {
  for (const identifier of REAL) {
    const p = parseIdentifier(identifier);
    assert.equal(buildIdentifier({ typeCode: p.typeCode, issuerCode: p.issuerCode, serial: p.serial, version: p.version }), identifier);
  }
});

test('changing any one character of the checked text breaks the check', () => {
  const identifier = REAL[0]!;
  const root = '1.2.156.3005.2.';
  let checked = 0;
  for (let i = root.length; i < identifier.length - 2; i++) {
    const ch = identifier[i]!;
    if (ch === '.') continue;
    const replacement = ch === '7' ? '8' : '7';
    const changed = identifier.slice(0, i) + replacement + identifier.slice(i + 1);
    let result: boolean | undefined;
    try {
      result = parseIdentifier(changed).checkCharacterValid;
    } catch {
      continue; // the change broke the structure instead, e.g. a letter into the version
    }
    assert.equal(result, false, changed);
    checked++;
  }
  assert.ok(checked > 40, `only ${checked} changes kept the structure`);
});

test('a changed check character is reported as data, and as an error finding', () => {
  const wrong = REAL[0]!.slice(0, -1) + 'G';
  const parsed = parseIdentifier(wrong);
  assert.equal(parsed.checkCharacterValid, false);
  assert.equal(parsed.expectedCheckCharacter, 'F');
  const findings = validateIdentifier(wrong);
  assert.deepEqual(findings.map((f) => [f.level, f.field]), [['error', 'checkCharacter']]);
});

test('input is uppercased first', () => {
  const parsed = parseIdentifier(REAL[0]!.toLowerCase());
  assert.equal(parsed.identifier, REAL[0]);
  assert.equal(parsed.checkCharacterValid, true);
  assert.equal(mod3736CheckCharacter('11100000000013338w03211220000013544541j2430599001'), 'F');
});

test('characters outside [0-9A-Z] are rejected', () => {
  assert.throws(() => mod3736CheckCharacter('ABC-1'), (e: unknown) => isElicenseError(e, 'ERR_IDENTIFIER_INVALID'));
  throwsOn(() => parseIdentifier('1.2.156.3005.2.11100000000013338W032.11220000013544541J.243_599.001.F'), 'serial');
});

test('structural errors name the wrong part', () => {
  const base = ['11100000000013338W032', '11220000013544541J', '2430599', '001', 'F'];
  const withPart = (index: number, value: string) => '1.2.156.3005.2.' + base.map((p, i) => (i === index ? value : p)).join('.');
  throwsOn(() => parseIdentifier('1.2.156.3005.3.' + base.join('.')), 'root');
  throwsOn(() => parseIdentifier(withPart(0, '11100000000013338W32')), 'typeCode');
  throwsOn(() => parseIdentifier(withPart(0, '1110000000001333OW032')), 'typeCode'); // O is not in the USCC set
  throwsOn(() => parseIdentifier(withPart(1, '1122000001354454')), 'issuerCode');
  throwsOn(() => parseIdentifier(withPart(2, '')), 'serial');
  throwsOn(() => parseIdentifier(withPart(2, 'A'.repeat(33))), 'serial');
  throwsOn(() => parseIdentifier(withPart(3, '01')), 'version');
  throwsOn(() => parseIdentifier(withPart(3, '000')), 'version');
  throwsOn(() => parseIdentifier(withPart(4, 'FF')), 'checkCharacter');
  throwsOn(() => parseIdentifier('1.2.156.3005.2.' + base.slice(0, 4).join('.')), 'identifier');
  throwsOn(() => parseIdentifier(''), 'identifier');
  throwsOn(() => parseIdentifier('1'.repeat(500)), 'identifier');
  throwsOn(() => parseIdentifier(42 as unknown as string), 'identifier');
});

test('buildIdentifier checks its parts and names the wrong one', () => {
  const good = { typeCode: '11100000000013338W032', issuerCode: '11220000013544541J', serial: '2430599', version: 1 };
  throwsOn(() => buildIdentifier({ ...good, typeCode: '11100000000013338W' }), 'typeCode');
  throwsOn(() => buildIdentifier({ ...good, issuerCode: 'ABC' }), 'issuerCode');
  throwsOn(() => buildIdentifier({ ...good, serial: '24 30' }), 'serial');
  throwsOn(() => buildIdentifier({ ...good, version: 0 }), 'version');
  throwsOn(() => buildIdentifier({ ...good, version: 1000 }), 'version');
  throwsOn(() => buildIdentifier({ ...good, version: 1.5 }), 'version');
  assert.equal(buildIdentifier({ ...good, version: 12 }).split('.').at(-2), '012');
});

test('a 6-digit division code as issuer is accepted with a warning', () => {
  const findings = validateIdentifier(REAL[1]);
  assert.deepEqual(findings.map((f) => [f.level, f.field]), [['warning', 'issuerCode']]);
  assert.equal(parseIdentifier(REAL[1]!).issuerCodeKind, 'division');
});

test('a valid identifier has no findings; a non-string has one error', () => {
  assert.deepEqual(validateIdentifier(REAL[0]), []);
  assert.deepEqual(validateIdentifier({}).map((f) => [f.id, f.level, f.field]), [['license.identifier', 'error', 'identifier']]);
});
