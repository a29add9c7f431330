import { expect, test } from 'vitest';
import type { AdminOverview } from '../../server/protocol/admin-console.js';
import { chatAs, connectNews, inRoom, sendText } from '../helpers.js';
import { type TestNode, useNodes } from './cluster.js';

const ADMIN_TOKEN = 'cluster-admin-s3cret';
const cluster = useNodes(2, { adminToken: ADMIN_TOKEN });

async function overview(node: TestNode): Promise<AdminOverview> {
  const res = await fetch(`${node.url}/api/admin/overview`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as AdminOverview;
}

test('the overview read through one node lists every node with its counts and health, and the totals', async () => {
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  const bea = await inRoom(await chatAs(a.url, 'bea'));
  await chatAs(b.url, 'cy');
  await connectNews(b.url);
  await connectNews(b.url);
  await sendText(bea, 'hello');
  await sendText(bea, 'again');

  // node-1's counts reach node-2 with its next report (every NODE_REPORT_MS), or at once for a node new to it
  await expect
    .poll(() => overview(b), { timeout: 8000, interval: 250 })
    .toMatchObject({
      sockets: { chat: 2, news: 2 },
      messagesPerMinute: 2,
      nodes: [
        { node: 'node-2', ok: true, sockets: { chat: 1, news: 2 }, messagesPerMinute: 0, redis: 'up', fenced: false },
        { node: 'node-1', ok: true, sockets: { chat: 1, news: 0 }, messagesPerMinute: 2, redis: 'up', fenced: false },
      ],
    });
});

test('a node that leaves is dropped from the others’ overview at once', async () => {
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  await expect.poll(async () => (await overview(b)).nodes.length, { timeout: 8000 }).toBe(2);
  await a.close();
  // well within the 15 s after which a silent node is dropped anyway
  await expect
    .poll(async () => (await overview(b)).nodes.map(({ node }) => node), { timeout: 2000 })
    .toEqual(['node-2']);
});
