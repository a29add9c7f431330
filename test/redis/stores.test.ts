import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { nickKey } from '../../server/chat/nick-key.js';
import { MESSAGE_LIMIT } from '../../server/lib/rate-limit.js';
import { redisLimits } from '../../server/stores/redis/rate-limits.js';
import { SingleNode } from '../../server/lib/membership.js';
import { NodeLeases } from '../../server/cluster/leases.js';
import { RedisAddressCounts } from '../../server/stores/redis/address-connections.js';
import { RedisNewsSequence } from '../../server/stores/redis/news-sequence.js';
import { RedisNickRegistry } from '../../server/stores/redis/nicks.js';
import { RedisPresence } from '../../server/stores/redis/presence.js';
import { RedisSessionStore } from '../../server/stores/redis/sessions.js';
import { describeNewsSequence } from '../stores/news-sequence.contract.js';
import { describeNickRegistry } from '../stores/nicks.contract.js';
import { describePresence } from '../stores/presence.contract.js';
import { describeSessionStore } from '../stores/sessions.contract.js';
import { startRedis } from './redis.js';

/** The run's Redis (test/redis/global-setup.ts); the test that kills a Redis starts its own. */
const url = inject('redisUrl');
let redis: Redis;
beforeAll(() => {
  redis = new Redis(url, { maxRetriesPerRequest: 1 });
});
afterAll(() => redis.disconnect());

/** Every store gets its own key prefix, so the tests share one Redis without seeing each other. */
const fresh = () => `t${randomUUID()}:`;

describeSessionStore('Redis', (clock) => Promise.resolve(new RedisSessionStore(redis, fresh(), clock.now)));
describeNickRegistry('Redis', () => Promise.resolve(new RedisNickRegistry(redis, fresh())));
describePresence('Redis', () => Promise.resolve(new RedisPresence(redis, fresh())));
const prefixes = new WeakMap<object, string>();
describeNewsSequence(
  'Redis',
  () => {
    const prefix = fresh();
    const store = new RedisNewsSequence(redis, prefix);
    prefixes.set(store, prefix);
    return Promise.resolve(store);
  },
  async (store) => {
    await store.close();
    const prefix = prefixes.get(store);
    if (prefix === undefined) throw new Error('not a store of this file');
    return new RedisNewsSequence(redis, prefix);
  },
);

describe('Redis stores only', () => {
  test('30 concurrent claims of one nick and its look-alikes, over 30 connections: exactly one wins', async () => {
    const prefix = fresh();
    const clients = Array.from({ length: 30 }, () => new Redis(url));
    try {
      const looks = ['Zoë', 'ZOE\u0308', 'ＺＯＥ\u0308', 'Zоë', 'zoë'];
      const keys = new Set(looks.map(nickKey));
      expect(keys.size).toBe(1);
      const results = await Promise.all(
        clients.map((client, i) =>
          new RedisNickRegistry(client, prefix).claim(nickKey(looks[i % looks.length]!), {
            session: `s${i}`,
            node: `n${i % 3}`,
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      for (const client of clients) client.disconnect();
    }
  });

  test('Redis killed and restarted empty: commands fail while it is down, then work on an empty store', async () => {
    const own = await startRedis();
    const client = new Redis(own.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const nicks = new RedisNickRegistry(client, 'x:');
      const presence = new RedisPresence(client, 'x:');
      expect(await nicks.claim('ana', { session: 's1', node: 'n1' })).toBe(true);
      await presence.join('r', { nick: 'ana', session: 's1', socket: 'a', node: 'n1' });
      await own.kill();
      await expect(nicks.claim('bea', { session: 's2', node: 'n1' })).rejects.toThrow();
      await own.start();
      await expect.poll(() => client.ping().catch(() => 'down'), { timeout: 10_000 }).toBe('PONG');
      // Scripts are gone from the new server too: EVALSHA falls back to EVAL.
      expect(await nicks.owner('ana')).toBeUndefined();
      expect(await nicks.claim('bea', { session: 's2', node: 'n1' })).toBe(true);
      expect(await presence.members('r')).toEqual([]);
      expect(await presence.join('r', { nick: 'bea', session: 's2', socket: 'b', node: 'n1' })).toEqual({
        changed: true,
        count: 1,
      });
    } finally {
      client.disconnect();
      await own.destroy();
    }
  });

  test('a node reaped just after it restarted under the same id keeps its new presence, sessions and counts', async () => {
    const prefix = fresh();
    const presence = new RedisPresence(redis, prefix);
    const sessions = new RedisSessionStore(redis, prefix);
    const counts = new RedisAddressCounts(redis, prefix, 'n2', new SingleNode('n2'));
    const survivor = new NodeLeases(redis, prefix, 'n1');
    // n2 came back (a new lease) and has a socket again; the survivor found it dead a moment before
    await new NodeLeases(redis, prefix, 'n2').register();
    await presence.join('r', { nick: 'ana', session: 's1', socket: 'a', node: 'n2' });
    const session = await sessions.create({ id: 'a', node: 'n2' });
    await counts.opened('10.0.0.1');
    expect(await presence.removeNode('n2')).toEqual([]);
    expect(await sessions.removeNode('n2', 1000)).toEqual([]);
    await counts.forgetNode('n2');
    await survivor.forgetNode('n2');
    expect(await presence.members('r')).toEqual(['ana']);
    expect((await sessions.get(session.token))?.sockets).toEqual({ a: 'n2' });
    expect(await counts.total('10.0.0.1')).toBe(1);
    expect(await redis.smembers(`${prefix}nodes`)).toEqual(['n2']);
    // once its lease is gone, the same calls reap it
    await redis.del(`${prefix}node:n2`);
    expect(await presence.removeNode('n2')).toEqual([{ room: 'r', nick: 'ana', count: 0 }]);
    await counts.forgetNode('n2');
    await survivor.forgetNode('n2');
    expect(await redis.smembers(`${prefix}nodes`)).toEqual([]);
    expect(await redis.exists(`${prefix}conns:n2`)).toBe(0);
  });

  test('reaping a node with more entries than one sweep call takes removes all of them', async () => {
    const prefix = fresh();
    const [presence, sessions] = [new RedisPresence(redis, prefix), new RedisSessionStore(redis, prefix)];
    const count = 1200; // over two batches of SWEEP_BATCH
    for (let i = 0; i < count; i++) {
      const session = await sessions.create({ id: `s${i}`, node: 'dead' });
      await presence.join('r', { nick: `n${i}`, session: session.token, socket: `s${i}`, node: 'dead' });
    }
    expect(await presence.removeNode('dead')).toHaveLength(count);
    expect(await sessions.removeNode('dead', 1000)).toHaveLength(count);
    expect(await presence.members('r')).toEqual([]);
  });

  test('rate limits in Redis: one budget per key across limiters of several nodes', async () => {
    const prefix = fresh();
    const [nodeA, nodeB] = [redisLimits(redis, prefix), redisLimits(redis, prefix)];
    for (let i = 0; i < MESSAGE_LIMIT.points; i++) await (i % 2 ? nodeA : nodeB).messages.take('sock');
    await expect(nodeA.messages.take('sock')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(nodeB.messages.take('sock')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await nodeA.messages.take('other');
  });
});
