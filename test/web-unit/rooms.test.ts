// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { FakeChatServer, refuse } from './fake-chat-server.js';
import { notices, openChat, registered, storedSession } from './harness.js';

// Rooms as the user meets them (web/chat/rooms.ts, room-sync.ts, room-directory.ts): the list of other rooms,
// switching, unread counts, joins the server refuses or postpones, presence.

let server: FakeChatServer;
beforeEach(() => {
  server = new FakeChatServer();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Moves the fake clock on, then lets what the timers started finish. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await server.settle();
}

test('the other rooms come from rooms:list, busiest first, and are asked again after a join', async () => {
  for (const nick of ['x', 'y']) server.member('news', nick);
  server.member('faq', 'z');
  const { chat } = await registered(server, 'ana');
  await server.settle();
  expect(chat.directory.others).toEqual([
    { name: 'news', members: 2 },
    { name: 'faq', members: 1 },
    { name: 'lobby', members: 1 },
  ]);
  await chat.join('faq');
  await server.settle();
  expect(chat.directory.others).toContainEqual({ name: 'faq', members: 2 });
});

test('messages count as unread until seen, mentions apart; entering the room sets the marker', async () => {
  const { chat } = await registered(server, 'ana');
  await chat.join('random');
  chat.select('lobby');
  const first = server.say('random', 'bea', 'first in random');
  server.say('random', 'bea', 'and @ANA in particular');
  chat.send('random', 'my own'); // never unread
  await server.settle();
  const random = chat.rooms.get('random');
  expect([random?.unread, random?.mentions]).toEqual([2, 1]);
  expect(chat.unread.totals).toEqual({ total: 2, mentions: 1 });

  chat.select('random');
  expect(chat.marker).toEqual({ id: first.id, count: 2 });
  expect(chat.unread.totals).toEqual({ total: 2, mentions: 1 }); // opened is not read
  chat.unread.seen('random', random!.lastSeenId);
  expect(chat.unread.totals).toEqual({ total: 0, mentions: 0 });
  server.say('random', 'bea', 'while reading');
  await server.settle();
  expect(random?.unread).toBe(1);
  expect(chat.marker).toEqual({ id: first.id, count: 2 }); // the line stays where the room was opened
  expect(storedSession().lastRoom).toBe('random');
});

test('a join the server refuses says why and changes nothing', async () => {
  const { chat, host } = await registered(server, 'ana');
  server.on('room:join', (room) => (room === 'vip' ? refuse('BANNED') : server.answer('room:join', room)));
  const changes: string[] = [];
  host.addEventListener('chat-room-change', () => changes.push('changed'));
  expect(await chat.join('vip')).toMatchObject({ code: 'BANNED' });
  expect(await chat.join('two words')).toMatchObject({ code: 'ROOM_INVALID' });
  expect([...chat.rooms.keys()]).toEqual(['lobby']);
  expect([chat.active, changes]).toEqual(['lobby', []]);
  expect(storedSession().rooms).toEqual(['lobby']);
});

test('a locked widget refuses other rooms itself, without asking the server', async () => {
  const { chat } = await registered(server, 'customer', { lock: true, room: 'support' });
  expect(chat.active).toBe('support');
  expect(await chat.join('lobby')).toMatchObject({ code: 'NOT_ALLOWED' });
  expect(server.sent('room:join')).toEqual([['support']]);
});

test('a widget with a rooms list opens the first of them and joins only those', async () => {
  const { chat } = await registered(server, 'reader', { rooms: 'help, news' });
  expect(chat.active).toBe('help');
  expect(await chat.join('lobby')).toMatchObject({ code: 'NOT_ALLOWED' });
  expect(await chat.join('news')).toBeUndefined();
  expect(server.sent('room:join')).toEqual([['help'], ['news']]);
});

test('a join refused with RATE_LIMITED is tried again about a second later, until the server has room', async () => {
  const { chat } = await registered(server, 'ana');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.spyOn(Math, 'random').mockReturnValue(0.5); // no jitter: exactly JOIN_RETRY_MS
  let refusals = 2;
  server.on('room:join', (room) => (refusals-- > 0 ? refuse('RATE_LIMITED') : server.answer('room:join', room)));
  const joining = chat.join('busy');
  await advance(999);
  expect(server.sent('room:join').slice(1)).toEqual([['busy']]);
  await advance(1);
  expect(server.sent('room:join').slice(1)).toEqual([['busy'], ['busy']]);
  await advance(1000);
  expect(await joining).toBeUndefined();
  expect(server.sent('room:join').slice(1)).toHaveLength(3);
  expect(chat.active).toBe('busy');
});

test('a join still RATE_LIMITED after ten more tries gives up with that error', async () => {
  const { chat } = await registered(server, 'ana');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  server.on('room:join', () => refuse('RATE_LIMITED'));
  const joining = chat.join('busy');
  await advance(10 * 1500); // the jitter is at most half a period more
  expect(await joining).toMatchObject({ code: 'RATE_LIMITED' });
  expect(server.sent('room:join').slice(1)).toHaveLength(11);
  expect([...chat.rooms.keys()]).toEqual(['lobby']);
});

test('after a reconnect, rejoins refused with RATE_LIMITED are retried: every room is back', async () => {
  const { chat } = await registered(server, 'ana');
  await chat.join('random');
  server.drop();
  await server.settle();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let refusals = 3; // a reconnect storm behind one address: its history budget is spent
  server.on('room:join', (room) => (refusals-- > 0 ? refuse('RATE_LIMITED') : server.answer('room:join', room)));
  server.restore();
  await advance(5 * 1500);
  expect(chat.ready).toBe(true);
  expect([...server.joined]).toEqual(['lobby', 'random']);
});

test('presence changes the member list; comings and goings of others are notices, our own replay is not', async () => {
  server.member('lobby', 'bea');
  const { chat } = await registered(server, 'ana');
  server.emit('presence', { room: 'lobby', joined: 'cid', count: 3 });
  server.emit('presence', { room: 'lobby', renamed: { from: 'bea', to: 'beatrix' }, count: 3 });
  server.emit('presence', { room: 'lobby', left: 'ana', count: 2 }); // a replayed old departure: we are here
  server.emit('presence', { room: 'elsewhere', joined: 'dan', count: 1 });
  server.emit('presence:batch', { room: 'lobby', left: ['cid'], joined: ['eve', 'fay'], count: 4 });
  await server.settle();
  expect(chat.activeRoom?.members).toEqual(['ana', 'beatrix', 'eve', 'fay']);
  expect(notices(chat.activeRoom).map((n) => [n.kind, n.nick])).toEqual([
    ['joined', 'cid'],
    ['renamed', 'bea'],
  ]);
  expect(chat.rooms.has('elsewhere')).toBe(false);
});

test('a room opened from a link or the room attribute is remembered like one joined by hand', async () => {
  const ops = await registered(server, 'ana', { room: 'ops' });
  expect(storedSession().rooms).toEqual(['ops']);
  ops.host.detach();
  const support = openChat(server, { room: 'support' }); // another page of the site, same browser
  await server.settle();
  expect(support.chat.active).toBe('support');
  expect(storedSession().rooms).toEqual(['support', 'ops']);
  support.host.detach();
  const plain = openChat(server);
  await server.settle();
  expect(new Set(plain.chat.rooms.keys())).toEqual(new Set(['ops', 'support']));
});
