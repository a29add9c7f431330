import { describe, expect, test } from 'vitest';
import type { NewsSequence } from '../../server/stores/news-sequence.js';

/**
 * What every NewsSequence must do. `reopen` (for persistent stores) closes the store and opens it again on
 * the same data, as a restart does.
 */
export function describeNewsSequence(
  name: string,
  make: () => Promise<NewsSequence>,
  reopen?: (store: NewsSequence) => Promise<NewsSequence>,
): void {
  describe(`NewsSequence: ${name}`, () => {
    test('rises by exactly 1 per topic, from 1', async () => {
      const seq = await make();
      expect(await seq.next('tech')).toBe(1);
      expect(await seq.next('tech')).toBe(2);
      expect(await seq.next('sports')).toBe(1);
      expect(await Promise.all([seq.next('tech'), seq.next('tech')])).toEqual([3, 4]);
      await seq.close();
    });

    if (reopen)
      test('continues after a restart', async () => {
        const seq = await make();
        for (let i = 0; i < 5; i++) await seq.next('tech');
        const again = await reopen(seq);
        expect(await again.next('tech')).toBe(6);
        expect(await again.next('markets')).toBe(1);
        await again.close();
      });
  });
}
