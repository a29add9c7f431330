import { expect, test } from 'vitest';
import type { Message, Notice, Presence } from '../../server/protocol/events.js';
import { chatAs, chatSigned, collect, connectChat, identitiesOf, settle } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { useNodes } from './cluster.js';

const cluster = useNodes(2, { authSecret: TEST_AUTH_SECRET });

let counter = 0;
/** Tests of this file share one Redis and PostgreSQL (bans included): each uses rooms and names of its own. */
const fresh = (name: string) => `${name}${++counter}x${Date.now() % 100_000}`;
const [nodeA, nodeB] = [() => cluster.nodes[0]!.url, () => cluster.nodes[1]!.url];

test('a ban issued on node A holds for a user on node B: out of the room there, BANNED on join and send', async () => {
  const room = fresh('lobby');
  const [b, c] = [fresh('bea'), fresh('cy')];
  const bea = await chatAs(nodeB(), b);
  const cy = await chatAs(nodeB(), c);
  await bea.emitWithAck('room:join', room);
  await cy.emitWithAck('room:join', room);
  const presence = collect<Presence>(cy, 'presence');
  const notices = collect<Notice>(bea, 'notice');
  const mod = await chatSigned(nodeA(), await signJwt({ sub: fresh('m'), name: fresh('Mod'), role: 'moderator' }));

  const ban = await mod.emitWithAck('room:ban', { room, nick: b });
  expect(ban).toMatchObject({ ok: true, room, nick: b, until: null });
  await expect.poll(() => presence).toEqual([{ room, left: b, count: 1 }]);
  await expect.poll(() => notices).toMatchObject([{ room, type: 'ban', nick: b }]);
  expect(await bea.emitWithAck('message:send', { room, text: 'x' })).toMatchObject({
    ok: false,
    error: { code: 'BANNED' },
  });
  expect(await bea.emitWithAck('room:join', room)).toMatchObject({ ok: false, error: { code: 'BANNED' } });
  // node B took bea's socket out of the room: the room's messages no longer reach it
  const beaMessages = collect<Message>(bea, 'message');
  const cyMessages = collect<Message>(cy, 'message');
  await mod.emitWithAck('room:join', room);
  await mod.emitWithAck('message:send', { room, text: 'after the ban' });
  await expect.poll(() => cyMessages.length).toBe(1);
  await settle(bea);
  expect(beaMessages).toEqual([]);

  expect(await mod.emitWithAck('room:unban', { room, nick: b })).toMatchObject({ ok: true });
  expect(await bea.emitWithAck('room:join', room)).toMatchObject({ ok: true });
});

test('a signed name is owned across nodes: a guest on node B cannot register it', async () => {
  const name = fresh('Ana');
  await chatSigned(nodeA(), await signJwt({ sub: fresh('u'), name }));
  const guest = await connectChat(nodeB());
  expect(await guest.emitWithAck('nick:register', name.toUpperCase())).toMatchObject({
    ok: false,
    error: { code: 'NICK_TAKEN' },
  });
});

test('a guest holding the name on node B is renamed when the signed user connects on node A', async () => {
  const [name, room] = [fresh('zed'), fresh('lobby')];
  const guest = await chatAs(nodeB(), name);
  const watcher = await chatAs(nodeB(), fresh('w'));
  await guest.emitWithAck('room:join', room);
  await watcher.emitWithAck('room:join', room);
  const presence = collect<Presence>(watcher, 'presence');
  const user = await chatSigned(nodeA(), await signJwt({ sub: fresh('u'), name }));
  expect(identitiesOf(user)).toEqual([{ nick: name, role: 'user' }]);
  await expect.poll(() => identitiesOf(guest)).toEqual([{ nick: `${name}-2`, role: 'guest' }]);
  await expect.poll(() => presence).toEqual([{ room, renamed: { from: name, to: `${name}-2` }, count: 2 }]);
  expect(await user.emitWithAck('room:join', room)).toMatchObject({
    ok: true,
    members: [name, `${name}-2`, expect.any(String)].sort(),
  });
});

test('one sub on two nodes is one member of presence', async () => {
  const [name, room, sub] = [fresh('Una'), fresh('lobby'), fresh('u')];
  const watcher = await chatAs(nodeA(), fresh('w'));
  await watcher.emitWithAck('room:join', room);
  const presence = collect<Presence>(watcher, 'presence');
  const onA = await chatSigned(nodeA(), await signJwt({ sub, name }));
  const onB = await chatSigned(nodeB(), await signJwt({ sub, name }));
  expect(identitiesOf(onB)).toEqual([{ nick: name, role: 'user' }]);
  await onA.emitWithAck('room:join', room);
  await onB.emitWithAck('room:join', room);
  await settle(watcher);
  expect(presence).toEqual([{ room, joined: name, count: 2 }]);
});

test('MAX_SOCKETS_PER_SESSION holds for a signed user whose sockets arrive at once on two nodes', async () => {
  const jwt = await signJwt({ sub: fresh('u'), name: fresh('Many') });
  const urls = Array.from({ length: 40 }, (_, i) => (i % 2 ? nodeA() : nodeB()));
  const outcomes = await Promise.all(
    urls.map((url) =>
      connectChat(url, 'websocket', { auth: { jwt } }).then(
        () => 'connected',
        (err: { data?: { code?: string } }) => err.data?.code ?? 'error',
      ),
    ),
  );
  expect(outcomes.filter((o) => o === 'connected')).toHaveLength(10); // the default cap
  expect(outcomes.filter((o) => o !== 'connected').every((o) => o === 'LIMIT_EXCEEDED')).toBe(true);
});

test("a guest's rename reaches the rooms its tabs on other nodes are in, once, and their members list", async () => {
  const [x, y, nick, renamed] = [fresh('x'), fresh('y'), fresh('tab'), fresh('renamed')];
  const onA = await chatAs(nodeA(), nick);
  const token = (await onA.emitWithAck('nick:register', nick)) as { ok: true; token: string };
  await onA.emitWithAck('room:join', x);
  const onB = await connectChat(nodeB(), 'websocket', { auth: { token: token.token } });
  await onB.emitWithAck('room:join', y);
  const watcher = await chatAs(nodeB(), fresh('w'));
  await watcher.emitWithAck('room:join', y);
  const seen = collect<Presence>(watcher, 'presence');

  expect(await onA.emitWithAck('nick:register', renamed)).toMatchObject({ ok: true, nick: renamed });
  await expect
    .poll(() => seen.filter((p) => p.renamed))
    .toEqual([{ room: y, renamed: { from: nick, to: renamed }, count: 2 }]);
  const members = await watcher.emitWithAck('room:members', y);
  expect(members.ok && members.members).toContain(renamed);
  expect(members.ok && members.members).not.toContain(nick);
});
