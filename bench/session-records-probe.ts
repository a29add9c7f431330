/**
 * How long a cluster node's refresh of its session records holds the event loop (issue 24): one
 * `SessionRecords.write` of SOCKETS sockets shaped like the scale scenario's (an own room, a chat room and the
 * person's room; a nick and a session token in `data`) against the Redis at REDIS_URL (default the local one),
 * the loop's longest delay measured around it. Usage: `npx tsx bench/session-records-probe.ts [sockets]`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io';
import { SESSION_KEY_PREFIX, SessionRecords } from '../server/cluster/session-records.js';
import { createLogger } from '../server/lib/log.js';

const SOCKETS = Number(process.argv[2] ?? 18_000);
const ROUNDS = 4;

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const run = Date.now().toString(36);
const sockets = Array.from({ length: SOCKETS }, (_, i) => ({
  id: `${run}-socket-${i}-abcdefgh`,
  pid: `${run}-pid-${i}-abcdefgh`,
  rooms: new Set([`${run}-socket-${i}-abcdefgh`, `room:scale${i % 180}`, `person:${run}-${i}-0123456789abcdef`]),
  data: { nick: `sc-${i}`, token: 'x'.repeat(43) },
  disconnected: false,
})) as unknown as Socket[];
const records = new SessionRecords(redis, 60_000, 'probe', createLogger('silent'));
try {
  for (let round = 0; round < ROUNDS; round++) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    await sleep(20); // the histogram records from its second tick on
    const started = performance.now();
    await records.write(sockets);
    const took = performance.now() - started;
    await sleep(20);
    delay.disable();
    console.log(
      `write of ${SOCKETS} records: ${took.toFixed(0)} ms, event loop's longest delay ${(delay.max / 1e6).toFixed(0)} ms`,
    );
  }
} finally {
  const keys = sockets.map((s) => SESSION_KEY_PREFIX + (s as unknown as { pid: string }).pid);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  redis.disconnect();
}
