import { expect, test } from 'vitest';
import type { ReadState } from '../../server/protocol/events.js';
import { chatAs, chatSigned, inRoom, nextEvent, sendText } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { ok } from '../conversations.js';
import { useNodes } from './cluster.js';

// Issue 22 across two nodes: a read on one node reaches the person's sockets on the other within a second, and a
// signed user's read state outlives the node it was made on.
const cluster = useNodes(2, { authSecret: TEST_AUTH_SECRET });
const [nodeA, nodeB] = [() => cluster.nodes[0]!.url, () => cluster.nodes[1]!.url];

let counter = 0;
/** The file's tests share one Redis and PostgreSQL: each uses names and users of its own. */
const fresh = (name: string) => `${name}${++counter}x${Date.now() % 100_000}`;

test("a read on node A reaches the same person's socket on node B within a second", async () => {
  const [room, jwt] = [fresh('lobby'), await signJwt({ sub: fresh('u'), name: fresh('Ana') })];
  const onA = await chatSigned(nodeA(), jwt);
  const onB = await chatSigned(nodeB(), jwt);
  const bob = await chatAs(nodeB(), fresh('bob'));
  await inRoom(onA, room);
  await inRoom(bob, room);
  const id = await sendText(bob, 'hello', room);
  const told = nextEvent<ReadState>(onB, 'read', 1000);
  const started = Date.now();
  await ok(onA.emitWithAck('room:read', { room, id }));
  expect(await told).toEqual({ room, readId: id, unread: 0, mentions: 0 });
  console.info(`read reached node B ${Date.now() - started} ms after it was sent on node A`);
});

test("a signed user's read state outlives the node it was made on", async () => {
  const [room, jwt] = [fresh('lobby'), await signJwt({ sub: fresh('u'), name: fresh('Ana') })];
  const ana = await chatSigned(nodeA(), jwt);
  const bob = await chatAs(nodeB(), fresh('bob'));
  await inRoom(ana, room);
  await inRoom(bob, room);
  const ids = [await sendText(bob, 'one', room), await sendText(bob, 'two', room)];
  await ok(ana.emitWithAck('room:read', { room, id: ids[0]! }));
  await cluster.nodes[0]!.close(); // node A goes away with ana's socket on it
  const again = await chatSigned(nodeB(), jwt);
  expect(await ok(again.emitWithAck('room:join', room))).toMatchObject({ readId: ids[0], unread: 1 });
});
