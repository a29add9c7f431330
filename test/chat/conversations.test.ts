import { expect, test } from 'vitest';
import type { ConversationInfo } from '../../server/protocol/events.js';
import {
  chatAs,
  chatSigned,
  collect,
  connectChat,
  nextEvent,
  LOOPBACK_CLIENT_LIMITS,
  settle,
  useFreshServer,
} from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { chatsAs, conversationsOf, expectInvisible, messagesIn, ok, refusal } from '../conversations.js';

// Issue 21 on one node (SQLite, and PostgreSQL in the postgres project): direct messages, private rooms, host-granted
// rooms and support conversations, with membership the server enforces. test/cluster/conversations.test.ts runs
// the same promises across two nodes.
const server = useFreshServer({ authSecret: TEST_AUTH_SECRET });

const user = (sub: string, name: string, extra: object = {}) => signJwt({ sub, name, ...extra });
const moderator = (sub: string, name: string) => signJwt({ sub, name, role: 'moderator' });

test('dm:open gives one room for two people, whoever opens it, at once or not, and both hear it unjoined', async () => {
  const [ana, bob] = await chatsAs(server.url, 'ana', 'bob');
  const [anaTold, bobTold] = [conversationsOf(ana), conversationsOf(bob)];
  const [fromAna, fromBob] = await Promise.all([
    ok(ana.emitWithAck('dm:open', { nick: 'bob' })),
    ok(bob.emitWithAck('dm:open', { nick: 'ana' })),
  ]);
  expect(fromAna.room).toBe(fromBob.room);
  expect(fromAna).toMatchObject({ kind: 'direct', members: expect.arrayContaining(['ana', 'bob']) });
  expect(fromAna.room).toMatch(/^_dm-/);
  const again = await ok(bob.emitWithAck('dm:open', { nick: 'ana' }));
  expect(again.room).toBe(fromAna.room);
  await expect.poll(() => anaTold.at(-1)).toMatchObject({ room: fromAna.room, kind: 'direct', title: '' });
  await expect.poll(() => bobTold.at(-1)?.room).toBe(fromAna.room);

  const bobHeard = messagesIn(bob, fromAna.room);
  await ok(ana.emitWithAck('message:send', { room: fromAna.room, text: 'psst' })); // no room:join by anyone
  await expect.poll(() => bobHeard().map((m) => m.text)).toEqual(['psst']);
  expect(await refusal(ana.emitWithAck('dm:open', { nick: 'nobody' }))).toBe('NOT_FOUND');
  expect(await refusal(ana.emitWithAck('dm:open', { nick: 'ana' }))).toBe('BAD_REQUEST');
});

test('to a non-member a conversation does not exist, even when it knows the name', async () => {
  const [ana, bob, eve] = await chatsAs(server.url, 'ana', 'bob', 'eve');
  const { room } = await ok(ana.emitWithAck('dm:open', { nick: 'bob' }));
  await expectInvisible(eve, room, ana);
  const privateRoom = await ok(ana.emitWithAck('room:create', { title: 'Plans', private: true }));
  await expectInvisible(eve, privateRoom.room, ana);
  await expectInvisible(bob, privateRoom.room, ana);
  expect(await refusal(eve.emitWithAck('room:invite', { room: privateRoom.room, nick: 'eve' }))).toBe('NOT_FOUND');
  expect(await refusal(eve.emitWithAck('conversation:leave', { room: privateRoom.room }))).toBe('NOT_FOUND');
  // typing does not reach it either, and rooms:list shows public rooms only
  const typing = collect(eve, 'typing');
  await ok(eve.emitWithAck('room:join', 'lobby'));
  await ok(ana.emitWithAck('room:join', 'lobby'));
  ana.emit('typing', { room });
  await settle(ana);
  await settle(eve);
  expect(typing).toEqual([]);
  const { rooms } = await ok(eve.emitWithAck('rooms:list'));
  expect(rooms.map((r) => r.name)).toEqual(['lobby']);
});

test('room:create chooses an unguessable name; the owner invites and removes, others may not', async () => {
  const [owner, bob, carl] = await chatsAs(server.url, 'owner', 'bob', 'carl');
  const created = await ok(owner.emitWithAck('room:create', { title: '  Launch plans ', private: true }));
  expect(created).toMatchObject({ kind: 'private', title: 'Launch plans', members: ['owner'] });
  expect(created.room).toMatch(/^_p-[A-Za-z0-9_-]{22}$/); // 128 random bits
  const other = await ok(owner.emitWithAck('room:create', { title: 'Launch plans', private: true }));
  expect(other.room).not.toBe(created.room);
  const { room } = created;

  const bobTold = conversationsOf(bob);
  expect(await ok(owner.emitWithAck('room:invite', { room, nick: 'bob' }))).toEqual({ ok: true, room, nick: 'bob' });
  await expect.poll(() => bobTold.at(-1)).toMatchObject({ room, kind: 'private', title: 'Launch plans' });
  expect(await refusal(bob.emitWithAck('room:invite', { room, nick: 'carl' }))).toBe('NOT_ALLOWED');
  expect(await refusal(bob.emitWithAck('room:kick', { room, nick: 'owner' }))).toBe('NOT_ALLOWED');
  expect(await refusal(owner.emitWithAck('room:invite', { room, nick: 'nobody' }))).toBe('NOT_FOUND');
  await ok(owner.emitWithAck('room:invite', { room, nick: 'carl' }));
  const joined = await ok(bob.emitWithAck('room:join', room));
  expect(joined.room).toBe(room);

  const { id } = await ok(bob.emitWithAck('message:send', { room, text: 'mine' }));
  await ok(bob.emitWithAck('message:edit', { room, id, text: 'mine, edited' }));
  const page = await ok(carl.emitWithAck('room:history', { room }));
  expect(page.messages.map((m) => m.text)).toEqual(['mine, edited']);

  const removed = nextEvent<{ room: string }>(bob, 'conversation:removed');
  const bobHeard = messagesIn(bob, room);
  expect(await ok(owner.emitWithAck('room:kick', { room, nick: 'bob' }))).toEqual({ ok: true, room, nick: 'bob' });
  expect(await removed).toEqual({ room });
  await ok(owner.emitWithAck('message:send', { room, text: 'after the kick' }));
  await expectInvisible(bob, room, owner);
  expect(bobHeard()).toEqual([]);
  expect(await refusal(owner.emitWithAck('room:kick', { room, nick: 'bob' }))).toBe('NOT_FOUND');

  await ok(carl.emitWithAck('conversation:leave', { room }));
  await expectInvisible(carl, room, owner);
  const { conversations } = await ok(owner.emitWithAck('conversations:list'));
  expect(conversations.find((c) => c.room === room)?.members).toEqual(['owner']);
});

test('a kick while the connection is cut: recovery brings neither the room nor what was said in it back', async () => {
  const owner = await chatAs(server.url, 'owner');
  const bob = await connectChat(server.url, 'websocket', { reconnection: true, reconnectionDelay: 50 });
  await ok(bob.emitWithAck('nick:register', 'bob'));
  const { room } = await ok(owner.emitWithAck('room:create', { title: 'Secret', private: true }));
  await ok(owner.emitWithAck('room:invite', { room, nick: 'bob' }));
  await ok(owner.emitWithAck('room:join', 'lobby'));
  await ok(bob.emitWithAck('room:join', 'lobby'));
  await ok(owner.emitWithAck('message:send', { room, text: 'before' }));
  const bobHeard = messagesIn(bob, room);
  await expect.poll(() => bobHeard().length).toBe(1);

  bob.io.reconnection(false);
  const bobId = bob.id!;
  bob.io.engine.close(); // a network drop: the server keeps bob's session for recovery
  await expect.poll(() => server.app.io.of('/chat').sockets.has(bobId)).toBe(false); // the server saw it go
  await ok(owner.emitWithAck('room:kick', { room, nick: 'bob' }));
  await ok(owner.emitWithAck('message:send', { room, text: 'said after the kick' }));
  await ok(owner.emitWithAck('message:send', { room: 'lobby', text: 'in the lobby' }));
  const lobby = messagesIn(bob, 'lobby');
  bob.io.reconnection(true);
  const back = new Promise<void>((resolve) => bob.once('connect', () => resolve()));
  bob.connect();
  await back;

  expect(bob.recovered).toBe(true);
  await expect.poll(() => lobby().map((m) => m.text)).toEqual(['in the lobby']); // the public room came back
  await settle(bob);
  expect(bobHeard().map((m) => m.text)).toEqual(['before']);
  await expectInvisible(bob, room, owner);
});

test("a signed user's DM and private rooms come back after a restart, with their history", async () => {
  const ana = await chatSigned(server.url, await user('u-ana', 'Ana'));
  const bob = await chatSigned(server.url, await user('u-bob', 'Bob'));
  const dm = await ok(ana.emitWithAck('dm:open', { nick: 'Bob' }));
  const team = await ok(ana.emitWithAck('room:create', { title: 'Team', private: true }));
  await ok(ana.emitWithAck('room:invite', { room: team.room, nick: 'Bob' }));
  await ok(ana.emitWithAck('message:send', { room: dm.room, text: 'hello Bob' }));
  await ok(bob.emitWithAck('message:send', { room: team.room, text: 'team news' }));

  await server.restart();
  const bobAgain = await chatSigned(server.url, await user('u-bob', 'Bob'));
  const { conversations } = await ok(bobAgain.emitWithAck('conversations:list'));
  expect(conversations.map((c) => [c.room, c.kind, c.lastMessage?.text])).toEqual([
    [team.room, 'private', 'team news'],
    [dm.room, 'direct', 'hello Bob'],
  ]);
  const history = await ok(bobAgain.emitWithAck('room:join', dm.room));
  expect(history.history.map((m) => m.text)).toEqual(['hello Bob']);
  const anaAgain = await chatSigned(server.url, await user('u-ana', 'Ana'));
  const heard = messagesIn(bobAgain, dm.room);
  await ok(anaAgain.emitWithAck('message:send', { room: dm.room, text: 'still here' }));
  await expect.poll(() => heard().map((m) => m.text)).toEqual(['still here']);
  expect((await ok(anaAgain.emitWithAck('dm:open', { nick: 'Bob' }))).room).toBe(dm.room);
});

test('host-granted rooms come with the token and go with a later token that lacks them', async () => {
  const claims = (rooms: string[]) => user('u-cleo', 'Cleo', { rooms });
  const cleo = await chatSigned(server.url, await claims(['acme-team', 'acme-ops']));
  const dan = await chatSigned(server.url, await user('u-dan', 'Dan', { rooms: ['acme-team'] }));
  const outsider = await chatAs(server.url, 'eve');
  const listed = await ok(cleo.emitWithAck('conversations:list'));
  expect(listed.conversations.map((c) => c.room).sort()).toEqual(['acme-ops', 'acme-team']);
  expect(listed.conversations.find((c) => c.room === 'acme-team')).toMatchObject({
    kind: 'private',
    title: 'acme-team',
    members: expect.arrayContaining(['Cleo', 'Dan']),
  });
  const heard = messagesIn(cleo, 'acme-team');
  await ok(dan.emitWithAck('message:send', { room: 'acme-team', text: 'standup?' }));
  await expect.poll(() => heard().map((m) => m.text)).toEqual(['standup?']);
  expect(await refusal(outsider.emitWithAck('room:join', 'acme-team'))).toBe('NOT_FOUND');
  expect(await refusal(outsider.emitWithAck('room:history', { room: 'acme-ops' }))).toBe('NOT_FOUND');
  expect(await refusal(cleo.emitWithAck('conversation:leave', { room: 'acme-team' }))).toBe('NOT_ALLOWED');

  const removed = nextEvent<{ room: string }>(cleo, 'conversation:removed');
  await ok(cleo.emitWithAck('auth:refresh', await claims(['acme-ops'])));
  expect(await removed).toEqual({ room: 'acme-team' });
  await expectInvisible(cleo, 'acme-team', dan);
  expect(await refusal(cleo.emitWithAck('message:send', { room: 'acme-team', text: 'hi' }))).toBe('NOT_FOUND');
  const { conversations } = await ok(cleo.emitWithAck('conversations:list'));
  expect(conversations.map((c) => c.room)).toEqual(['acme-ops']);
});

test('a token whose rooms claim is not a list of room names, or names a server room, is refused', async () => {
  for (const rooms of ['acme-team', ['has space'], ['_p-AAAAAAAAAAAAAAAAAAAAAA']]) {
    const socket = connectChat(server.url, 'websocket', { auth: { jwt: await user('u-x', 'X', { rooms }) } });
    await expect(socket).rejects.toMatchObject({ data: { code: 'AUTH_INVALID' } });
  }
});

test('support: one conversation per visitor, which every moderator sees and hears, and no other visitor', async () => {
  const early = await chatSigned(server.url, await moderator('m-1', 'Mia'));
  const inbox = conversationsOf(early);
  const [vera, walt] = await chatsAs(server.url, 'vera', 'walt');
  const first = await ok(vera.emitWithAck('support:open'));
  expect(first).toEqual({ ok: true, room: expect.stringMatching(/^_support-/), kind: 'support' });
  expect((await ok(vera.emitWithAck('support:open'))).room).toBe(first.room);
  const other = await ok(walt.emitWithAck('support:open'));
  expect(other.room).not.toBe(first.room);
  await expect.poll(() => inbox.map((c) => c.room)).toEqual(expect.arrayContaining([first.room, other.room]));
  expect(inbox.find((c) => c.room === first.room)).toMatchObject({ kind: 'support', title: 'vera' });

  const late = await chatSigned(server.url, await moderator('m-2', 'Max')); // signs in after the conversations opened
  const [earlyHeard, lateHeard] = [messagesIn(early, first.room), messagesIn(late, first.room)];
  await ok(vera.emitWithAck('message:send', { room: first.room, text: 'my order is late' }));
  await expect.poll(() => earlyHeard().map((m) => m.text)).toEqual(['my order is late']);
  await expect.poll(() => lateHeard().map((m) => m.text)).toEqual(['my order is late']);
  const veraHeard = messagesIn(vera, first.room);
  await ok(late.emitWithAck('message:send', { room: first.room, text: 'looking into it' }));
  await expect.poll(() => veraHeard().map((m) => m.text)).toEqual(['looking into it']);

  const modList = await ok(late.emitWithAck('conversations:list'));
  expect(modList.conversations.map((c) => c.room)).toEqual([first.room, other.room]);
  const veraList = await ok(vera.emitWithAck('conversations:list'));
  expect(veraList.conversations.map((c: ConversationInfo) => c.room)).toEqual([first.room]);
  await expectInvisible(walt, first.room, vera);
});

test('conversations do not count toward MAX_ROOMS_PER_SESSION, and have a cap of their own', async () => {
  const clientLimits = { ...LOOPBACK_CLIENT_LIMITS, maxRoomsPerSession: 1, maxConversationsPerPerson: 2 };
  await server.restartWith({ authSecret: TEST_AUTH_SECRET, clientLimits });
  const [ana, bob] = await chatsAs(server.url, 'ana', 'bob', 'cleo');
  await ok(ana.emitWithAck('dm:open', { nick: 'bob' }));
  await ok(ana.emitWithAck('room:join', 'lobby')); // the direct conversation took no room place
  expect(await refusal(ana.emitWithAck('room:join', 'second'))).toBe('LIMIT_EXCEEDED');
  await ok(ana.emitWithAck('dm:open', { nick: 'cleo' }));
  expect(await refusal(ana.emitWithAck('room:create', { title: 'one too many', private: true }))).toBe(
    'LIMIT_EXCEEDED',
  );
  const { room } = await ok(bob.emitWithAck('room:create', { title: 'full invitee', private: true }));
  expect(await refusal(bob.emitWithAck('room:invite', { room, nick: 'ana' }))).toBe('LIMIT_EXCEEDED');
  await ok(bob.emitWithAck('room:invite', { room, nick: 'cleo' }));
});
