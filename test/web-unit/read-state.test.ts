// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { READ_THROTTLE_MS } from '../../web/chat/read-sync.js';
import { FakeChatServer } from './fake-chat-server.js';
import { registered } from './harness.js';

// Read state that follows the person (docs/protocol.md, "Read state"; web/chat/read-sync.ts, rooms.ts): counts
// start from the server's state and count up from messages received after it; a read here goes to the server
// (throttled, never backwards); a read in another tab (`read`) clears the badge here.

let server: FakeChatServer;
beforeEach(() => {
  server = new FakeChatServer();
});
afterEach(() => {
  vi.useRealTimers();
});

async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await server.settle();
}

test('counts start from the join reply and count up from new messages; own ones never, mentions by the rule', async () => {
  server.seed('random', 3); // before the first join: read
  const { chat } = await registered(server, 'ana');
  await chat.join('random');
  chat.select('lobby');
  server.reads.read('random', 1); // another device had read less: the server's marker is what counts
  await chat.leave('random');
  await chat.join('random');
  const random = chat.rooms.get('random');
  expect([random?.readId, random?.unread, random?.mentions]).toEqual([3, 0, 0]);

  server.say('random', 'bea', 'hello @ana!');
  server.say('random', 'bea', 'mail me at mail@ana or @anastasia'); // not mentions (server/protocol/mentions.ts)
  server.say('random', 'ana', 'my own'); // another tab of ours: never unread
  await server.settle();
  expect([random?.unread, random?.mentions]).toEqual([2, 1]);
  expect(chat.unread.totals).toEqual({ total: 2, mentions: 1 });
  // what the server would say now agrees with what the client counted
  expect(server.reads.counts('random')).toEqual({ unread: 2, mentions: 1 });
});

test('a read in another tab (`read`) clears the badge here; an older one changes nothing', async () => {
  const { chat } = await registered(server, 'ana');
  await chat.join('random');
  chat.select('lobby');
  const [, second, third] = server.seed('random', 3);
  await server.settle();
  expect(chat.rooms.get('random')?.unread).toBe(3);

  server.readElsewhere('random', second!.id);
  await server.settle();
  expect(chat.rooms.get('random')).toMatchObject({ readId: second!.id, unread: 1 });
  server.readElsewhere('random', third!.id);
  await server.settle();
  expect(chat.unread.totals).toEqual({ total: 0, mentions: 0 });

  server.emit('read', { room: 'random', readId: second!.id, unread: 1, mentions: 0 }); // stale, overtaken
  await server.settle();
  expect(chat.rooms.get('random')).toMatchObject({ readId: third!.id, unread: 0 });
});

test('seen messages are sent with room:read, at most once per room per throttle, and never a lower id', async () => {
  const { chat } = await registered(server, 'ana');
  const [m1, m2, m3, m4] = server.seed('lobby', 4);
  await server.settle();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  chat.unread.seen('lobby', m1!.id);
  chat.unread.seen('lobby', m3!.id);
  chat.unread.seen('lobby', m2!.id); // scrolled back up: nothing goes backwards
  await server.settle();
  expect(server.sent('room:read')).toEqual([[{ room: 'lobby', id: m1!.id }]]);
  expect(chat.activeRoom).toMatchObject({ readId: m3!.id, unread: 1 }); // the badge drops at once

  await advance(READ_THROTTLE_MS);
  expect(server.sent('room:read')).toEqual([[{ room: 'lobby', id: m1!.id }], [{ room: 'lobby', id: m3!.id }]]);
  chat.unread.seen('lobby', m2!.id);
  chat.unread.seen('lobby', m3!.id);
  await advance(READ_THROTTLE_MS);
  expect(server.sent('room:read')).toHaveLength(2);
  chat.unread.seen('lobby', m4!.id);
  await advance(READ_THROTTLE_MS);
  expect(server.sent('room:read').at(-1)).toEqual([{ room: 'lobby', id: m4!.id }]);
  expect(chat.activeRoom).toMatchObject({ readId: m4!.id, unread: 0 });
});

test('a closing tab (`pagehide`) sends the read the throttle was holding back, at once', async () => {
  const { chat } = await registered(server, 'ana');
  const [m1, m2] = server.seed('lobby', 2);
  await server.settle();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  chat.unread.seen('lobby', m1!.id);
  chat.unread.seen('lobby', m2!.id); // held back until the throttle's timer
  await server.settle();
  expect(server.sent('room:read')).toEqual([[{ room: 'lobby', id: m1!.id }]]);

  window.dispatchEvent(new Event('pagehide')); // no timer has run
  await server.settle();
  expect(server.sent('room:read')).toEqual([[{ room: 'lobby', id: m1!.id }], [{ room: 'lobby', id: m2!.id }]]);
});

test('the reply to an older room:read does not bring back what was read since', async () => {
  const { chat } = await registered(server, 'ana');
  const [m1, , m3] = server.seed('lobby', 3);
  await server.settle();
  let answer: (() => void) | undefined;
  server.on(
    'room:read',
    (read) => new Promise((resolve) => (answer = () => resolve(server.answer('room:read', read)))),
  );
  chat.unread.seen('lobby', m1!.id);
  server.readElsewhere('lobby', m3!.id); // another tab read further meanwhile
  await server.settle();
  answer?.();
  await server.settle();
  expect(chat.activeRoom).toMatchObject({ readId: m3!.id, unread: 0 });
});

test('Mark all read sends the latest id of each room and conversation with unread messages', async () => {
  const { chat } = await registered(server, 'ana');
  await chat.join('random');
  await chat.join('quiet');
  chat.select('lobby');
  server.seed('lobby', 2);
  const [, last] = server.seed('random', 2);
  server.conversations.openedBy('_dm-ana-bea', { kind: 'direct', title: '', members: ['ana', 'bea'] });
  const dm = server.say('_dm-ana-bea', 'bea', 'psst @ana');
  await server.settle();
  expect(chat.unread.totals).toEqual({ total: 5, mentions: 1 });

  chat.unread.markAllRead();
  await server.settle();
  const reads = server.sent('room:read').map(([read]) => read);
  expect(reads).toEqual(
    expect.arrayContaining([
      { room: 'lobby', id: chat.rooms.get('lobby')!.lastSeenId },
      { room: 'random', id: last!.id },
      { room: '_dm-ana-bea', id: dm.id },
    ]),
  );
  expect(reads).toHaveLength(3); // nothing for the room without unread
  expect(chat.unread.totals).toEqual({ total: 0, mentions: 0 });
  expect(server.reads.counts('_dm-ana-bea')).toEqual({ unread: 0, mentions: 0 });
});

test('after a reconnect, unread:summary and conversations:list bring the counts other tabs changed', async () => {
  const { chat } = await registered(server, 'ana');
  server.conversations.openedBy('_dm-ana-bea', { kind: 'direct', title: '', members: ['ana', 'bea'] });
  const [, second] = [server.say('_dm-ana-bea', 'bea', 'one'), server.say('_dm-ana-bea', 'bea', 'two')];
  await server.settle();
  expect(chat.conversations.get('_dm-ana-bea')).toMatchObject({ unread: 2 });
  server.drop();
  await server.settle();
  server.reads.read('_dm-ana-bea', second.id); // read on a phone while this tab was offline
  server.restore({ recovered: true });
  await server.settle();
  expect(server.sent('unread:summary').length).toBeGreaterThan(0);
  expect(chat.conversations.get('_dm-ana-bea')).toMatchObject({ unread: 0 });
  expect(chat.unread.totals.total).toBe(0);
});
