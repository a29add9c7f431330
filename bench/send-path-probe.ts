/**
 * What one stored send costs a cluster node in Redis, counted rather than timed (issue 20): Redis commands per
 * `message:send` by command (INFO commandstats before and after), and the ack latency of sends one at a time, round
 * 100 clients each alone in its room (no queueing: the path's own latency). Usage: `npx tsx bench/send-path-probe.ts [sends]` (default 1000).
 * It starts a private Redis and PostgreSQL and one product node in cluster mode, all on loopback.
 */
import { Redis } from 'ioredis';
import { type Socket, io } from 'socket.io-client';
import type { ChatClientToServer, ChatServerToClient } from '../server/protocol/events.js';
import { startPostgres } from '../test/pg/postgres.js';
import { startRedis } from '../test/redis/redis.js';
import { startServer } from './lib/procs.js';

const sends = Number(process.argv[2] ?? 1000);
/** Sends go round the clients: a session's budget is 20 per 2 s (MESSAGE_LIMIT). */
const CLIENTS = 100;

/** `cmdstat_evalsha:calls=12,…` lines → calls per command. */
function commandCalls(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

const [redis, pg] = await Promise.all([startRedis(), startPostgres({ durable: true })]);
const node = await startServer('product', [], { REDIS_URL: redis.url, DATABASE_URL: pg.url, NODE_ID: 'probe' });
const admin = new Redis(redis.url);
try {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, n) => {
      const client: Socket<ChatServerToClient, ChatClientToServer> = io(`${node.url}/chat`, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      await new Promise<void>((resolve, reject) => {
        client.once('connect', resolve);
        client.once('connect_error', reject);
      });
      await client.emitWithAck('nick:register', `prober-${n}`);
      await client.emitWithAck('room:join', `probe-${n}`); // alone in its room, as in the stored-sends sweep
      return client;
    }),
  );
  for (const [n, client] of clients.entries())
    await client.emitWithAck('message:send', { room: `probe-${n}`, text: 'warm' });
  await new Promise((resolve) => setTimeout(resolve, 2500)); // past the heartbeat and record refresh noise
  const before = commandCalls(await admin.info('commandstats'));
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < sends; i++) {
    const sent = performance.now();
    const n = i % CLIENTS;
    const ack = await clients[n]!.emitWithAck('message:send', { room: `probe-${n}`, text: `m ${i}` });
    latencies.push(performance.now() - sent);
    if (!ack.ok) throw new Error(`send refused: ${ack.error.code}`);
  }
  const elapsedMs = performance.now() - started;
  const after = commandCalls(await admin.info('commandstats'));
  for (const client of clients) client.disconnect();
  const perSend = [...after]
    .map(([command, calls]) => [command, (calls - (before.get(command) ?? 0)) / sends] as const)
    .filter(([command, calls]) => calls > 0.005 && command !== 'info')
    .sort((a, b) => b[1] - a[1]);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2);
  const total = perSend.reduce((sum, [, calls]) => sum + calls, 0);
  console.log(`sends: ${sends} in ${(elapsedMs / 1000).toFixed(1)} s (one at a time)`);
  console.log(`ack latency ms: p50 ${at(0.5)}, p99 ${at(0.99)}`);
  console.log(`Redis commands per send (the heartbeat's included): ${total.toFixed(2)}`);
  for (const [command, calls] of perSend) console.log(`  ${command}: ${calls.toFixed(2)}`);
} finally {
  admin.disconnect();
  await node.stop();
  await Promise.all([redis.destroy(), pg.destroy()]);
}
