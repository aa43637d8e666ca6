import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isElicenseError } from '../../errors.js';
import { drawOfficialSeal, officialSealSizeMm, officialSealSvg } from './official-seal.js';

const font = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf')));
const options = { organizationName: '演示市市场监督管理局', centerText: '电子证照专用章', bottomText: '3301060012345', font };

/** The coordinates of every path-construction operator in a content stream. */
function points(operators: string): [number, number][] {
  return operators
    .split('\n')
    .filter((line) => / (m|l|c)$/.test(line))
    .map((line) => line.split(' ').slice(-3, -1).map(Number) as [number, number]);
}

test('the seal is a 42 mm form of vector paths that needs no resources', () => {
  const seal = drawOfficialSeal(options);
  assert.ok(Math.abs(seal.size - (42 * 72) / 25.4) < 1e-9);
  assert.deepEqual(seal.bbox, [0, 0, seal.size, seal.size]);
  const operatorNames = new Set(seal.operators.split(/\s+/).filter((token) => /^[A-Za-z]+$/.test(token)));
  for (const name of operatorNames) assert.ok(['q', 'Q', 'rg', 'RG', 'w', 'j', 'm', 'l', 'c', 'h', 'S', 'B'].includes(name), name);
  assert.equal(seal.operators.match(/^q$/gm)?.length, seal.operators.match(/^Q$/gm)?.length);
  // Default seal red, as fill and stroke.
  assert.match(seal.operators, /^0\.9 0 0\.07 rg 0\.9 0 0\.07 RG$/m);
  for (const [x, y] of points(seal.operators)) {
    assert.ok(x >= 0 && x <= seal.size && y >= 0 && y <= seal.size, `${x} ${y} lies outside the seal`);
  }
});

test('the name runs along the upper arc, symmetric about the vertical axis', () => {
  const withName = points(drawOfficialSeal({ organizationName: '演示', font }).operators);
  const withoutName = new Set(points(drawOfficialSeal({ organizationName: '一', font }).operators).map(String));
  const nameOnly = withName.filter((p) => !withoutName.has(String(p)));
  const center = drawOfficialSeal({ organizationName: '演示', font }).size / 2;
  // Both characters sit above the centre, one left of it and one right of it.
  const left = nameOnly.filter(([x]) => x < center);
  const right = nameOnly.filter(([x]) => x > center);
  assert.ok(left.length > 20 && right.length > 20);
  assert.ok(nameOnly.every(([, y]) => y > center + 20), 'the name stays on the upper arc');
  const meanX = (ps: [number, number][]) => ps.reduce((sum, [x]) => sum + x, 0) / ps.length;
  assert.ok(Math.abs(center - meanX(left) - (meanX(right) - center)) < 8, 'the two characters are placed symmetrically');
});

test('the SVG form has the same geometry, flipped to SVG coordinates', () => {
  const seal = drawOfficialSeal(options);
  const svg = officialSealSvg(options);
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="42mm" height="42mm" viewBox="0 0 119\.06 119\.06">/);
  assert.match(svg, /<title>演示市市场监督管理局<\/title>/);
  assert.match(svg, /transform="matrix\(1 0 0 -1 0 119\.06\)"/);
  assert.equal(svg.match(/<circle /g)?.length, 1);
  assert.equal(officialSealSvg({ ...options, rings: 2 }).match(/<circle /g)?.length, 2);
  // Every subpath of the PDF form is a subpath of the SVG path, with the same start point.
  const pdfStarts = seal.operators.split('\n').filter((line) => line.endsWith(' m')).map((line) => line.slice(0, -2));
  const svgStarts = [...svg.matchAll(/M([-\d.]+) ([-\d.]+)/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(svgStarts, pdfStarts.slice(1));
  assert.match(officialSealSvg({ ...options, organizationName: '甲<乙>&' }), /<title>甲&#60;乙&#62;&#38;<\/title>/);
});

test('bad options fail with stable codes', () => {
  const fails = (input: object, field: string) =>
    assert.throws(() => drawOfficialSeal({ ...options, ...input }), (error) => isElicenseError(error, 'ERR_INVALID_INPUT') && error.field === field);
  fails({ organizationName: '' }, 'organizationName');
  fails({ organizationName: '很'.repeat(41) }, 'organizationName');
  fails({ diameterMm: 5 }, 'diameterMm');
  fails({ diameterMm: Number.NaN }, 'diameterMm');
  fails({ color: '#12345' }, 'color');
  fails({ font: new Uint8Array([1, 2, 3]) }, 'font');
});

const MM = 72 / 25.4;
const startsOf = (operators: string) => operators.split('\n').filter((line) => line.endsWith(' m')).map((line) => line.slice(0, -2));
const svgStartsOf = (svg: string) => [...svg.matchAll(/M([-\d.]+) ([-\d.]+)/g)].map((m) => `${m[1]} ${m[2]}`);

test('an oval seal is 40 × 30 mm by default: name on the upper arc, code across the middle, purpose line below', () => {
  const nameOnly = { organizationName: '演示市某某科技有限公司', font, shape: 'oval' as const };
  const oval = { ...nameOnly, centerText: '发票专用章', bottomText: '91220101MA0Y123456' };
  const seal = drawOfficialSeal(oval);
  assert.ok(Math.abs(seal.width - 40 * MM) < 1e-9 && Math.abs(seal.height - 30 * MM) < 1e-9);
  assert.equal(seal.size, seal.width);
  assert.deepEqual(seal.bbox, [0, 0, seal.width, seal.height]);
  for (const [x, y] of points(seal.operators)) {
    assert.ok(x >= 0 && x <= seal.width && y >= 0 && y <= seal.height, `${x} ${y} lies outside the seal`);
  }
  // The name alone (no code, no purpose line, so a star in the middle) stays in the upper part, clear of the centre.
  const nameAndStar = points(drawOfficialSeal(nameOnly).operators);
  const star = new Set(points(drawOfficialSeal({ ...nameOnly, organizationName: '一' }).operators).map(String));
  const name = nameAndStar.filter((point) => !star.has(String(point)));
  assert.ok(name.length > 100 && name.every(([, y]) => y > seal.height * 0.25), 'the name runs along the upper arc');
  // The code line is centred across the middle, within the rim.
  const withCode = new Set(points(drawOfficialSeal({ ...nameOnly, bottomText: oval.bottomText }).operators).map(String));
  const withoutCode = new Set(points(drawOfficialSeal({ ...nameOnly, bottomText: '1' }).operators).map(String));
  const code = [...withCode].filter((point) => !withoutCode.has(point)).map((point) => point.split(',').map(Number) as [number, number]);
  const xs = code.map(([x]) => x);
  assert.ok(Math.abs((Math.min(...xs) + Math.max(...xs)) / 2 - seal.width / 2) < 3, 'the code is centred');
  assert.ok(Math.max(...xs) - Math.min(...xs) < 0.7 * seal.width);
  assert.ok(code.every(([, y]) => Math.abs(y - seal.height / 2) < 3 * MM));

  const svg = officialSealSvg(oval);
  assert.match(svg, /width="40mm" height="30mm" viewBox="0 0 113\.39 85\.04"/);
  assert.equal(svg.match(/<ellipse /g)?.length, 1);
  assert.deepEqual(svgStartsOf(svg), startsOf(seal.operators).slice(1), 'the SVG draws the PDF geometry');
  assert.equal(officialSealSvg({ ...oval, rings: 2 }).match(/<ellipse /g)?.length, 2);
  assert.deepEqual(officialSealSizeMm({ shape: 'oval', widthMm: 44 }), { widthMm: 44, heightMm: 33 });
});

test('a square 名章 fills a grid in columns from the right: 王 | 小明', () => {
  const square = { organizationName: '王小明', font, shape: 'square' as const };
  const seal = drawOfficialSeal(square);
  assert.ok(Math.abs(seal.width - 20 * MM) < 1e-9 && seal.width === seal.height);
  const surname = new Set(points(drawOfficialSeal({ ...square, organizationName: '王一二' }).operators).map(String));
  const given = points(seal.operators).filter((point) => surname.has(String(point)));
  // What 王小明 shares with 王一二 is the rim and 王: 王 alone fills the right column.
  const glyph = given.filter(([x, y]) => x > 3 && x < seal.width - 3 && y > 3 && y < seal.height - 3);
  assert.ok(glyph.length > 10 && glyph.every(([x]) => x > seal.width / 2), '王 is in the right-hand column');
  const svg = officialSealSvg(square);
  assert.match(svg, /width="20mm" height="20mm"/);
  assert.equal(svg.match(/<rect /g)?.length, 1);
  assert.deepEqual(svgStartsOf(svg), startsOf(seal.operators).slice(1));
  assert.deepEqual(officialSealSizeMm({ shape: 'square', widthMm: 18 }), { widthMm: 18, heightMm: 18 });
});

test('bad shapes and sizes fail with stable codes', () => {
  const fails = (input: object, field: string) =>
    assert.throws(() => drawOfficialSeal({ ...options, ...input }), (error) => isElicenseError(error, 'ERR_INVALID_INPUT') && error.field === field);
  fails({ shape: 'hexagon' }, 'shape');
  fails({ shape: 'oval', widthMm: 30, heightMm: 40 }, 'heightMm');
  fails({ shape: 'oval', widthMm: 100 }, 'widthMm');
  fails({ shape: 'square', widthMm: 5 }, 'widthMm');
  const square = (input: object) => () => drawOfficialSeal({ organizationName: '张三', font, shape: 'square', ...input });
  const failsField = (field: string) => (error: unknown) => isElicenseError(error, 'ERR_INVALID_INPUT') && error.field === field;
  assert.throws(square({ organizationName: '很'.repeat(10) }), failsField('organizationName'));
  assert.throws(square({ centerText: '专用' }), failsField('centerText'));
  assert.throws(square({ bottomText: '123' }), failsField('bottomText'));
});
