import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Presence, PresenceBatch } from '../../server/protocol/events.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { chatAs, collect, nextEvent, settle, useFreshServer } from '../helpers.js';

// Issue 13, bounded work per event: presence to many rooms yields to the event loop between rooms, and a large
// room hears of its members as one batch a second. Rooms here count as "many" and "large" through the settings.
const ADMIN_TOKEN = 'presence-admin';
const server = useFreshServer({ presenceDeliveriesPerTurn: 2, presenceCoalesceAbove: 2, adminToken: ADMIN_TOKEN });

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

/** The turn in which each `presence` (or `presence:batch`) broadcast of /chat left the server. */
function presenceTurns(turns: { now(): number }, event = 'presence'): number[] {
  const adapter = server.app.io.of('/chat').adapter;
  const seen: number[] = [];
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet: { data?: unknown[] }, opts) => {
    if (packet.data?.[0] === event) seen.push(turns.now());
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

  test('batches to many rooms go out a room or two per event-loop turn too', async () => {
    const ana = await chatAs(server.url, 'ana');
    const bea = await chatAs(server.url, 'bea');
    const cid = await chatAs(server.url, 'cid');
    for (const room of rooms) for (const member of [ana, bea, cid]) await member.emitWithAck('room:join', room);
    await nextEvent<PresenceBatch>(ana, 'presence:batch', 3000); // the joins' batches (3 members: over 2)
    await sleep(1100); // every room's batch is out
    const received = collect<PresenceBatch>(ana, 'presence:batch');
    const turns = presenceTurns(counter, 'presence:batch');
    await bea.emitWithAck('nick:register', 'beatrix');
    await expect.poll(() => received.length, { timeout: 3000 }).toBe(rooms.length);
    expect(received.map((b) => b.renamed)).toEqual(rooms.map(() => [{ from: 'bea', to: 'beatrix' }]));
    expect(new Set(turns).size).toBeGreaterThanOrEqual(rooms.length / 2); // 3 sockets a room, 2 per turn
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

test('a ban in a large room is part of its presence:batch like any other departure', async () => {
  const ana = await chatAs(server.url, 'ana');
  for (const nick of ['ana', 'bea', 'cid', 'dan']) {
    const client = nick === 'ana' ? ana : await chatAs(server.url, nick);
    await client.emitWithAck('room:join', 'big');
  }
  await nextEvent<PresenceBatch>(ana, 'presence:batch', 3000); // the joins (over 2 members)
  const single = collect<Presence>(ana, 'presence');
  const banned = await fetch(`${server.url}/api/admin/rooms/big/bans`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ nick: 'bea' }),
  });
  expect(banned.status).toBe(201);
  expect(await nextEvent<PresenceBatch>(ana, 'presence:batch', 3000)).toEqual({ room: 'big', left: ['bea'], count: 3 });
  await settle(ana);
  expect(single).toEqual([]);
});

describe('a burst of changes in a small room', () => {
  // 10 deliveries a second: ana hears of the 2nd, 3rd and 4th arrivals singly (1 + 2 + 3 + 4 = 10 with her own
  // join), the rest of the burst comes batched. A flush between the joins resets the budget at most once, so a
  // batch still comes (5 + 6 > 10).
  const burst = useFreshServer({ presenceDeliveriesPerSecond: 10 });

  test('is batched once its deliveries in a second pass PRESENCE_DELIVERIES_PER_SECOND, then singly again', async () => {
    const ana = await chatAs(burst.url, 'ana');
    await ana.emitWithAck('room:join', 'event');
    const single = collect<Presence>(ana, 'presence');
    const batches = collect<PresenceBatch>(ana, 'presence:batch');
    const arrivals = ['bea', 'cid', 'dan', 'eve', 'fay', 'gus', 'hal'];
    const others = await Promise.all(arrivals.map((nick) => chatAs(burst.url, nick)));
    for (const other of others) await other.emitWithAck('room:join', 'event');

    await expect.poll(() => batches.length, { timeout: 3000 }).toBeGreaterThan(0);
    await settle(ana);
    const heard = [...single.map((p) => p.joined), ...batches.flatMap((b) => b.joined ?? [])];
    expect(heard.sort()).toEqual(arrivals);
    expect(single.length).toBeLessThanOrEqual(5);
    expect(batches.at(-1)?.count).toBe(8);

    await others[0]!.emitWithAck('room:leave', 'event'); // after the batch went out: one event per change again
    await expect.poll(() => single.at(-1)).toEqual({ room: 'event', left: 'bea', count: 7 });
  });
});

describe('many busy rooms at once', () => {
  // 2 deliveries a second for the whole process: each arrival below reaches 2 members, so past the first one every
  // change is batched, and each flush sends only the oldest batch that fits.
  const crowd = useFreshServer({ presenceProcessDeliveriesPerSecond: 2 });

  test('past PRESENCE_PROCESS_DELIVERIES_PER_SECOND every change is batched, the batches a second apart', async () => {
    const rooms = ['r1', 'r2', 'r3'];
    const arrivals = ['ana', 'bea', 'cid'];
    const watcher = await chatAs(crowd.url, 'watcher');
    for (const room of rooms) await watcher.emitWithAck('room:join', room);
    const others = await Promise.all(arrivals.map((nick) => chatAs(crowd.url, nick)));
    await sleep(1100); // the watcher's own joins were over the budget too: their batch goes out at the next flush
    const single = collect<Presence>(watcher, 'presence');
    const heard: { batch: PresenceBatch; at: number }[] = [];
    watcher.on('presence:batch', (batch: PresenceBatch) => {
      if (batch.joined?.some((nick) => arrivals.includes(nick))) heard.push({ batch, at: Date.now() });
    });
    for (const [i, other] of others.entries()) await other.emitWithAck('room:join', rooms[i]!);

    await expect.poll(() => single.length + heard.length, { timeout: 6000 }).toBe(arrivals.length);
    expect(single.length).toBeLessThanOrEqual(1); // a flush may have just reset the budget for the first arrival
    const batched = heard.map(({ batch }) => batch);
    expect(batched.length).toBeGreaterThanOrEqual(2);
    // Oldest first, one per flush: the rooms in the order of their arrivals, a second apart.
    const batchedRooms = rooms.filter((room) => !single.some((p) => p.room === room));
    expect(batched).toEqual(batchedRooms.map((room) => ({ room, joined: [arrivals[rooms.indexOf(room)]!], count: 2 })));
    expect(heard.at(-1)!.at - heard[0]!.at).toBeGreaterThanOrEqual(700);
  });
});
