import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wrapText } from './wrap-text.js';

/** Every character one unit wide, so widths are character counts. */
const count = (text: string) => [...text].length;

test('Chinese text breaks between any two characters', () => {
  assert.deepEqual(wrapText('一般项目技术服务技术开发', 5, count), ['一般项目技', '术服务技术', '开发']);
});

test('closing punctuation never starts a line and opening punctuation never ends one', () => {
  const lines = wrapText('技术服务，技术开发。软件（信息）集成', 4, count);
  for (const line of lines) {
    assert.doesNotMatch(line, /^[，。）]/, line);
    assert.doesNotMatch(line, /（$/, line);
  }
  assert.equal(lines.join(''), '技术服务，技术开发。软件（信息）集成');
});

test('a short bracketed aside moves to the next line whole', () => {
  assert.deepEqual(wrapText('法定代表人（负责人）', 8, count), ['法定代表人', '（负责人）']);
});

test('Latin words and numbers stay together; a token longer than the line is split', () => {
  assert.deepEqual(wrapText('文三路 90 号 JY21101080123456', 10, count), ['文三路 90 号', 'JY21101080', '123456']);
  assert.deepEqual(wrapText('地址 1203 室', 6, count), ['地址', '1203 室']);
});

test('newlines start new lines and empty text is one empty line', () => {
  assert.deepEqual(wrapText('甲\n乙', 10, count), ['甲', '乙']);
  assert.deepEqual(wrapText('', 10, count), ['']);
});
