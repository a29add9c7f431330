import { expect, test } from 'vitest';
import { chatAs, chatSigned, type ChatClient, connectChat, nextEvent, settle } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { conversationsOf, expectInvisible, messagesIn, ok, refusal } from '../conversations.js';
import { startNodes, useNodes } from './cluster.js';

// Issue 21 across two nodes: membership changes reach every node, before the reply where the contract says so.
const cluster = useNodes(2, { authSecret: TEST_AUTH_SECRET });
const [nodeA, nodeB] = [() => cluster.nodes[0]!.url, () => cluster.nodes[1]!.url];

let counter = 0;
/** The file's tests share one Redis and PostgreSQL: each uses names and users of its own. */
const fresh = (name: string) => `${name}${++counter}x${Date.now() % 100_000}`;
const user = (sub: string, name: string, extra: object = {}) => signJwt({ sub, name, ...extra });

test('dm:open from both nodes at once gives one room, and messages cross between the nodes', async () => {
  const [a, b] = [fresh('ana'), fresh('bob')];
  const ana = await chatAs(nodeA(), a);
  const bob = await chatAs(nodeB(), b);
  const bobTold = conversationsOf(bob);
  const [fromAna, fromBob] = await Promise.all([
    ok(ana.emitWithAck('dm:open', { nick: b })),
    ok(bob.emitWithAck('dm:open', { nick: a })),
  ]);
  expect(fromAna.room).toBe(fromBob.room);
  await expect.poll(() => bobTold.at(-1)?.room).toBe(fromAna.room);
  const heard = messagesIn(bob, fromAna.room);
  await ok(ana.emitWithAck('message:send', { room: fromAna.room, text: 'across' }));
  await expect.poll(() => heard().map((m) => m.text)).toEqual(['across']);
  const eve = await chatAs(nodeB(), fresh('eve'));
  await expectInvisible(eve, fromAna.room, ana);
});

test("a kick on node A takes the person's sockets on both nodes out before the reply", async () => {
  const sub = fresh('u-bob');
  const bobName = fresh('Bob');
  const owner = await chatAs(nodeA(), fresh('owner'));
  const bobOnA = await chatSigned(nodeA(), await user(sub, bobName));
  const bobOnB = await chatSigned(nodeB(), await user(sub, bobName));
  const { room } = await ok(owner.emitWithAck('room:create', { title: 'Ops', private: true }));
  await ok(owner.emitWithAck('room:invite', { room, nick: bobName }));
  const heardOnB = messagesIn(bobOnB, room);
  await ok(owner.emitWithAck('message:send', { room, text: 'before' }));
  await expect.poll(() => heardOnB().length).toBe(1);

  const removedOnB = nextEvent<{ room: string }>(bobOnB, 'conversation:removed');
  const removedOnA = nextEvent<{ room: string }>(bobOnA, 'conversation:removed');
  await ok(owner.emitWithAck('room:kick', { room, nick: bobName }));
  // At once, with no wait: node B has applied the removal by the time the owner has its reply.
  expect(await refusal(bobOnB.emitWithAck('message:send', { room, text: 'still here?' }))).toBe('NOT_FOUND');
  await ok(owner.emitWithAck('message:send', { room, text: 'after' }));
  expect(await removedOnB).toEqual({ room });
  expect(await removedOnA).toEqual({ room });
  await settle(bobOnB);
  expect(heardOnB().map((m) => m.text)).toEqual(['before']);
  await expectInvisible(bobOnB, room, owner);
});

test('a kick on node A while the connection to node B is cut: its recovery does not restore the room', async () => {
  const owner = await chatAs(nodeA(), fresh('owner'));
  const bobName = fresh('bob');
  const bob = await connectChat(nodeB(), 'websocket', { reconnection: true, reconnectionDelay: 50 });
  await ok(bob.emitWithAck('nick:register', bobName));
  const { room } = await ok(owner.emitWithAck('room:create', { title: 'Secret', private: true }));
  await ok(owner.emitWithAck('room:invite', { room, nick: bobName }));
  const heard = messagesIn(bob, room);
  await ok(owner.emitWithAck('message:send', { room, text: 'before' }));
  await expect.poll(() => heard().length).toBe(1);

  bob.io.reconnection(false);
  const bobId = bob.id!;
  bob.io.engine.close(); // a network drop: node B keeps bob's session for recovery
  await expect.poll(() => cluster.nodes[1]!.app.io.of('/chat').sockets.has(bobId)).toBe(false);
  await ok(owner.emitWithAck('room:kick', { room, nick: bobName }));
  await ok(owner.emitWithAck('message:send', { room, text: 'after the kick' }));
  bob.io.reconnection(true);
  const back = new Promise<void>((resolve) => bob.once('connect', () => resolve()));
  bob.connect();
  await back;
  expect(bob.recovered).toBe(true);
  await settle(bob);
  expect(heard().map((m) => m.text)).toEqual(['before']);
  await expectInvisible(bob, room, owner);
});

test("a signed user's DM and private rooms come back after both nodes restart, with their history", async () => {
  const [anaSub, bobSub, anaName, bobName] = [fresh('u-ana'), fresh('u-bob'), fresh('Ana'), fresh('Bob')];
  const ana = await chatSigned(nodeA(), await user(anaSub, anaName));
  await chatSigned(nodeB(), await user(bobSub, bobName));
  const dm = await ok(ana.emitWithAck('dm:open', { nick: bobName }));
  const team = await ok(ana.emitWithAck('room:create', { title: 'Team', private: true }));
  await ok(ana.emitWithAck('room:invite', { room: team.room, nick: bobName }));
  await ok(ana.emitWithAck('message:send', { room: dm.room, text: 'hello' }));
  await ok(ana.emitWithAck('message:send', { room: team.room, text: 'team news' }));

  ana.disconnect();
  await Promise.all(cluster.nodes.map((node) => node.close()));
  const restarted = await startNodes(cluster.backing, 2, { authSecret: TEST_AUTH_SECRET });
  try {
    const bob = await chatSigned(restarted[1]!.url, await user(bobSub, bobName));
    const { conversations } = await ok(bob.emitWithAck('conversations:list'));
    expect(conversations.map((c) => [c.room, c.lastMessage?.text])).toEqual([
      [team.room, 'team news'],
      [dm.room, 'hello'],
    ]);
    const heard = messagesIn(bob, dm.room);
    const anaAgain = await chatSigned(restarted[0]!.url, await user(anaSub, anaName));
    await ok(anaAgain.emitWithAck('message:send', { room: dm.room, text: 'back' }));
    await expect.poll(() => heard().map((m) => m.text)).toEqual(['back']);
    anaAgain.disconnect();
    bob.disconnect();
  } finally {
    await Promise.all(restarted.map((node) => node.close()));
  }
});

test("host-granted rooms follow the token on every node: a later token's removal reaches node B", async () => {
  const [sub, name, room] = [fresh('u-cleo'), fresh('Cleo'), fresh('team')];
  const cleoOnA = await chatSigned(nodeA(), await user(sub, name, { rooms: [room] }));
  const cleoOnB = await chatSigned(nodeB(), await user(sub, name, { rooms: [room] }));
  const dan = await chatSigned(nodeB(), await user(fresh('u-dan'), fresh('Dan'), { rooms: [room] }));
  const heardOnB = messagesIn(cleoOnB, room);
  await ok(dan.emitWithAck('message:send', { room, text: 'standup' }));
  await expect.poll(() => heardOnB().map((m) => m.text)).toEqual(['standup']);

  const removed = nextEvent<{ room: string }>(cleoOnB, 'conversation:removed');
  await ok(cleoOnA.emitWithAck('auth:refresh', await user(sub, name, { rooms: [] })));
  expect(await removed).toEqual({ room });
  expect(await refusal(cleoOnB.emitWithAck('message:send', { room, text: 'hi' }))).toBe('NOT_FOUND');
  await expectInvisible(cleoOnB, room, dan);
});

test('support across nodes: one per visitor, every moderator hears it, visitors never see each other', async () => {
  const early = await chatSigned(nodeB(), await signJwt({ sub: fresh('m'), name: fresh('Mia'), role: 'moderator' }));
  const inbox = conversationsOf(early);
  const vera: ChatClient = await chatAs(nodeA(), fresh('vera'));
  const walt: ChatClient = await chatAs(nodeB(), fresh('walt'));
  const first = await ok(vera.emitWithAck('support:open'));
  expect((await ok(vera.emitWithAck('support:open'))).room).toBe(first.room);
  const other = await ok(walt.emitWithAck('support:open'));
  await expect.poll(() => inbox.map((c) => c.room)).toEqual(expect.arrayContaining([first.room, other.room]));

  const late = await chatSigned(nodeA(), await signJwt({ sub: fresh('m'), name: fresh('Max'), role: 'moderator' }));
  const [earlyHeard, lateHeard] = [messagesIn(early, first.room), messagesIn(late, first.room)];
  await ok(vera.emitWithAck('message:send', { room: first.room, text: 'help' }));
  await expect.poll(() => earlyHeard().map((m) => m.text)).toEqual(['help']);
  await expect.poll(() => lateHeard().map((m) => m.text)).toEqual(['help']);
  const veraHeard = messagesIn(vera, first.room);
  await ok(early.emitWithAck('message:send', { room: first.room, text: 'on it' }));
  await expect.poll(() => veraHeard().map((m) => m.text)).toEqual(['on it']);

  const listed = await ok(late.emitWithAck('conversations:list'));
  expect(listed.conversations.map((c) => c.room)).toEqual(expect.arrayContaining([first.room, other.room]));
  const own = await ok(walt.emitWithAck('conversations:list'));
  expect(own.conversations.map((c) => c.room)).toEqual([other.room]);
  await expectInvisible(walt, first.room, vera);
});
