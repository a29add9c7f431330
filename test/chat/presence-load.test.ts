import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Presence, PresenceBatch } from '../../server/protocol/events.js';
import { chatAs, collect, nextEvent, settle, useFreshServer } from '../helpers.js';

// Issue 13, bounded work per event: presence to many rooms yields to the event loop between rooms, and a large
// room hears of its members as one batch a second. Rooms here count as "many" and "large" through the settings.
const server = useFreshServer({ presenceDeliveriesPerTurn: 2, presenceCoalesceAbove: 2 });

/** Counts event-loop turns: a setImmediate chain ticks once per check phase. */
function turnCounter() {
  let turn = 0;
  let handle: NodeJS.Immediate;
  const tick = () => {
    turn++;
    handle = setImmediate(tick);
  };
  tick();
  return { now: () => turn, stop: () => clearImmediate(handle) };
}

/** The turn in which each `presence` broadcast of /chat left the server. */
function presenceTurns(turns: { now(): number }): number[] {
  const adapter = server.app.io.of('/chat').adapter;
  const seen: number[] = [];
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet: { data?: unknown[] }, opts) => {
    if (packet.data?.[0] === 'presence') seen.push(turns.now());
    broadcast(packet, opts);
  };
  return seen;
}

describe('presence to many rooms', () => {
  const rooms = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
  let counter: ReturnType<typeof turnCounter>;
  beforeEach(() => void (counter = turnCounter()));
  afterEach(() => counter.stop());

  test.each(['rename', 'disconnect'] as const)('a %s is announced a room or two per event-loop turn', async (how) => {
    const ana = await chatAs(server.url, 'ana');
    const watcher = await chatAs(server.url, 'watcher');
    for (const room of rooms) {
      await ana.emitWithAck('room:join', room);
      await watcher.emitWithAck('room:join', room);
    }
    const received = collect<Presence>(watcher, 'presence');
    const turns = presenceTurns(counter);
    if (how === 'rename') await ana.emitWithAck('nick:register', 'anabel');
    else ana.disconnect();
    await expect.poll(() => received.length).toBe(rooms.length);
    expect(received.map((p) => p.room)).toEqual(rooms);
    // A turn takes two deliveries; a room has two sockets (one once the leaver is gone): 3 to 6 turns, not one.
    expect(new Set(turns).size).toBeGreaterThanOrEqual(rooms.length / 2);
  });
});

describe('a room over PRESENCE_COALESCE_ABOVE members', () => {
  test('hears of joins, leaves and renames as one presence:batch with the net change and the count', async () => {
    const ana = await chatAs(server.url, 'ana');
    const bea = await chatAs(server.url, 'bea');
    await ana.emitWithAck('room:join', 'big');
    const single = collect<Presence>(ana, 'presence');
    const batches = collect<PresenceBatch>(ana, 'presence:batch');
    await bea.emitWithAck('room:join', 'big'); // 2 members: not over the threshold yet
    await expect.poll(() => single).toEqual([{ room: 'big', joined: 'bea', count: 2 }]);

    const cid = await chatAs(server.url, 'cid');
    const dan = await chatAs(server.url, 'dan');
    await cid.emitWithAck('room:join', 'big');
    expect(await dan.emitWithAck('room:join', 'big')).toMatchObject({ members: ['ana', 'bea', 'cid', 'dan'] });
    await bea.emitWithAck('nick:register', 'beatrix');
    await cid.emitWithAck('room:leave', 'big');
    const batch = await nextEvent<PresenceBatch>(ana, 'presence:batch', 3000);
    expect(batch).toEqual({ room: 'big', joined: ['dan'], renamed: [{ from: 'bea', to: 'beatrix' }], count: 3 });
    await settle(ana);
    expect(single).toHaveLength(1);
    expect(batches).toHaveLength(1);
  });
});
