import pg from 'pg';
import { expect, onTestFinished, test } from 'vitest';
import type { RetentionState } from '../../server/protocol/admin.js';
import { chatAs } from '../helpers.js';
import { captureLog } from '../log-capture.js';
import { type TestNode, startNode, useNodes } from './cluster.js';

const ADMIN_TOKEN = 'cluster-admin-s3cret';
// No sweep during a test here, so a node learns of an override through the bus alone.
const cluster = useNodes(2, {
  adminToken: ADMIN_TOKEN,
  env: { RETENTION_DAYS: '30', RETENTION_SWEEP_SECONDS: '3600' },
});
const DAY_MS = 24 * 60 * 60 * 1000;

function admin(node: TestNode, method: string, path: string, body?: unknown) {
  return fetch(`${node.url}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: cluster.backing.pg.url });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

test('an override set through one node holds on the other as soon as the bus brings it, for joins and reads', async () => {
  const [a, b] = cluster.nodes as [TestNode, TestNode];
  expect((await admin(a, 'PUT', '/rooms/short/retention', { days: 2 })).status).toBe(200);
  // Node a answers once it has published; node b may take the next request before it reads the bus (it did once,
  // on a loaded machine), so b is asked until it has. With no sweep here, only the bus can bring the override.
  const state = async () => (await (await admin(b, 'GET', '/rooms/short/retention')).json()) as RetentionState;
  await expect.poll(state).toEqual({ room: 'short', days: 2, override: true });
  const ana = await chatAs(b.url, 'ana');
  expect(await ana.emitWithAck('room:join', 'short')).toMatchObject({ ok: true, retentionDays: 2 });
  expect(await ana.emitWithAck('room:join', 'lobby')).toMatchObject({ ok: true, retentionDays: 30 });
});

test('one node holds the sweep lease and purges the old messages; the other purges none', async () => {
  await Promise.all(cluster.nodes.map((node) => node.close())); // two nodes that sweep often, instead
  const env = { RETENTION_DAYS: '30', RETENTION_SWEEP_SECONDS: '0.1', RETENTION_BATCH_ROWS: '3' };
  const logs = [captureLog(), captureLog()];
  const nodes = await Promise.all(
    logs.map((capture, i) =>
      startNode(cluster.backing, `sweeper-${i + 1}`, { adminToken: ADMIN_TOKEN, env, log: capture.log }),
    ),
  );
  onTestFinished(() => Promise.all(nodes.map((node) => node.close())).then(() => undefined));
  // A closed node's named leases run out rather than being handed over: up to a lease and a heartbeat.
  const holders = () => nodes.filter((node) => node.membership.holds('retention')).length;
  await expect.poll(holders, { timeout: 15_000 }).toBe(1);
  const ts = Date.now() - 40 * DAY_MS;
  await sql(
    `INSERT INTO messages (room, nick, author, text, ts)
     SELECT 'lobby', 'old', 'guest:old', 'old', $1::bigint + n FROM generate_series(1, 20) AS n`,
    [ts],
  );
  const kept = await sql<{ id: string }>(
    "INSERT INTO messages (room, nick, author, text, ts) VALUES ('lobby', 'new', 'guest:new', 'new', $1) RETURNING id",
    [Date.now()],
  );
  const left = async () => (await sql<{ id: string }>("SELECT id FROM messages WHERE room = 'lobby'")).map((r) => r.id);
  await expect.poll(left).toEqual([kept[0]!.id]);
  const purged = logs.map((capture) =>
    capture.withMessage('retention purged old messages').reduce((sum, line) => sum + Number(line.purged), 0),
  );
  const leader = nodes.findIndex((node) => node.membership.holds('retention'));
  expect(purged[leader]).toBe(20);
  expect(purged[1 - leader]).toBe(0);
});
