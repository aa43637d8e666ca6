import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { UsageError } from '../errors.js';
import { pngGeometry, withPngDensity } from './png-density.js';
import { svgToPng } from './rasterize-svg.js';
import { parseSizeMm, sealPictureFromFile } from './seal-picture-file.js';

function blankPng(width: number, height: number): Uint8Array {
  return new Uint8Array(PNG.sync.write(new PNG({ width, height })));
}

test('a PNG keeps its pixels and gains the density pHYs records; its size in mm follows from it', () => {
  const plain = blankPng(472, 354);
  assert.equal(pngGeometry(plain).dpi, undefined);
  const dense = withPngDensity(plain, 600);
  const decoded = PNG.sync.read(Buffer.from(dense));
  assert.deepEqual([decoded.width, decoded.height], [472, 354], 'pngjs still reads it: the chunk CRC is right');
  assert.ok(Math.abs(pngGeometry(dense).dpi! - 600) < 0.01);
  // 472 px at 600 dpi is 20 mm; without pHYs the picture is taken at 300 dpi.
  assert.deepEqual(sealPictureFromFile(dense, 'p.png'), { type: 'png', data: dense, widthMm: 20, heightMm: 15 });
  assert.equal(sealPictureFromFile(plain, 'p.png').widthMm, 40);
  assert.equal(sealPictureFromFile(plain, 'p.png', { widthMm: 42, heightMm: 42 }).heightMm, 42);
});

test('an SVG gives its size in mm or cm; without one the size must be stated', () => {
  const svg = (attributes: string) => new TextEncoder().encode(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" ${attributes} viewBox="0 0 10 10"/>`);
  assert.deepEqual(
    (({ widthMm, heightMm }) => [widthMm, heightMm])(sealPictureFromFile(svg('width="40mm" height="30mm"'), 's.svg')),
    [40, 30],
  );
  assert.equal(sealPictureFromFile(svg("width='4.2cm' height='4.2cm'"), 's.svg').widthMm, 42);
  assert.throws(() => sealPictureFromFile(svg('width="100" height="100"'), 's.svg'), (e) => e instanceof UsageError && /--picture-size-mm/.test(e.message));
  assert.throws(() => sealPictureFromFile(svg('width="900mm" height="900mm"'), 's.svg'), (e) => e instanceof UsageError && /5 to 200 mm/.test(e.message));
  assert.throws(() => sealPictureFromFile(new Uint8Array([1, 2, 3]), 'x.bin'), /neither PNG nor SVG/);
});

test('sizes parse as a diameter or width x height; hostile pictures are refused before rendering', () => {
  assert.deepEqual(parseSizeMm('42', '--size-mm'), { widthMm: 42, heightMm: 42 });
  assert.deepEqual(parseSizeMm('40x30', '--size-mm'), { widthMm: 40, heightMm: 30 });
  assert.deepEqual(parseSizeMm('40×30mm', '--size-mm'), { widthMm: 40, heightMm: 30 });
  for (const bad of ['', 'x', '0', '40x', '-5', '1e3']) assert.throws(() => parseSizeMm(bad, '--size-mm'), UsageError, bad);
  // A truncated PNG and one whose chunk lengths run past the end are read without error or overrun.
  assert.throws(() => pngGeometry(blankPng(10, 10).subarray(0, 20)), /IHDR/);
  const lying = blankPng(10, 10).slice();
  new DataView(lying.buffer).setUint32(33, 0xffffffff);
  assert.deepEqual(pngGeometry(lying), { width: 10, height: 10 });
  assert.throws(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="5000mm" height="5000mm"/>'), /at most 8000 a side/);
  assert.throws(() => svgToPng('not svg'), /the SVG cannot be read/);
  assert.throws(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10mm" height="10mm"/>', 5), /--dpi/);
});
