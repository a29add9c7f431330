import { beforeEach, describe, expect, test } from 'vitest';
import type { PresenceEntry, PresenceRegistry } from '../../server/stores/presence.js';

const entry = (nick: string, socket: string, node = 'n1', session = `session-${nick}`): PresenceEntry => ({
  nick,
  session,
  socket,
  node,
});

export function describePresence(name: string, make: () => Promise<PresenceRegistry>): void {
  describe(`PresenceRegistry: ${name}`, () => {
    let presence: PresenceRegistry;
    beforeEach(async () => {
      presence = await make();
    });

    test('a nick joins with its first socket and leaves with its last; counts are people', async () => {
      expect(await presence.join('r', entry('ana', 'a1'))).toEqual({ changed: true, count: 1 });
      expect(await presence.join('r', entry('ana', 'a2'))).toEqual({ changed: false, count: 1 });
      expect(await presence.join('r', entry('ana', 'a2'))).toEqual({ changed: false, count: 1 }); // idempotent
      expect(await presence.join('r', entry('bea', 'b1'))).toEqual({ changed: true, count: 2 });
      expect(await presence.members('r')).toEqual(['ana', 'bea']);
      expect(await presence.leave('r', 'a1')).toEqual({ changed: false, count: 2 });
      expect(await presence.leave('r', 'a2')).toEqual({ changed: true, count: 1 });
      expect(await presence.leave('r', 'a2')).toEqual({ changed: false, count: 1 });
      expect(await presence.leave('nowhere', 'a2')).toEqual({ changed: false, count: 0 });
      expect(await presence.members('r')).toEqual(['bea']);
    });

    test('rename moves every entry of the session; its sockets then leave under the new nick', async () => {
      await presence.join('r', entry('old', 's1', 'n1', 'sess'));
      await presence.join('r', entry('old', 's2', 'n1', 'sess'));
      await presence.join('r', entry('bea', 'b1'));
      expect(await presence.rename('r', 'sess', 'new')).toEqual({ changed: true, count: 2 });
      expect(await presence.members('r')).toEqual(['bea', 'new']);
      expect(await presence.leave('r', 's1')).toEqual({ changed: false, count: 2 });
      expect(await presence.leave('r', 's2')).toEqual({ changed: true, count: 1 });
      expect(await presence.rename('r', 'nobody', 'x')).toEqual({ changed: false, count: 1 });
    });

    test('rooms lists non-empty rooms, busiest first, up to the limit', async () => {
      await presence.join('b', entry('ana', 'a1'));
      await presence.join('a', entry('ana', 'a1'));
      await presence.join('a', entry('bea', 'b1'));
      await presence.join('c', entry('cy', 'c1'));
      await presence.leave('c', 'c1');
      expect(await presence.rooms(10)).toEqual([
        { name: 'a', members: 2 },
        { name: 'b', members: 1 },
      ]);
      expect(await presence.rooms(1)).toEqual([{ name: 'a', members: 2 }]);
    });

    test("removeNode removes exactly that node's entries: one item per nick that left a room", async () => {
      await presence.join('r', entry('ana', 'a-dead', 'dead'));
      await presence.join('r', entry('ana', 'a-alive', 'alive')); // ana stays through another node
      await presence.join('r', entry('bea', 'b-dead', 'dead'));
      await presence.join('s', entry('bea', 'b-dead', 'dead'));
      await presence.join('s', entry('cy', 'c-alive', 'alive'));
      const left = await presence.removeNode('dead');
      expect(left.sort((x, y) => x.room.localeCompare(y.room))).toEqual([
        { room: 'r', nick: 'bea', count: 1 },
        { room: 's', nick: 'bea', count: 1 },
      ]);
      expect(await presence.members('r')).toEqual(['ana']);
      expect(await presence.members('s')).toEqual(['cy']);
      expect(await presence.removeNode('dead')).toEqual([]);
    });
  });
}
