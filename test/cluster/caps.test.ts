import { expect, test } from 'vitest';
import { LIMIT_EXCEEDED_BODY } from '../../server/lib/address-connections.js';
import { Redis } from 'ioredis';
import { io } from 'socket.io-client';
import { connectChat } from '../helpers.js';
import { pollingHandshake, webSocketHandshake } from '../handshakes.js';
import { useNodes } from './cluster.js';

// Issue 13: MAX_CONNECTIONS_PER_IP and MAX_ROOMS_PER_SESSION hold across the nodes of a cluster, not per node.
const CAP = 3;
const ROOMS = 3;
const cluster = useNodes(2, { clientLimits: { maxConnectionsPerAddress: CAP, maxRoomsPerSession: ROOMS } });

const connects = (url: string) =>
  connectChat(url).then(
    (client) => client,
    () => undefined,
  );

test('connections of one address on two nodes count together: past the cap either node answers 403', async () => {
  const [one, two] = cluster.nodes.map((node) => node.url) as [string, string];
  const held = [await connectChat(one), await connectChat(one), await connectChat(two)];
  expect(await pollingHandshake(two)).toEqual({ status: 403, body: LIMIT_EXCEEDED_BODY });
  expect(await webSocketHandshake(one)).toEqual({ status: 403, body: LIMIT_EXCEEDED_BODY });
  expect(await webSocketHandshake(two)).toEqual({ status: 403, body: LIMIT_EXCEEDED_BODY });
  held[0]!.disconnect(); // a place is free again, on whichever node
  await expect.poll(async () => (await connects(two))?.connected ?? false).toBe(true);
});

test('handshakes at the same moment on both nodes: no more than the cap stay connected', async () => {
  const [one, two] = cluster.nodes.map((node) => node.url) as [string, string];
  const clients = [one, two, one, two, one, two, one, two].map((url) =>
    io(`${url}/chat`, { forceNew: true, reconnection: false, transports: ['websocket'] }),
  );
  try {
    // each ends up connected, refused, or closed by the node that found the total over the cap
    const settled = clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          client.once('connect_error', () => resolve());
          client.once('disconnect', () => resolve());
          client.once('connect', () => setTimeout(resolve, 500));
        }),
    );
    await Promise.all(settled);
    const total = () => cluster.nodes.reduce((sum, node) => sum + node.app.io.engine.clientsCount, 0);
    await expect.poll(total).toBeLessThanOrEqual(CAP);
    expect(clients.filter((client) => client.connected).length).toBeLessThanOrEqual(CAP);
    expect(clients.filter((client) => client.connected).length).toBeGreaterThan(0);
  } finally {
    for (const client of clients) client.disconnect();
  }
});

test("a dead node's connections count until a survivor reaps it, then they are free", async () => {
  const [one] = cluster.nodes.map((node) => node.url) as [string];
  const redis = new Redis(cluster.backing.redis.url);
  try {
    const probe = await connectChat(one);
    await expect.poll(() => redis.hgetall('parley:conns:node-1')).not.toEqual({});
    const [address] = Object.keys(await redis.hgetall('parley:conns:node-1')) as [string];
    probe.disconnect();
    // node-9 held CAP connections of this address when it was killed: registered, its lease gone
    await redis.multi().hset('parley:conns:node-9', address, CAP).sadd('parley:nodes', 'node-9').exec();
    expect(await pollingHandshake(one)).toEqual({ status: 403, body: LIMIT_EXCEEDED_BODY });
    await expect.poll(async () => (await connects(one))?.connected ?? false, { timeout: 10_000 }).toBe(true);
    expect(await redis.exists('parley:conns:node-9')).toBe(0);
  } finally {
    redis.disconnect();
  }
});

test("a session's rooms on two nodes count together: past MAX_ROOMS_PER_SESSION a join is LIMIT_EXCEEDED", async () => {
  const [one, two] = cluster.nodes.map((node) => node.url) as [string, string];
  const first = await connectChat(one);
  const registered = await first.emitWithAck('nick:register', 'roamer');
  if (!registered.ok) throw new Error(registered.error.code);
  const second = await connectChat(two, 'websocket', { auth: { token: registered.token } });
  for (const room of ['a', 'b']) expect(await first.emitWithAck('room:join', room)).toMatchObject({ ok: true });
  expect(await second.emitWithAck('room:join', 'a')).toMatchObject({ ok: true }); // already the session's
  expect(await second.emitWithAck('room:join', 'c')).toMatchObject({ ok: true }); // the third
  expect(await second.emitWithAck('room:join', 'd')).toMatchObject({ ok: false, error: { code: 'LIMIT_EXCEEDED' } });
  expect(await first.emitWithAck('room:join', 'd')).toMatchObject({ ok: false, error: { code: 'LIMIT_EXCEEDED' } });
  expect(await first.emitWithAck('room:leave', 'b')).toMatchObject({ ok: true });
  expect(await second.emitWithAck('room:join', 'd')).toMatchObject({ ok: true });
});
