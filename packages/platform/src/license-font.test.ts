import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawOfficialSeal } from '@elicense/core';
import { loadLicenseFont } from './license-font.js';

test('the license font is read once, is TrueType, and draws a seal', async () => {
  const font = await loadLicenseFont();
  assert.equal(await loadLicenseFont(), font, 'the same array every time, so core parses it once');
  assert.deepEqual([...font.subarray(0, 4)], [0, 1, 0, 0], 'a TrueType-outline sfnt');
  assert.ok(drawOfficialSeal({ organizationName: '吉林省住房和城乡建设厅', font }).operators.length > 1000);
});
