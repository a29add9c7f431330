import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { RECORDS_PER_PIPELINE, SESSION_KEY_PREFIX, SessionRecords } from '../../server/cluster/session-records.js';
import { createLogger } from '../../server/lib/log.js';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
});
afterAll(() => redis.disconnect());

test('a refresh of more sockets than one pipeline holds writes every live record, with its expiry', async () => {
  const run = randomUUID();
  // What SessionRecords reads of a socket.io Socket: its id, private session id, rooms, data and state.
  // Two full pipelines and a last one of one record (one socket of the 1,002 has disconnected).
  const sockets = Array.from({ length: 2 * RECORDS_PER_PIPELINE + 2 }, (_, i) => ({
    id: `sid-${i}`,
    pid: `${run}-${i}`,
    rooms: new Set([`sid-${i}`, 'room:lobby']),
    data: { nick: `n${i}` },
    disconnected: i === 7,
  }));
  const keys = sockets.map((socket) => SESSION_KEY_PREFIX + socket.pid);
  try {
    const records = new SessionRecords(redis, 60_000, 'node-x', createLogger('silent'));
    await records.write(sockets as unknown as Socket[]);
    const stored = await redis.mget(keys);
    expect(stored.filter((raw) => raw !== null)).toHaveLength(sockets.length - 1);
    expect(stored[7]).toBeNull(); // disconnected: nothing to resume
    const last = sockets.at(-1)!;
    expect(SessionRecords.decode(stored.at(-1)!)).toEqual({
      sid: last.id,
      pid: last.pid,
      rooms: [...last.rooms],
      data: last.data,
      node: 'node-x',
    });
    const ttl = await redis.pttl(keys.at(-1)!);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  } finally {
    await redis.del(keys);
  }
});
