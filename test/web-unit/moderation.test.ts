// @vitest-environment happy-dom
import { beforeEach, expect, test } from 'vitest';
import { FakeChatServer } from './fake-chat-server.js';
import { notices, openChat, registered, texts } from './harness.js';

// Roles, bans and unbans (web/chat/moderation.ts): the moderator's requests, the `notice` events every member
// gets, and the banned person's side of it.

let server: FakeChatServer;
beforeEach(() => {
  server = new FakeChatServer();
});

/** A signed moderator (the host site's token says so), in the lobby with bea and cid. */
async function moderator() {
  server.signedAs = { nick: 'mia', role: 'moderator' };
  for (const nick of ['bea', 'cid']) server.member('lobby', nick);
  const opened = openChat(server, { jwt: 'header.payload.signature' });
  await server.settle();
  return opened;
}

test('a signed user is named by the server: no nick:register, the rooms are joined after `identity`', async () => {
  const { chat } = await moderator();
  expect(server.handshakes[0]).toMatchObject({ jwt: 'header.payload.signature' });
  expect(server.sent('nick:register')).toEqual([]);
  expect([chat.nick, chat.ready, chat.active]).toEqual(['mia', true, 'lobby']);
  expect(chat.moderation.role).toBe('moderator');
  expect(chat.moderation.isModerator).toBe(true);
  expect(chat.activeRoom?.members).toEqual(['bea', 'cid', 'mia']);

  server.drop();
  await server.settle();
  server.restore();
  await server.settle();
  expect(server.sent('nick:register')).toEqual([]);
  expect(server.sent('room:join')).toEqual([['lobby'], ['lobby']]);
  expect(chat.ready).toBe(true);
});

test('a ban: the request, the member leaves the list, a notice says who, until when and why; unban lifts it', async () => {
  const { chat } = await moderator();
  await chat.moderation.ban('lobby', 'bea', 10, '  spam  ');
  expect(server.sent('room:ban')).toEqual([[{ room: 'lobby', nick: 'bea', minutes: 10, reason: 'spam' }]]);
  await server.settle();
  const lobby = chat.activeRoom;
  const until = lobby?.bans.get('bea');
  expect(until).toBeGreaterThan(Date.now());
  expect(lobby?.members).toEqual(['cid', 'mia']);
  expect(notices(lobby, 'banned')).toMatchObject([{ nick: 'bea', by: 'mia', until, reason: 'spam' }]);
  expect(chat.moderation.error).toBeUndefined();

  await chat.moderation.ban('lobby', 'cid', undefined, '   '); // no end, and a blank reason is none
  expect(server.sent('room:ban')[1]).toEqual([{ room: 'lobby', nick: 'cid' }]);
  await chat.moderation.unban('lobby', 'bea');
  await server.settle();
  expect(server.sent('room:unban')).toEqual([[{ room: 'lobby', nick: 'bea' }]]);
  expect([...(lobby?.bans ?? [])]).toEqual([['cid', null]]);
  server.unban('lobby', 'cid', 'admin'); // another moderator, or the admin API: only the notice says so
  await server.settle();
  expect(lobby?.bans.size).toBe(0);
  // the room gets `presence { left }` for a banned member, then the notice (docs/protocol.md, room:ban)
  expect(notices(lobby).map((n) => [n.kind, n.nick, n.by])).toEqual([
    ['left', 'bea', undefined],
    ['banned', 'bea', 'mia'],
    ['left', 'cid', undefined],
    ['banned', 'cid', 'mia'],
    ['unbanned', 'bea', 'mia'],
    ['unbanned', 'cid', 'admin'],
  ]);
});

test("a guest's ban is refused, and the error names the room", async () => {
  server.member('lobby', 'bea');
  const { chat } = await registered(server, 'ana');
  expect(chat.moderation.isModerator).toBe(false);
  await chat.moderation.ban('lobby', 'bea', 10);
  expect(chat.moderation.error).toMatchObject({ room: 'lobby', error: { code: 'NOT_ALLOWED' } });
  expect(chat.activeRoom?.members).toEqual(['ana', 'bea']);
  await chat.moderation.unban('lobby', 'bea');
  expect(chat.moderation.error).toMatchObject({ room: 'lobby', error: { code: 'NOT_ALLOWED' } });
});

test('banned yourself: the room says so and why; a retried send rejoins once the ban is lifted', async () => {
  const { chat } = await registered(server, 'ana');
  server.ban('lobby', 'ana', { by: 'mia', until: null, reason: 'flooding' });
  await server.settle();
  const lobby = chat.activeRoom;
  expect([lobby?.banned, lobby?.bannedFor]).toEqual([true, 'flooding']);
  expect(notices(lobby, 'banned')).toMatchObject([{ nick: 'ana', by: 'mia', until: null, reason: 'flooding' }]);

  chat.send('lobby', 'let me back in');
  await server.settle();
  const [entry] = chat.outbox.entries;
  expect(entry).toMatchObject({ status: 'failed', error: { code: 'BANNED' } });
  await chat.retry(entry!.clientId); // still banned: the join is refused, and so is the send
  await server.settle();
  expect(server.sent('room:join')).toEqual([['lobby'], ['lobby']]);
  expect(lobby?.banned).toBe(true);
  expect(chat.outbox.entries).toMatchObject([{ status: 'failed', error: { code: 'BANNED' } }]);

  server.unban('lobby', 'ana', 'mia'); // nobody tells a banned nick: it is not in the room any more
  await chat.retry(entry!.clientId);
  await server.settle();
  expect(lobby?.banned).toBe(false);
  expect(chat.outbox.entries).toEqual([]);
  expect(texts(lobby)).toEqual(['let me back in']);
});
