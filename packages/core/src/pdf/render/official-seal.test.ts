import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isElicenseError } from '../../errors.js';
import { drawOfficialSeal, officialSealSvg } from './official-seal.js';

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
