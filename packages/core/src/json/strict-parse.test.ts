import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isElicenseError } from '../errors.js';
import { canonicalJson } from './canonical.js';
import { parseJsonStrict } from './strict-parse.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isElicenseError(error) ? error.code : 'not an ElicenseError';
  }
  return 'no error';
};

test('parses what JSON.parse parses, to the same value', () => {
  for (const text of ['{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"\\u4e2d文\\n"}}', '[]', '"x"', ' 0 ', '{"":1}']) {
    assert.deepEqual(parseJsonStrict(text), JSON.parse(text));
  }
});

test('rejects duplicate member names at any depth, naming the member', () => {
  assert.equal(code(() => parseJsonStrict('{"alg":"ES256","alg":"none"}')), 'ERR_JSON_DUPLICATE_MEMBER');
  assert.equal(code(() => parseJsonStrict('{"a":{"b":1,"b":2}}')), 'ERR_JSON_DUPLICATE_MEMBER');
  // The same name in sibling objects is fine.
  assert.deepEqual(parseJsonStrict('[{"a":1},{"a":2}]'), [{ a: 1 }, { a: 2 }]);
});

test('rejects what RFC 8259 forbids', () => {
  for (const text of ['{a:1}', "{'a':1}", '[1,]', '{"a":1,}', '01', '1.', '.5', 'NaN', '"\u0001"', '"\\x41"', '{"a":1} x', '', 'tru', '1e999']) {
    assert.equal(code(() => parseJsonStrict(text)), 'ERR_JSON_INVALID', text);
  }
});

test('bounds depth and size', () => {
  assert.equal(code(() => parseJsonStrict('['.repeat(100) + ']'.repeat(100))), 'ERR_JSON_TOO_DEEP');
  assert.equal(code(() => parseJsonStrict('['.repeat(100_000))), 'ERR_JSON_TOO_DEEP');
  assert.equal(code(() => parseJsonStrict(`"${'a'.repeat(100)}"`, { maxLength: 50 })), 'ERR_INPUT_TOO_LARGE');
});

test('keeps __proto__ as an ordinary member instead of changing the prototype', () => {
  const value = parseJsonStrict('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('canonical JSON sorts members and is stable (RFC 8785)', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1.5, y: -0 } }), '{"a":[true,null,"x"],"b":1,"c":{"y":0,"z":1.5}}');
  assert.equal(canonicalJson({ 中: 1, a: 2 }), '{"a":2,"中":1}');
});
