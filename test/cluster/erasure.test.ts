import { expect, test } from 'vitest';
import type { MessageDeleted } from '../../server/protocol/events.js';
import { chatSigned, collect, inRoom, nextEvent, sendText } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { type TestNode, useNodes } from './cluster.js';

const ADMIN_TOKEN = 'cluster-admin-s3cret';
const cluster = useNodes(2, { adminToken: ADMIN_TOKEN, authSecret: TEST_AUTH_SECRET });

test('an erasure through one node disconnects the user’s sockets on both within 2 s, and both rooms hear it', async () => {
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  const jwt = await signJwt({ sub: 'user-ana', name: 'Ana' });
  const [onA, onB] = [await inRoom(await chatSigned(a.url, jwt)), await inRoom(await chatSigned(b.url, jwt))];
  const bob = await inRoom(await chatSigned(b.url, await signJwt({ sub: 'user-bob', name: 'Bob' })));
  const id = await sendText(onA, 'ana was here');
  const deleted = collect<MessageDeleted>(bob, 'message:deleted');
  const gone = [onA, onB].map((socket) => nextEvent<string>(socket, 'disconnect', 2000));
  const started = performance.now();

  const res = await fetch(`${a.url}/api/admin/users/user-ana`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(await res.json()).toEqual({ ok: true, messages: 1 });
  expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
  expect(performance.now() - started).toBeLessThan(2000);
  await expect.poll(() => deleted).toEqual([{ id, room: 'lobby' }]);
  expect(bob.connected).toBe(true);
});
