// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { statusLabel } from '../../web/components/chat-app-parts.js';
import { RESYNC_RETRIES, RESYNC_RETRY_MS } from '../../web/chat/resync.js';
import { ACK_TIMEOUT_MS } from '../../web/connection/request.js';
import { en } from '../../web/i18n/en.js';
import { FakeChatServer, refuse } from './fake-chat-server.js';
import { NO_REPLY } from './fake-server.js';
import { events, ids, messages, notices, openChat, registered, storedSession, texts } from './harness.js';

// What a new connection does before messages can go out (web/chat/resync.ts): unless Socket.IO recovered it,
// the nick again, every room joined again, and what was missed fetched, each message once.

let server: FakeChatServer;
beforeEach(() => {
  server = new FakeChatServer();
});
afterEach(() => {
  vi.useRealTimers();
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Cuts the connection and waits until the client has seen it. */
async function cut(): Promise<void> {
  server.drop();
  await server.settle();
}

/** The server is back; `recovered`: Socket.IO gets the connection's state back. */
async function back(recovered = false): Promise<void> {
  server.restore({ recovered });
  await server.settle();
}

test('a reconnect that is not recovered: the nick again, every room rejoined, the missed messages once each', async () => {
  server.seed('lobby', 3);
  const { chat } = await registered(server, 'ana');
  await chat.join('random');
  server.seed('random', 2);
  await server.settle();
  chat.select('lobby');
  await cut();
  expect([chat.connection.status, chat.ready]).toEqual(['offline', false]);
  const missed = [...server.seed('lobby', 2, 'cid'), ...server.seed('random', 3, 'cid')];

  await back();
  expect(server.handshakes.at(-1)).toMatchObject({ token: server.token, pid: expect.any(String) }); // asked to recover
  expect(server.sent('nick:register')).toEqual([['ana'], ['ana']]);
  expect(server.sent('room:join').slice(-2)).toEqual([['lobby'], ['random']]);
  const [lobby, random] = [chat.rooms.get('lobby'), chat.rooms.get('random')];
  expect(ids(lobby)).toEqual([1, 2, 3, missed[0]!.id, missed[1]!.id]);
  expect(texts(random)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  expect(chat.ready).toBe(true);
  expect(chat.syncNote).toEqual({ kind: 'caught-up', count: 5 });
  expect(statusLabel(chat, en.status)).toBe('Reconnected and caught up (5 missed messages)');
  expect(notices(lobby, 'caught-up')).toMatchObject([{ count: 2 }]);
  expect(notices(random, 'caught-up')).toMatchObject([{ count: 3 }]);
  // the join replies' counts: nothing was seen (no page shows them here), in view or not
  expect([lobby?.unread, random?.unread]).toEqual([2, 5]);
});

test('a gap longer than the join page is fetched with room:history { after } pages, exactly', async () => {
  server.seed('lobby', 5);
  const { chat } = await registered(server, 'ana');
  await cut();
  server.seed('lobby', 175, 'cid');
  await back();
  expect(server.sent('room:history')).toEqual([
    [{ room: 'lobby', after: 5, limit: 100 }],
    [{ room: 'lobby', after: 105, limit: 100 }],
  ]);
  expect(ids(chat.activeRoom)).toEqual(range(1, 180));
  expect(chat.syncNote).toEqual({ kind: 'caught-up', count: 175 });
});

test('a reconnect that missed nothing says so, not "caught up on 0 missed messages"', async () => {
  server.seed('lobby', 2);
  const { chat } = await registered(server, 'ana');
  chat.send('lobby', 'hello');
  await server.settle();
  await cut();
  await back();
  expect(server.sent('room:join')).toHaveLength(2);
  expect(chat.syncNote).toEqual({ kind: 'recovered' });
  expect(statusLabel(chat, en.status)).toBe('Reconnected, nothing missed');
  expect(notices(chat.activeRoom, 'caught-up')).toEqual([]);
  expect(texts(chat.activeRoom)).toEqual(['m1', 'm2', 'hello']);
});

test('a re-registration that gets no answer, then a "not now", is tried again: rooms and missed messages come back', async () => {
  server.seed('lobby', 2);
  const { chat } = await registered(server, 'ana');
  await cut();
  server.seed('lobby', 1, 'cid');
  let attempt = 0;
  server.on('nick:register', (nick) => {
    attempt++;
    if (attempt === 1) return NO_REPLY;
    if (attempt === 2) return refuse('RATE_LIMITED', 'too many requests, retry in 1 s');
    return server.answer('nick:register', nick);
  });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  await back();
  expect(chat.syncNote).toBeUndefined();
  await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS + 2 * RESYNC_RETRY_MS);
  expect(server.sent('nick:register')).toEqual([['ana'], ['ana'], ['ana'], ['ana']]);
  expect([chat.ready, chat.nick, chat.nickError]).toEqual([true, 'ana', undefined]);
  expect(chat.syncNote).toEqual({ kind: 'caught-up', count: 1 });
  expect(ids(chat.activeRoom)).toEqual([1, 2, 3]);
});

test('a rejoin that gets no answer is tried again: the room is joined and caught up, not shown as "nothing missed"', async () => {
  server.seed('lobby', 2);
  const { chat } = await registered(server, 'ana');
  await cut();
  server.seed('lobby', 2, 'cid');
  let attempt = 0;
  server.on('room:join', (room) => (++attempt === 1 ? NO_REPLY : server.answer('room:join', room)));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  await back();
  await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS + RESYNC_RETRY_MS);
  expect(server.sent('room:join')).toEqual([['lobby'], ['lobby'], ['lobby']]);
  expect(chat.syncNote).toEqual({ kind: 'caught-up', count: 2 });
  expect(ids(chat.activeRoom)).toEqual([1, 2, 3, 4]);
});

test('a re-registration is not tried forever, and a refusal that means "no" is not tried again', async () => {
  const { chat } = await registered(server, 'ana');
  await cut();
  server.on('nick:register', () => NO_REPLY);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  await back();
  await vi.advanceTimersByTimeAsync(10 * (ACK_TIMEOUT_MS + RESYNC_RETRY_MS));
  expect(server.sent('nick:register')).toHaveLength(1 + 1 + RESYNC_RETRIES);
  expect(chat.ready).toBe(false);

  await cut();
  server.on('nick:register', () => refuse('NICK_TAKEN', 'ana is taken'));
  await back();
  await vi.advanceTimersByTimeAsync(10 * RESYNC_RETRY_MS);
  expect(server.sent('nick:register')).toHaveLength(1 + 1 + RESYNC_RETRIES + 1);
  expect(chat.nickError?.error.code).toBe('NICK_TAKEN');
});

test('a recovered reconnect asks for nothing again: the missed events are replayed, members refreshed', async () => {
  server.member('lobby', 'bea');
  const { chat } = await registered(server, 'ana');
  server.say('lobby', 'bea', 'before the tunnel'); // its offset is what the client asks to recover from
  server.emit('presence', { room: 'lobby', left: 'bea', count: 1 });
  await server.settle();
  await cut();
  server.member('lobby', 'cid');
  server.say('lobby', 'bea', 'while you blinked'); // kept for the recovery
  await back(true);
  expect(server.handshakes.at(-1)).toMatchObject({ pid: 'pid-1', offset: expect.stringMatching(/^offset-/) });
  expect(chat.connection.socket?.recovered).toBe(true);
  expect(server.sent('nick:register')).toHaveLength(1);
  expect(server.sent('room:join')).toHaveLength(1);
  expect(server.sent('room:members')).toEqual([['lobby']]);
  expect(texts(chat.activeRoom)).toEqual(['before the tunnel', 'while you blinked']);
  expect(chat.activeRoom?.members).toEqual(['ana', 'bea', 'cid']); // from room:members
  expect([chat.ready, chat.syncNote]).toEqual([true, { kind: 'recovered' }]);
  expect(notices(chat.activeRoom, 'caught-up')).toEqual([]);
});

test('after a reconnect that is not recovered, edits and deletions made meanwhile replace what is shown', async () => {
  const [one, two] = [server.say('lobby', 'bea', 'one'), server.say('lobby', 'bea', 'two')];
  const { chat } = await registered(server, 'ana');
  expect(texts(chat.activeRoom)).toEqual(['one', 'two']);
  await cut();
  server.editBy('lobby', one.id, 'one, edited');
  server.deleteBy('lobby', two.id);
  await back();
  expect(messages(chat.activeRoom)).toEqual([
    { ...one, text: 'one, edited', editedAt: expect.any(Number) },
    { id: two.id, room: 'lobby', nick: 'bea', ts: two.ts, text: '', deleted: true },
  ]);
});

test('a nick taken while away is forgotten and the form says why; a new nick joins the rooms again', async () => {
  const { chat } = await registered(server, 'ana');
  await chat.join('random');
  await cut();
  server.token = undefined; // the session ended on the server, and someone took the nick
  server.taken.add('ana');
  await back();
  expect(chat.nickError).toMatchObject({ nick: 'ana', error: { code: 'NICK_TAKEN' } });
  expect([chat.nick, storedSession().nick, chat.ready]).toEqual([undefined, undefined, false]);
  expect(server.sent('room:join')).toHaveLength(2); // nothing rejoined without a nick

  await chat.submitNick('ana2');
  await server.settle();
  expect(server.sent('room:join').slice(-2)).toEqual([['lobby'], ['random']]);
  expect([chat.nick, chat.ready]).toEqual(['ana2', true]);
});

test('a reload keeps the nick (with its token) and the rooms, and shows the room last in view', async () => {
  const first = await registered(server, 'ana');
  await first.chat.join('books');
  first.chat.select('lobby');
  first.chat.select('books');
  first.host.detach();

  const { chat } = openChat(server);
  await server.settle();
  expect(server.handshakes.at(-1)).toMatchObject({ token: server.token });
  expect([chat.nick, chat.ready, chat.active]).toEqual(['ana', true, 'books']);
  expect(new Set(chat.rooms.keys())).toEqual(new Set(['books', 'lobby']));
  // a link to a room wins over the one last in view
  const linked = openChat(server, { room: 'lobby' });
  await server.settle();
  expect(linked.chat.active).toBe('lobby');
});

test('a room the server refuses when rejoining (a bad link) is dropped, and the lobby is joined instead', async () => {
  const { chat } = await registered(server, 'ana', { room: 'no spaces allowed' });
  expect(server.sent('room:join')).toEqual([['no spaces allowed'], ['lobby']]);
  expect([...chat.rooms.keys()]).toEqual(['lobby']);
  expect(chat.active).toBe('lobby');
  expect(storedSession().rooms).toEqual(['lobby']);
});

test('a guest the server renames (a signed user took the nick) takes the new nick, and stays in its rooms', async () => {
  const { chat, host } = await registered(server, 'ana');
  const named = events(host, 'chat-nick-registered');
  server.nick = 'ana-2';
  server.emit('identity', { nick: 'ana-2', role: 'guest' });
  await server.settle();
  expect([chat.nick, storedSession().nick, chat.ready]).toEqual(['ana-2', 'ana-2', true]);
  expect(named).toEqual([{ nick: 'ana-2' }]);
  expect(server.sent('room:join')).toEqual([['lobby']]);
});
