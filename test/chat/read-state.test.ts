import { expect, test } from 'vitest';
import type { Message, ReadState } from '../../server/protocol/events.js';
import { mentionsNick } from '../../server/protocol/mentions.js';
import { memoryLimits } from '../../server/lib/rate-limit.js';
import {
  chatSigned,
  type ChatClient,
  collect,
  inRoom,
  LOOPBACK_BUDGETS,
  nextEvent,
  sendText,
  settle,
  useFreshServer,
} from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { chatsAs, ok, refusal } from '../conversations.js';

// Issue 22 on one node (SQLite, and PostgreSQL in the postgres project): read markers per person and room, the
// counts they imply, and the person's other sockets told of each read. test/cluster/read-state.test.ts: two nodes.
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET });

const summaryOf = async (client: ChatClient, room: string) =>
  (await ok(client.emitWithAck('unread:summary'))).rooms.find((r) => r.room === room);

test('readId only moves forward; an id that is not a message of the room is NOT_FOUND', async () => {
  const [ana, bob] = await chatsAs(server.url, 'ana', 'bob');
  await inRoom(ana);
  await inRoom(bob);
  await inRoom(bob, 'other');
  const [first, second, third] = [await sendText(bob, 'one'), await sendText(bob, 'two'), await sendText(bob, 'three')];
  const elsewhere = await sendText(bob, 'elsewhere', 'other');
  expect(await ok(ana.emitWithAck('room:read', { room: 'lobby', id: second }))).toEqual({
    ok: true,
    room: 'lobby',
    readId: second,
    unread: 1,
    mentions: 0,
  });
  expect(await ok(ana.emitWithAck('room:read', { room: 'lobby', id: first }))).toMatchObject({
    readId: second,
    unread: 1,
  });
  expect(await ok(ana.emitWithAck('room:read', { room: 'lobby', id: third }))).toMatchObject({
    readId: third,
    unread: 0,
  });
  expect(await refusal(ana.emitWithAck('room:read', { room: 'lobby', id: elsewhere }))).toBe('NOT_FOUND');
  expect(await refusal(ana.emitWithAck('room:read', { room: 'lobby', id: third + 100 }))).toBe('NOT_FOUND');
  expect(await refusal(ana.emitWithAck('room:read', { room: 'lobby', id: -1 }))).toBe('BAD_REQUEST');
  const { room } = await ok(bob.emitWithAck('room:create', { title: 'Private', private: true }));
  const hidden = await sendText(bob, 'secret', room);
  expect(await refusal(ana.emitWithAck('room:read', { room, id: hidden }))).toBe('NOT_FOUND');
});

test('counts: not your own, not deleted, edits change nothing, mentions only of your nick', async () => {
  const [ana, bob] = await chatsAs(server.url, 'ana', 'bob');
  await sendText(await inRoom(bob), 'said before ana came: read by joining');
  const joined = await ok(ana.emitWithAck('room:join', 'lobby'));
  expect(joined).toMatchObject({ unread: 0, mentions: 0 });
  expect(joined.readId).toBe(joined.history.at(-1)!.id);

  const plain = await sendText(bob, 'hello');
  const mention = await sendText(bob, '@ana look');
  await sendText(bob, 'hey @anastasia and mail@ana');
  await sendText(bob, '@ANA, again');
  await sendText(ana, 'my own words, @ana');
  expect(await summaryOf(ana, 'lobby')).toEqual({ room: 'lobby', unread: 4, mentions: 2 });
  await ok(bob.emitWithAck('message:edit', { room: 'lobby', id: plain, text: 'hello, edited' }));
  expect(await summaryOf(ana, 'lobby')).toEqual({ room: 'lobby', unread: 4, mentions: 2 }); // still unread, once
  // Mentions are read from the text as it is now: an edit that adds one counts (docs/protocol.md, "Read state").
  await ok(bob.emitWithAck('message:edit', { room: 'lobby', id: plain, text: 'hello @ana, edited' }));
  expect(await summaryOf(ana, 'lobby')).toEqual({ room: 'lobby', unread: 4, mentions: 3 });
  await ok(bob.emitWithAck('message:edit', { room: 'lobby', id: plain, text: 'hello, edited' }));
  await ok(bob.emitWithAck('message:delete', { room: 'lobby', id: mention }));
  expect(await summaryOf(ana, 'lobby')).toEqual({ room: 'lobby', unread: 3, mentions: 1 });
  const summary = await ok(ana.emitWithAck('unread:summary'));
  expect(summary).toMatchObject({ unread: 3, mentions: 1 });
  expect(await summaryOf(bob, 'lobby')).toMatchObject({ unread: 1 }); // ana's message, for bob
});

test("a read reaches every other socket of the person at once, and nobody else's", async () => {
  const jwt = await signJwt({ sub: 'u-ana', name: 'Ana' });
  const [laptop, phone] = [await chatSigned(server.url, jwt), await chatSigned(server.url, jwt)];
  const [bob] = await chatsAs(server.url, 'bob');
  await inRoom(laptop);
  await inRoom(bob);
  const id = await sendText(bob, 'hi Ana');
  const [onPhone, onLaptop, onBob] = [collect<ReadState>(phone, 'read'), collect(laptop, 'read'), collect(bob, 'read')];
  const told = nextEvent<ReadState>(phone, 'read');
  await ok(laptop.emitWithAck('room:read', { room: 'lobby', id }));
  expect(await told).toEqual({ room: 'lobby', readId: id, unread: 0, mentions: 0 });
  await settle(laptop);
  await settle(bob);
  expect([onPhone.length, onLaptop.length, onBob.length]).toEqual([1, 0, 0]);
});

test("a signed user's read state and its DM's unread count survive a restart", async () => {
  const ana = await chatSigned(server.url, await signJwt({ sub: 'u-ana', name: 'Ana' }));
  const bob = await chatSigned(server.url, await signJwt({ sub: 'u-bob', name: 'Bob' }));
  await inRoom(ana);
  await inRoom(bob);
  const ids = [await sendText(bob, 'a'), await sendText(bob, 'b'), await sendText(bob, 'c')];
  await ok(ana.emitWithAck('room:read', { room: 'lobby', id: ids[1]! }));
  const { room } = await ok(bob.emitWithAck('dm:open', { nick: 'Ana' }));
  await sendText(bob, '@Ana one for you', room);
  await sendText(bob, 'and another', room);

  await server.restart();
  const anaAgain = await chatSigned(server.url, await signJwt({ sub: 'u-ana', name: 'Ana' }));
  expect(await ok(anaAgain.emitWithAck('room:join', 'lobby'))).toMatchObject({ readId: ids[1], unread: 1 });
  const { conversations } = await ok(anaAgain.emitWithAck('conversations:list'));
  expect(conversations.find((c) => c.room === room)).toMatchObject({ readId: 0, unread: 2, mentions: 1 });
  expect(await ok(anaAgain.emitWithAck('unread:summary'))).toMatchObject({ unread: 3, mentions: 1 });
});

test('counts equal a recount after 1,000 random sends, deletes, edits and reads from four people', async () => {
  const budget = { points: 1_000_000, windowSeconds: 1 };
  const limits = memoryLimits({ ...LOOPBACK_BUDGETS, messages: budget, requests: budget });
  await server.restartWith({ authSecret: TEST_AUTH_SECRET, limits });
  const nicks = ['ana', 'bob', 'cy', 'dee'] as const;
  const people = await chatsAs(server.url, ...nicks);
  const rooms = ['r1', 'r2', 'r3'];
  for (const person of people) for (const room of rooms) await inRoom(person, room);
  const random = seeded(21);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sent = new Map<string, { id: number; by: number }[]>(rooms.map((room) => [room, []]));
  for (let op = 0; op < 1000; op++) {
    const [who, room] = [Math.floor(random() * people.length), pick(rooms)];
    const mine = sent.get(room)!;
    const roll = random();
    if (roll < 0.5 || mine.length === 0) {
      const text = random() < 0.3 ? `hey @${pick(nicks)} #${op}` : `message ${op}`;
      mine.push({ id: await sendText(people[who]!, text, room), by: who });
    } else if (roll < 0.6) {
      const own = mine.filter((m) => m.by === who);
      if (own.length > 0) await ok(people[who]!.emitWithAck('message:delete', { room, id: pick(own).id }));
    } else if (roll < 0.7) {
      const own = mine.filter((m) => m.by === who);
      const text = random() < 0.5 ? `now @${pick(nicks)}` : 'edited';
      if (own.length > 0) await people[who]!.emitWithAck('message:edit', { room, id: pick(own).id, text });
    } else {
      await ok(people[who]!.emitWithAck('room:read', { room, id: pick(mine).id }));
    }
  }
  for (const [i, person] of people.entries()) {
    const summary = await ok(person.emitWithAck('unread:summary'));
    for (const room of rooms) {
      const { readId } = await ok(person.emitWithAck('room:read', { room, id: sent.get(room)![0]!.id }));
      const unread = (await everything(person, room)).filter((m) => m.id > readId && !m.deleted && m.nick !== nicks[i]);
      expect(summary.rooms.find((r) => r.room === room)).toEqual({
        room,
        unread: unread.length,
        mentions: unread.filter((m) => mentionsNick(m.text, nicks[i]!)).length,
      });
    }
  }
});

/** Every message of a room, paged back through room:history from the latest. */
async function everything(client: ChatClient, room: string): Promise<Message[]> {
  const all: Message[] = [];
  for (let before: number | undefined; ;) {
    const query = before === undefined ? { room, limit: 100 } : { room, before, limit: 100 };
    const { messages } = await ok(client.emitWithAck('room:history', query));
    all.unshift(...messages);
    if (messages.length < 100) return all;
    before = messages[0]!.id;
  }
}

/** mulberry32: the same sequence on every run, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
