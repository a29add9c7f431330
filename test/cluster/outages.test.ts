import { decode } from '@msgpack/msgpack';
import { Redis } from 'ioredis';
import { expect, test } from 'vitest';
import { SESSION_KEY_PREFIX, privateSessionId } from '../../server/cluster/session-records.js';
import type { ChatSocket } from '../../server/chat/chat-socket.js';
import type { Ack, Message } from '../../server/protocol/events.js';
import { type ChatClient, chatAs, collect, connectChat } from '../helpers.js';
import { useNodes } from './cluster.js';

const cluster = useNodes(2, { privatePostgres: true }); // PostgreSQL is stopped and started

const code = (res: { ok: boolean; error?: { code: string } }) => (res.ok ? 'ok' : res.error?.code);

async function joined(url: string, nick: string, room: string): Promise<ChatClient> {
  const client = await chatAs(url, nick);
  expect(await client.emitWithAck('room:join', room)).toMatchObject({ ok: true });
  return client;
}

test('Redis killed and restarted empty: INTERNAL meanwhile, then nicks, sessions and presence are back', async () => {
  const ana = await joined(cluster.nodes[0]!.url, 'ana', 'r');
  const bea = await joined(cluster.nodes[1]!.url, 'bea', 'r');
  const thief = await connectChat(cluster.nodes[1]!.url);

  await cluster.backing.redis.kill();
  expect(code(await thief.emitWithAck('nick:register', 'someone'))).toBe('INTERNAL'); // never granted locally
  await cluster.backing.redis.start();
  const restartedAt = Date.now();

  // within seconds every node has put back its sockets: the nicks are held again, presence is complete
  await expect
    .poll(async () => code(await thief.emitWithAck('nick:register', 'ana')), { timeout: 10_000, interval: 200 })
    .toBe('NICK_TAKEN');
  await expect
    .poll(async () => await ana.emitWithAck('room:members', 'r'), { timeout: 10_000, interval: 200 })
    .toMatchObject({ members: ['ana', 'bea'] });
  console.info(`Redis restarted empty: nodes re-asserted within ${Date.now() - restartedAt} ms`);
  expect(code(await thief.emitWithAck('nick:register', 'bea'))).toBe('NICK_TAKEN');
  // cross-node delivery resumes
  const got = collect<Message>(bea, 'message');
  await expect
    .poll(
      async () => {
        await ana.emitWithAck('message:send', { room: 'r', text: 'back', clientId: 'back' });
        return got.length > 0;
      },
      { timeout: 10_000, interval: 300 },
    )
    .toBe(true);
  // new nicks wait (INTERNAL) only while the cluster.nodes re-assert
  await expect
    .poll(async () => code(await thief.emitWithAck('nick:register', 'cy')), { timeout: 10_000, interval: 300 })
    .toBe('ok');
}, 40_000);

test('PostgreSQL stopped and started: INTERNAL within seconds, /healthz 503, then recovery without restart', async () => {
  const ana = await joined(cluster.nodes[0]!.url, 'pga', 'p');
  await cluster.backing.pg.stop();
  const stoppedAt = Date.now();
  const down: Ack<{ id: number }> = await ana.timeout(10_000).emitWithAck('message:send', { room: 'p', text: 'down' });
  expect(code(down)).toBe('INTERNAL');
  console.info(`PostgreSQL stopped: INTERNAL after ${Date.now() - stoppedAt} ms`);
  await expect
    .poll(async () => (await fetch(`${cluster.nodes[0]!.url}/healthz`)).status, { timeout: 10_000, interval: 300 })
    .toBe(503);
  await cluster.backing.pg.start();
  await expect
    .poll(async () => code(await ana.emitWithAck('message:send', { room: 'p', text: 'up', clientId: 'up' })), {
      timeout: 15_000,
      interval: 300,
    })
    .toBe('ok');
  await expect
    .poll(async () => (await fetch(`${cluster.nodes[0]!.url}/healthz`)).status, { timeout: 10_000, interval: 300 })
    .toBe(200);
}, 45_000);

test('the session record we write ahead is one the adapter restores (pinned adapter format)', async () => {
  const ana = await joined(cluster.nodes[0]!.url, 'rec', 'kept');
  await ana.emitWithAck('message:send', { room: 'kept', text: 'one' });
  ana.emit('typing', { room: 'kept' });
  const chat = cluster.nodes[0]!.app.io.of('/chat');
  const socket = [...(chat.sockets as Map<string, ChatSocket>).values()][0]!;
  const pid = privateSessionId(socket);
  expect(typeof pid).toBe('string'); // socket.io's private field is still there
  const redis = new Redis(cluster.backing.redis.url);
  try {
    await expect.poll(() => redis.exists(SESSION_KEY_PREFIX + pid!)).toBe(1);
    const raw = await redis.get(SESSION_KEY_PREFIX + pid!);
    expect(decode(Buffer.from(raw!, 'base64'))).toMatchObject({
      sid: socket.id,
      pid,
      rooms: expect.arrayContaining(['room:kept']),
      node: 'node-1',
    });
    const offset = (await redis.xrange('parley:stream', '-', '+'))[0]?.[0];
    // restored by the other node's stream adapter itself, as a client failing over from a dead node would be
    // (the node's own restoreSession would first ask node-1, which still has the socket: see recovery-replay)
    const other = cluster.nodes[1]!.app.io.of('/chat').adapter;
    const streamAdapter = Object.getPrototypeOf(other) as typeof other;
    const session = await streamAdapter.restoreSession.call(other, pid!, offset!);
    expect(session).toMatchObject({
      sid: socket.id,
      pid,
      rooms: expect.arrayContaining([socket.id, 'room:kept']),
      data: { sessionToken: socket.data.sessionToken },
    });
    // typing never enters the stream, so a restore cannot replay it
    const entries = await redis.xrange('parley:stream', '-', '+');
    expect(entries.some(([, fields]) => fields.join(' ').includes('typing'))).toBe(false);
  } finally {
    redis.disconnect();
  }
});

test('Engine.IO session ids start with the node, for routing polling without cookies', async () => {
  const client = await connectChat(cluster.nodes[1]!.url, 'polling');
  expect(client.io.engine.id).toMatch(/^node-2\./);
});
