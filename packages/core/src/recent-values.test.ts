import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recentValues } from './recent-values.js';

test('recentValues makes a value once per key, keeps the last few keys, and keeps nothing that failed', () => {
  const made: string[] = [];
  const kept = recentValues<string, string>(2);
  const get = (key: string) => kept(key, () => {
    made.push(key);
    if (key === 'bad') throw new Error('cannot make it');
    return key.toUpperCase();
  });
  assert.equal(get('a'), 'A');
  assert.equal(get('a'), 'A');
  assert.equal(get('b'), 'B');
  assert.equal(get('c'), 'C');
  assert.equal(get('b'), 'B');
  assert.equal(get('a'), 'A');
  assert.deepEqual(made, ['a', 'b', 'c', 'a']);
  assert.throws(() => get('bad'));
  assert.throws(() => get('bad'));
  assert.deepEqual(made.slice(4), ['bad', 'bad']);
});
