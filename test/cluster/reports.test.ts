import { expect, test } from 'vitest';
import type { Report } from '../../server/protocol/reports.js';
import { ok } from '../conversations.js';
import { chatAs, chatSigned, collect, inRoom, sendText } from '../helpers.js';
import { TEST_AUTH_SECRET, signJwt } from '../jwt.js';
import { type TestNode, useNodes } from './cluster.js';

const ADMIN_TOKEN = 'cluster-admin-s3cret';
const cluster = useNodes(2, { adminToken: ADMIN_TOKEN, authSecret: TEST_AUTH_SECRET });

test('a report made on one node reaches a moderator on the other, and is resolved through either', async () => {
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  const mod = await chatSigned(b.url, await signJwt({ sub: 'mod-1', name: 'Mod', role: 'moderator' }));
  const reports = collect<Report>(mod, 'report');
  const [bea, ana] = [await inRoom(await chatAs(a.url, 'bea')), await inRoom(await chatAs(a.url, 'ana'))];
  const id = await sendText(bea, 'spam spam');
  await ok(ana.emitWithAck('message:report', { room: 'lobby', id, reason: 'spam' }));

  await expect
    .poll(() => reports)
    .toEqual([
      {
        id: expect.any(Number),
        room: 'lobby',
        messageId: id,
        author: 'bea',
        reporter: 'ana',
        reason: 'spam',
        at: expect.any(Number),
        state: 'open',
      },
    ]);
  const resolved = await fetch(`${a.url}/api/admin/reports/${reports[0]!.id}/resolve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'dismiss' }),
  });
  expect(resolved.status).toBe(200);
  await expect.poll(() => reports.map((r) => r.state)).toEqual(['open', 'dismissed']);
});
