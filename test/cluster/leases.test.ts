import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { LEASE_TTL_MS } from '../../server/cluster/defaults.js';
import { type ChatClient, chatAs, disconnectAll } from '../helpers.js';
import { type Backing, type TestNode, startBacking, startNodes } from './cluster.js';

// Hardening round 2, item 4: a slow Redis is not a lost lease. A node steps down only when Redis says its lease
// is gone, or when a whole lease has passed on its own clock without a renewal that succeeded.
let backing: Backing;
let nodes: TestNode[] = [];
beforeAll(async () => {
  backing = await startBacking();
});
afterAll(() => backing.destroy());
afterEach(async () => {
  disconnectAll();
  await Promise.all(nodes.map((node) => node.close()));
  nodes = [];
});

/** Counts the disconnects a client sees. */
function watched(client: ChatClient): { client: ChatClient; cuts: number } {
  const state = { client, cuts: 0 };
  client.on('disconnect', () => state.cuts++);
  return state;
}

test('Redis stalled for 7 s (DEBUG SLEEP) delays the cluster but fences no node', async () => {
  nodes = await startNodes(backing, 2, { leaseMs: LEASE_TTL_MS });
  const [ana, bea] = [watched(await chatAs(nodes[0]!.url, 'ana')), watched(await chatAs(nodes[1]!.url, 'bea'))];
  const sleeper = new Redis(backing.redis.url);
  try {
    await sleeper.call('DEBUG', 'SLEEP', '7'); // longer than the old 6 s lease
  } finally {
    sleeper.disconnect();
  }
  // Every node renews after the stall, and finds its lease still its own.
  await Promise.all(nodes.map((node) => node.membership.beat().catch(() => undefined)));
  await Promise.all(nodes.map((node) => node.membership.beat()));
  expect(nodes.map((node) => node.membership.health().fenced)).toEqual([false, false]);
  expect([ana.cuts, bea.cuts]).toEqual([0, 0]);
  expect(await ana.client.emitWithAck('room:join', 'after')).toMatchObject({ ok: true });
});

test('a node that cannot renew for a whole lease steps down, though Redis never said so', async () => {
  nodes = await startNodes(backing, 1); // the shortest lease (6 s)
  const cy = watched(await chatAs(nodes[0]!.url, 'cy'));
  const cut = new Promise<void>((resolve) => cy.client.once('disconnect', () => resolve()));
  const pid = backing.redis.pid()!;
  process.kill(pid, 'SIGSTOP'); // Redis stops answering: every renewal times out
  try {
    await cut; // within a lease and a heartbeat
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  expect(cy.cuts).toBe(1);
}, 30_000);
