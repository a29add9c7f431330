import { expect, test } from 'vitest';
import { NewsMisses } from '../../web/components/news-misses.js';

const TOPICS = ['markets', 'sports', 'tech'];

/** `rounds` rounds of the demo feed from `first`; `arrives` says which items get through. */
function feed(misses: NewsMisses, first: number, rounds: number, arrives: (topic: string, seq: number) => boolean) {
  let missed = 0;
  let received = 0;
  for (let seq = first; seq < first + rounds; seq++) {
    for (const topic of TOPICS) {
      if (!arrives(topic, seq)) continue;
      received++;
      missed += misses.receive({ topic, seq }, TOPICS);
    }
  }
  return { received, missed };
}

test('every item arriving is nothing missed', () => {
  expect(feed(new NewsMisses(), 40, 50, () => true)).toEqual({ received: 150, missed: 0 });
});

test('a topic that stops arriving is counted missed from the rounds that other topics show', () => {
  const misses = new NewsMisses();
  feed(misses, 1, 5, () => true);
  // Socket.IO volatile: only the first emit of each round gets through.
  const { received, missed } = feed(misses, 6, 30, (topic) => topic === 'markets');
  expect(received).toBe(30);
  // Two topics a round, but the last round's may still be on its way.
  expect(missed).toBe(2 * 29);
});

test('gaps within a topic count, and an item counted missed that arrives a moment later is taken back', () => {
  const misses = new NewsMisses();
  feed(misses, 1, 3, () => true);
  expect(misses.receive({ topic: 'markets', seq: 6 }, TOPICS)).toBe(2 + 2 * 2); // 4, 5 of markets; rounds 4, 5 of the others
  expect(misses.receive({ topic: 'sports', seq: 5 }, TOPICS)).toBe(-1);
  expect(misses.receive({ topic: 'sports', seq: 6 }, TOPICS)).toBe(0);
  expect(misses.receive({ topic: 'tech', seq: 6 }, TOPICS)).toBe(0);
});
