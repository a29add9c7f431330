// @vitest-environment happy-dom
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { MAX_ATTEMPTS } from '../../web/chat/outbox.js';
import { statusLabel } from '../../web/components/chat-app-parts.js';
import { FULL_RETRY_MS } from '../../web/connection/chat-connection.js';
import { ACK_TIMEOUT_MS } from '../../web/connection/request.js';
import { en } from '../../web/i18n/en.js';
import { FakeChatServer, refuse } from './fake-chat-server.js';
import { NO_REPLY } from './fake-server.js';
import { events, ids, messages, openChat, registered, storedSession, texts } from './harness.js';

// The ChatController against a fake server (see fake-server.ts): what a user checks in the chat's own logic,
// without a browser. What a person sees and does on the page stays in test/web/ (real Chromium).

let server: FakeChatServer;
beforeEach(() => {
  server = new FakeChatServer();
});
afterEach(() => {
  vi.useRealTimers();
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('a first nick is registered, joins the first room with its members and history, and is remembered', async () => {
  server.member('lobby', 'bea');
  server.seed('lobby', 3);
  const { chat, host } = openChat(server);
  const named = events(host, 'chat-nick-registered');
  await server.settle();
  expect(chat.connection.status).toBe('online');
  expect(chat.ready).toBe(false); // no nick yet: the form is shown, nothing is joined
  expect(server.sent('room:join')).toEqual([]);

  await chat.submitNick('ana');
  await server.settle();
  expect(server.sent('nick:register')).toEqual([['ana']]);
  expect([chat.nick, chat.ready, chat.active]).toEqual(['ana', true, 'lobby']);
  expect(chat.activeRoom?.members).toEqual(['ana', 'bea']);
  expect(texts(chat.activeRoom)).toEqual(['m1', 'm2', 'm3']);
  expect(named).toEqual([{ nick: 'ana' }]);
  expect(storedSession()).toMatchObject({ nick: 'ana', token: server.token, rooms: ['lobby'], lastRoom: 'lobby' });
});

test('a taken nick is refused with the reason and nothing is joined or remembered; another nick works', async () => {
  server.taken.add('ana');
  const { chat } = openChat(server);
  await chat.submitNick('ANA');
  expect(chat.nickError).toEqual({ nick: 'ANA', error: { code: 'NICK_TAKEN', message: expect.any(String) } });
  expect([chat.nick, chat.ready]).toEqual([undefined, false]);
  expect(server.sent('room:join')).toEqual([]);
  expect(storedSession().nick).toBeUndefined();

  await chat.submitNick('ana2');
  expect(chat.nickError).toBeUndefined();
  expect([chat.nick, chat.ready, chat.active]).toEqual(['ana2', true, 'lobby']);
});

test('a refused rename keeps the nick held, stored too; an accepted one renames without joining again', async () => {
  const { chat } = await registered(server, 'ana');
  server.taken.add('bea');
  await chat.submitNick('BEA');
  expect(chat.nickError).toMatchObject({ nick: 'BEA', error: { code: 'NICK_TAKEN' } });
  expect(chat.nick).toBe('ana');
  expect(storedSession().nick).toBe('ana');

  await chat.submitNick('anabel');
  await server.settle();
  expect([chat.nick, storedSession().nick, chat.nickError]).toEqual(['anabel', 'anabel', undefined]);
  expect(chat.activeRoom?.members).toEqual(['anabel']); // from the server's `renamed` presence
  expect(server.sent('room:join')).toEqual([['lobby']]);
});

test('join shows the room; joining a joined room switches to it; leaving shows another; all is remembered', async () => {
  const { chat, host } = await registered(server, 'ana');
  const changes = events(host, 'chat-room-change');
  server.member('random', 'bea');
  server.seed('random', 2);

  expect(await chat.join('random')).toBeUndefined();
  expect(chat.active).toBe('random');
  expect([...chat.rooms.keys()]).toEqual(['lobby', 'random']);
  expect(chat.rooms.get('random')?.members).toEqual(['ana', 'bea']);
  expect(texts(chat.rooms.get('random'))).toEqual(['m1', 'm2']);

  expect(await chat.join('lobby')).toBeUndefined();
  expect(chat.active).toBe('lobby');
  expect(server.sent('room:join')).toEqual([['lobby'], ['random']]); // lobby was joined already

  chat.select('random');
  await chat.leave('random');
  await server.settle();
  expect(server.sent('room:leave')).toEqual([['random']]);
  expect([...chat.rooms.keys()]).toEqual(['lobby']);
  expect(chat.active).toBe('lobby');
  expect(changes.map((c) => c.room)).toEqual(['random', 'lobby', 'random', 'lobby']);
  expect(storedSession()).toMatchObject({ rooms: ['lobby'], lastRoom: 'lobby' });
  // the other rooms' list is asked again after each join and leave (and after the first sync)
  expect(server.sent('rooms:list').length).toBeGreaterThanOrEqual(4);
});

test('a message goes out with a clientId, is shown once (its ack and its broadcast) and leaves the outbox', async () => {
  const { chat, host } = await registered(server, 'ana');
  const received = events(host, 'chat-message-received');
  chat.send('lobby', 'hello');
  expect(chat.outbox.entries).toMatchObject([{ room: 'lobby', text: 'hello', status: 'sending' }]);
  expect(storedSession().outbox).toMatchObject([{ room: 'lobby', text: 'hello' }]);
  const { clientId } = chat.outbox.entries[0]!;
  await server.settle();

  expect(chat.outbox.entries).toEqual([]);
  expect(server.sent('message:send')).toEqual([[{ room: 'lobby', text: 'hello', clientId }]]);
  expect(messages(chat.activeRoom)).toEqual([
    { id: 1, room: 'lobby', nick: 'ana', text: 'hello', ts: expect.any(Number), clientId },
  ]);
  expect(received).toEqual([{ message: expect.objectContaining({ text: 'hello' }), own: true }]);
  expect(storedSession().outbox).toEqual([]);
});

test('an ack that overtakes its broadcast (a cluster) still shows the message once', async () => {
  const { chat, host } = await registered(server, 'ana');
  const received = events(host, 'chat-message-received');
  server.holdBroadcasts = true;
  chat.send('lobby', 'hello');
  await server.settle();
  expect(texts(chat.activeRoom)).toEqual(['hello']); // from the ack
  expect(chat.outbox.entries).toEqual([]);
  server.releaseBroadcasts();
  await server.settle();
  expect(texts(chat.activeRoom)).toEqual(['hello']);
  expect(received).toHaveLength(1);
});

test('a refused message says why; retried it goes out again with its clientId, discarded it is gone', async () => {
  const { chat } = await registered(server, 'ana');
  let refusals = 2;
  server.on('message:send', (m) => (refusals-- > 0 ? refuse('RATE_LIMITED') : server.answer('message:send', m)));
  chat.send('lobby', 'first');
  chat.send('lobby', 'second');
  await server.settle();
  expect(chat.outbox.entries.map((e) => [e.text, e.status, e.error?.code])).toEqual([
    ['first', 'failed', 'RATE_LIMITED'],
    ['second', 'failed', 'RATE_LIMITED'],
  ]);
  const [first, second] = chat.outbox.entries.map((e) => e.clientId);
  chat.outbox.discard(second!);
  await chat.retry(first!);
  await server.settle();
  expect(texts(chat.activeRoom)).toEqual(['first']);
  expect(chat.outbox.entries).toEqual([]);
  expect(server.sent('message:send').map(([m]) => (m as { clientId: string }).clientId)).toEqual([
    first,
    second,
    first,
  ]);
});

test('an unanswered send is repeated with the same clientId, then shown as failed with TIMEOUT', async () => {
  const { chat } = await registered(server, 'ana');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  server.on('message:send', () => NO_REPLY);
  chat.send('lobby', 'into the void');
  for (let i = 1; i < MAX_ATTEMPTS; i++) {
    await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS);
    expect(chat.outbox.entries[0]?.status).toBe('sending');
  }
  await vi.advanceTimersByTimeAsync(ACK_TIMEOUT_MS);
  expect(chat.outbox.entries).toMatchObject([{ text: 'into the void', status: 'failed', error: { code: 'TIMEOUT' } }]);
  const sends = server.sent('message:send').map(([m]) => (m as { clientId: string }).clientId);
  expect(sends).toHaveLength(MAX_ATTEMPTS);
  expect(new Set(sends).size).toBe(1);
});

test('offline, messages wait as queued (and stored); back online they go out once each, in order', async () => {
  const { chat } = await registered(server, 'ana');
  server.drop();
  await server.settle();
  expect(chat.connection.status).toBe('offline');
  for (const text of ['one', 'two', 'three']) chat.send('lobby', text);
  await server.settle();
  expect(chat.outbox.entries.map((e) => e.status)).toEqual(['queued', 'queued', 'queued']);
  expect(storedSession().outbox).toHaveLength(3);
  expect(server.sent('message:send')).toEqual([]);

  server.restore();
  await server.settle();
  expect(server.sent('message:send').map(([m]) => (m as { text: string }).text)).toEqual(['one', 'two', 'three']);
  expect(texts(chat.activeRoom)).toEqual(['one', 'two', 'three']);
  expect(ids(chat.activeRoom)).toEqual([1, 2, 3]);
  expect(chat.outbox.entries).toEqual([]);
});

test('messages typed offline survive closing the page, and go out from the next one', async () => {
  const first = await registered(server, 'ana');
  server.drop();
  await server.settle();
  first.chat.send('lobby', 'typed in the tunnel');
  first.chat.send('lobby', 'and another');
  first.host.detach(); // the tab is closed
  server.restore();

  const next = openChat(server);
  await server.settle();
  expect(server.handshakes.at(-1)).toMatchObject({ token: server.token }); // the stored session's token
  expect(next.chat.nick).toBe('ana');
  expect(server.sent('message:send').map(([m]) => (m as { text: string }).text)).toEqual([
    'typed in the tunnel',
    'and another',
  ]);
  expect(texts(next.chat.activeRoom)).toEqual(['typed in the tunnel', 'and another']);
  expect(next.chat.outbox.entries).toEqual([]);
  expect(storedSession().outbox).toEqual([]);
});

test('scrolling up loads older pages with room:history { before }, down to the beginning of the room', async () => {
  server.seed('lobby', 120);
  const { chat } = await registered(server, 'ana');
  const lobby = chat.rooms.get('lobby');
  expect(ids(lobby)).toEqual(range(71, 120)); // the join's page
  expect(lobby?.hasOlder).toBe(true);

  await chat.loadOlder('lobby');
  expect(server.sent('room:history')).toEqual([[{ room: 'lobby', before: 71, limit: 50 }]]);
  expect(ids(lobby)).toEqual(range(21, 120));
  expect(lobby?.hasOlder).toBe(true);

  await chat.loadOlder('lobby');
  expect(ids(lobby)).toEqual(range(1, 120));
  expect(lobby?.hasOlder).toBe(false); // a short page: the beginning
  await chat.loadOlder('lobby');
  expect(server.sent('room:history')).toHaveLength(2);
});

test('one older page at a time: a scroll while a page loads asks for nothing more', async () => {
  server.seed('lobby', 60);
  const { chat } = await registered(server, 'ana');
  let release: () => void = () => undefined;
  server.on(
    'room:history',
    (query) => new Promise((resolve) => (release = () => resolve(server.answer('room:history', query)))),
  );
  const loading = chat.loadOlder('lobby');
  await server.settle();
  expect(chat.rooms.get('lobby')?.loadingOlder).toBe(true);
  await chat.loadOlder('lobby');
  expect(server.sent('room:history')).toHaveLength(1);
  release();
  await loading;
  expect(chat.rooms.get('lobby')?.loadingOlder).toBe(false);
  expect(ids(chat.rooms.get('lobby'))).toEqual(range(1, 60));
});

test('a window over the session cap says so, and tries again every FULL_RETRY_MS until there is a place', async () => {
  server.refuseNext('LIMIT_EXCEEDED');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const { chat } = openChat(server);
  await server.settle();
  expect(chat.connection.status).toBe('full');
  expect(statusLabel(chat, en.status)).toBe(en.status.full);
  await vi.advanceTimersByTimeAsync(FULL_RETRY_MS - 1);
  expect(server.handshakes).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  await server.settle();
  expect(server.handshakes).toHaveLength(2);
  expect(chat.connection.status).toBe('online');
});

test('an expired signed token ends the connection: the rights are gone and the status says why', async () => {
  server.signedAs = { nick: 'mia', role: 'user' };
  const { chat } = openChat(server, { jwt: 'header.payload.signature' });
  await server.settle();
  expect(chat.ready).toBe(true);
  server.emit('auth:expired', { code: 'AUTH_EXPIRED', message: 'the token expired' });
  server.kick(); // the server disconnects the namespace right after
  await server.settle();
  expect([chat.connection.connected, chat.ready, chat.auth.problem]).toEqual([false, false, 'AUTH_EXPIRED']);
  expect(statusLabel(chat, en.status)).toBe(en.status.authExpired);
});
