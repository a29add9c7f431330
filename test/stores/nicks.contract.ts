import { beforeEach, describe, expect, test } from 'vitest';
import type { NickRegistry } from '../../server/stores/nicks.js';

export function describeNickRegistry(name: string, make: () => Promise<NickRegistry>): void {
  describe(`NickRegistry: ${name}`, () => {
    let nicks: NickRegistry;
    beforeEach(async () => {
      nicks = await make();
    });

    test('one session holds a key; another cannot claim it until it is released by its holder', async () => {
      expect(await nicks.claim('ana', { session: 's1', node: 'n1' })).toBe(true);
      expect(await nicks.claim('ana', { session: 's1', node: 'n2' })).toBe(true); // the same session, other node
      expect(await nicks.owner('ana')).toEqual({ session: 's1', node: 'n2' });
      expect(await nicks.claim('ana', { session: 's2', node: 'n1' })).toBe(false);
      await nicks.release('ana', 's2'); // not the holder: nothing happens
      expect(await nicks.owner('ana')).toEqual({ session: 's1', node: 'n2' });
      await nicks.release('ana', 's1');
      expect(await nicks.owner('ana')).toBeUndefined();
      expect(await nicks.claim('ana', { session: 's2', node: 'n1' })).toBe(true);
    });

    test('of concurrent claims of one key exactly one wins', async () => {
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) => nicks.claim('zoe', { session: `s${i}`, node: 'n1' })),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    test('seize takes a key from a guest session and names it; a signed holder keeps its key', async () => {
      await nicks.claim('ana', { session: 'guest1', node: 'n1' });
      expect(await nicks.seize('ana', { session: 'u.one', node: 'n2' })).toEqual({
        won: true,
        displaced: { session: 'guest1', node: 'n1' },
      });
      expect(await nicks.owner('ana')).toEqual({ session: 'u.one', node: 'n2' });
      expect(await nicks.seize('ana', { session: 'u.one', node: 'n1' })).toEqual({ won: true }); // its own
      expect(await nicks.seize('ana', { session: 'u.two', node: 'n1' })).toEqual({ won: false });
      expect(await nicks.claim('ana', { session: 'guest1', node: 'n1' })).toBe(false);
      expect(await nicks.owner('ana')).toEqual({ session: 'u.one', node: 'n1' });
      expect(await nicks.seize('free', { session: 'u.two', node: 'n1' })).toEqual({ won: true });
    });
  });
}
