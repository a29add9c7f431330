import { expect, test } from 'vitest';
import { RecentCount } from '../../server/lib/recent-count.js';

test('counts the events of the last window and forgets older ones, second by second', () => {
  let now = 1_000_000;
  const count = new RecentCount(60_000, () => now);
  count.add();
  count.add();
  now += 30_000;
  count.add();
  expect(count.total()).toBe(3);
  now += 30_000; // the first two are 60 s old: out of the window
  expect(count.total()).toBe(1);
  now += 120_000; // long idle: every bucket is stale, none was cleared by a timer
  expect(count.total()).toBe(0);
  count.add();
  expect(count.total()).toBe(1);
});
