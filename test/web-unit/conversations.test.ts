// @vitest-environment happy-dom
import { beforeEach, expect, test } from 'vitest';
import { conversationName } from '../../web/chat/conversations.js';
import { FakeChatServer, refuse } from './fake-chat-server.js';
import { events, openChat, registered, storedSession, texts } from './harness.js';

// Private conversations as the client keeps them (web/chat/conversations.ts and the controller's glue): the list,
// the `conversation` and `conversation:removed` events, unread counts, and the support widget's one conversation.

let server: FakeChatServer;
beforeEach(() => {
  server = new FakeChatServer();
  for (const nick of ['bea', 'cid']) server.taken.add(nick);
});

const rooms = (chat: { conversations: { all(): { room: string }[] } }) => chat.conversations.all().map((c) => c.room);

test('the list is asked for once the nick is known, most recent first; a DM is named after the other member', async () => {
  server.conversations.byRoom.set('_dm-ana-bea', { kind: 'direct', title: '', members: ['ana', 'bea'] });
  server.conversations.byRoom.set('_p-team', { kind: 'private', title: 'Team', members: ['ana', 'cid'] });
  server.conversations.byRoom.set('_p-other', { kind: 'private', title: 'Not mine', members: ['cid'] });
  server.say('_p-team', 'cid', 'older');
  server.say('_dm-ana-bea', 'bea', 'newer');
  const { chat } = openChat(server);
  await server.settle();
  expect(server.sent('conversations:list')).toEqual([]); // no nick, no list
  await chat.submitNick('ana');
  await server.settle();
  expect(server.sent('conversations:list')).toHaveLength(1);
  expect(rooms(chat)).toEqual(['_dm-ana-bea', '_p-team']);
  const [dm, team] = chat.conversations.all();
  expect([conversationName(dm!, 'ana'), conversationName(team!, 'ana')]).toEqual(['bea', 'Team']);
  expect(dm?.lastMessage?.text).toBe('newer');
  // Conversations are not public rooms: they are not in the list of other rooms.
  expect(chat.directory.others.map((r) => r.name)).not.toContain('_dm-ana-bea');
});

test('a conversation event adds it in front; its messages count as unread until they are seen', async () => {
  const { chat, host } = await registered(server, 'ana');
  const received = events(host, 'chat-message-received');
  server.conversations.openedBy('_dm-ana-bea', { kind: 'direct', title: '', members: ['ana', 'bea'] });
  server.say('_dm-ana-bea', 'bea', 'are you there?');
  server.say('_dm-ana-bea', 'bea', 'hey @ana');
  await server.settle();
  expect(rooms(chat)).toEqual(['_dm-ana-bea']);
  expect(chat.conversations.get('_dm-ana-bea')).toMatchObject({ unread: 2, mentions: 1 });
  expect(chat.unread.totals).toEqual({ total: 2, mentions: 1 });
  expect(received.map((r) => r.message.text)).toEqual(['are you there?', 'hey @ana']);
  expect(chat.active).toBe('lobby'); // nothing switches by itself

  expect(await chat.openConversation('_dm-ana-bea')).toBeUndefined();
  expect(server.sent('room:join').at(-1)).toEqual(['_dm-ana-bea']);
  expect(chat.active).toBe('_dm-ana-bea');
  expect(texts(chat.activeRoom)).toEqual(['are you there?', 'hey @ana']);
  expect(chat.unread.totals).toEqual({ total: 2, mentions: 1 }); // opened is not read: the server's counts
  expect(chat.marker?.id).toBe(chat.activeRoom?.oldestId);
  chat.unread.seen('_dm-ana-bea', chat.activeRoom!.lastSeenId);
  expect(chat.unread.totals).toEqual({ total: 0, mentions: 0 });
  chat.send('_dm-ana-bea', 'yes!');
  await server.settle();
  expect(texts(chat.activeRoom)).toEqual(['are you there?', 'hey @ana', 'yes!']);
  expect(chat.conversations.get('_dm-ana-bea')?.lastMessage?.text).toBe('yes!');
});

test('a message of a conversation not known yet asks for the list again, and counts as unread', async () => {
  server.signedAs = { nick: 'mia', role: 'moderator' };
  const { chat } = openChat(server, { jwt: 'header.payload.signature' });
  await server.settle();
  // A visitor opened support; the moderator's sockets are in it, but no `conversation` event came.
  server.conversations.byRoom.set('_support-zoe', { kind: 'support', title: 'zoe', members: ['zoe'] });
  server.say('_support-zoe', 'zoe', 'my order is late');
  await server.settle();
  expect(server.sent('conversations:list')).toHaveLength(2);
  expect(chat.conversations.get('_support-zoe')).toMatchObject({ kind: 'support', title: 'zoe', unread: 1 });
  expect(chat.unread.totals.total).toBe(1);
});

test('conversation:removed of the room in view: it goes, another room is shown, and a notice says so', async () => {
  const { chat, host } = await registered(server, 'ana');
  server.conversations.openedBy('_p-1', { kind: 'private', title: 'Plans', members: ['ana', 'bea'], owner: 'bea' });
  await server.settle();
  await chat.openConversation('_p-1');
  const changes = events(host, 'chat-room-change');
  server.conversations.removeMe('_p-1');
  await server.settle();
  expect(rooms(chat)).toEqual([]);
  expect(chat.rooms.has('_p-1')).toBe(false);
  expect(chat.active).toBe('lobby');
  expect(changes).toEqual([{ room: 'lobby' }]);
  expect(chat.conversations.removed?.title).toBe('Plans');
  expect(storedSession().rooms).toEqual(['lobby']);
  chat.select('lobby'); // the same room: the notice stays
  expect(chat.conversations.removed).toBeDefined();
});

test('removed while offline: after the reconnect the list no longer has it, so it leaves the view', async () => {
  const { chat } = await registered(server, 'ana');
  server.conversations.openedBy('_p-1', { kind: 'private', title: 'Plans', members: ['ana', 'bea'], owner: 'bea' });
  await server.settle();
  await chat.openConversation('_p-1');
  server.drop();
  await server.settle();
  const c = server.conversations.byRoom.get('_p-1')!;
  c.members = ['bea']; // kicked while away: the event was lost with the connection
  server.restore();
  await server.settle();
  await server.settle();
  expect(server.sent('conversations:list')).toHaveLength(2);
  expect(rooms(chat)).toEqual([]);
  expect([...chat.rooms.keys()]).toEqual(['lobby']);
  expect(chat.active).toBe('lobby');
});

test('a remembered conversation that answers NOT_FOUND (a guest whose session ended) is forgotten', async () => {
  localStorage.setItem(
    `chat-session:${location.origin}`,
    JSON.stringify({ nick: 'ana', rooms: ['lobby', '_dm-old'], lastRoom: '_dm-old' }),
  );
  server.conversations.byRoom.set('_dm-old', { kind: 'direct', title: '', members: ['ann', 'bea'] });
  const { chat } = openChat(server);
  await server.settle();
  await server.settle();
  expect([...chat.rooms.keys()]).toEqual(['lobby']);
  expect(chat.active).toBe('lobby');
  expect(storedSession().rooms).toEqual(['lobby']);
});

test('Message next to a member opens the DM and shows it; nobody holding the nick is NOT_FOUND', async () => {
  const { chat } = await registered(server, 'ana');
  await chat.openDirect('bea');
  expect(server.sent('dm:open')).toEqual([[{ nick: 'bea' }]]);
  expect(chat.active).toBe('_dm-ana-bea');
  await server.settle();
  expect(rooms(chat)).toEqual(['_dm-ana-bea']); // the reply and the event are one conversation
  await chat.openDirect('nobody');
  expect(chat.conversations.error).toMatchObject({ error: { code: 'NOT_FOUND' } });
  expect(chat.active).toBe('_dm-ana-bea');
});

test('a private room: created and shown, invite and remove by its creator, refusals kept for the UI', async () => {
  const { chat } = await registered(server, 'ana');
  expect(await chat.createPrivate('  Launch  ')).toBe(true);
  expect(server.sent('room:create')).toEqual([[{ title: '  Launch  ', private: true }]]);
  const room = chat.active!;
  expect(room).toMatch(/^_p-/);
  expect(chat.conversations.get(room)).toMatchObject({ kind: 'private', title: 'Launch', members: ['ana'] });
  expect(chat.conversations.createdHere(room)).toBe(true);

  expect(await chat.conversations.invite(room, 'bea')).toBe(true);
  expect(chat.conversations.get(room)?.members).toEqual(['ana', 'bea']);
  expect(await chat.conversations.invite(room, 'ghost')).toBe(false);
  expect(chat.conversations.error).toMatchObject({ room, error: { code: 'NOT_FOUND' } });
  expect(await chat.conversations.kick(room, 'bea')).toBe(true);
  expect(chat.conversations.get(room)?.members).toEqual(['ana']);
  expect(chat.conversations.error).toBeUndefined();

  server.conversations.openedBy('_p-theirs', {
    kind: 'private',
    title: 'Theirs',
    members: ['ana', 'cid'],
    owner: 'cid',
  });
  await server.settle();
  expect(chat.conversations.createdHere('_p-theirs')).toBe(false);
  expect(await chat.conversations.kick('_p-theirs', 'cid')).toBe(false);
  expect(chat.conversations.error).toMatchObject({ room: '_p-theirs', error: { code: 'NOT_ALLOWED' } });
});

test('a refused create says why and shows nothing new', async () => {
  const { chat } = await registered(server, 'ana');
  server.on('room:create', () => refuse('LIMIT_EXCEEDED'));
  expect(await chat.createPrivate('One too many')).toBe(false);
  expect(chat.conversations.error).toMatchObject({ room: '', error: { code: 'LIMIT_EXCEEDED' } });
  expect([chat.active, rooms(chat)]).toEqual(['lobby', []]);
});

test('leaving a private room takes it out of the list and the view, without a notice', async () => {
  const { chat } = await registered(server, 'ana');
  await chat.createPrivate('Short-lived');
  const room = chat.active!;
  expect(await chat.conversations.leave(room)).toBe(true);
  expect(server.sent('conversation:leave')).toEqual([[{ room }]]);
  expect([chat.active, rooms(chat), chat.rooms.has(room)]).toEqual(['lobby', [], false]);
  expect(chat.conversations.removed).toBeUndefined();
});

test('the last room removed: the lobby is joined, so there is always a room to show', async () => {
  const { chat } = await registered(server, 'ana');
  await chat.createPrivate('Only');
  const room = chat.active!;
  await chat.leave('lobby');
  expect([...chat.rooms.keys()]).toEqual([room]);
  server.conversations.removeMe(room);
  await server.settle();
  expect(chat.active).toBe('lobby');
});

test('support widget: after the nick it opens the support conversation and shows only that', async () => {
  localStorage.setItem(
    `chat-session:${location.origin}`,
    JSON.stringify({ rooms: ['lobby', 'random'], lastRoom: 'random' }),
  );
  const { chat } = openChat(server, { support: true });
  await server.settle();
  expect([chat.active, server.sent('support:open')]).toEqual([undefined, []]);
  await chat.submitNick('zoe');
  await server.settle();
  expect(server.sent('support:open')).toHaveLength(1);
  expect(server.sent('room:join')).toEqual([['_support-zoe']]);
  expect([...chat.rooms.keys()]).toEqual(['_support-zoe']);
  expect(chat.active).toBe('_support-zoe');
  expect(server.sent('conversations:list')).toEqual([]); // no list to show
  chat.send('_support-zoe', 'hello team');
  await server.settle();
  expect(texts(chat.activeRoom)).toEqual(['hello team']);
  // The full chat of the same site keeps what it remembered.
  expect(storedSession()).toMatchObject({ rooms: ['lobby', 'random'], lastRoom: 'random' });

  server.drop();
  await server.settle();
  server.restore();
  await server.settle();
  expect(server.sent('room:join')).toEqual([['_support-zoe'], ['_support-zoe']]);
  expect(server.sent('support:open')).toHaveLength(1);
});
