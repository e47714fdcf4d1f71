// Run with: node --test src/test/js/   (Node 20, no npm packages)
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { BACKOFF, Backoff, backoffDelay, closeAction } from '../../../frontend/reconnect.js';

const top = () => 1 - Number.EPSILON; // the largest draw Math.random can make
const bottom = () => 0;

test('the ceiling starts at half a second and doubles up to thirty seconds', () => {
  const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, top));
  assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('full jitter: every delay lies between the floor and the ceiling', () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let attempt = 0; attempt < 12; attempt++) {
    const ceiling = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** attempt);
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(attempt, random);
      assert.ok(delay >= BACKOFF.floorMs && delay <= ceiling, `attempt ${attempt}: ${delay}`);
    }
  }
});

test('a draw of zero still waits the floor, never zero', () => {
  assert.equal(backoffDelay(0, bottom), BACKOFF.floorMs);
  assert.equal(backoffDelay(20, bottom), BACKOFF.floorMs);
});

test('huge and negative attempt counts stay within bounds', () => {
  assert.equal(backoffDelay(10_000, top), BACKOFF.maxMs);
  assert.equal(backoffDelay(-3, top), BACKOFF.firstMs);
});

test('Backoff counts tries and starts over after reset', () => {
  const backoff = new Backoff(top);
  assert.deepEqual([backoff.next(), backoff.next(), backoff.next()], [500, 1000, 2000]);
  assert.equal(backoff.attempts, 3);
  backoff.reset();
  assert.equal(backoff.next(), 500);
});

test('close codes: retry unless the page closed, the page is at fault, or another tab took over', () => {
  for (const code of [1001, 1005, 1006, 1008, 1009, 1011, 1012, 1013, 1015, 4000, 4999]) {
    assert.equal(closeAction(code), 'retry', String(code));
  }
  assert.equal(closeAction(1000), 'stop');
  assert.equal(closeAction(1003), 'fault');
  assert.equal(closeAction(4001), 'taken-over');
});
