// Issue 13, the cluster-wide connection cap (not part of the suite; figures in docs/performance.md):
//   npx tsx bench/handshake-probe.ts [clients=2000] [rounds=3]
// One product node in cluster mode (a private Redis and PostgreSQL); a worker process connects `clients` lean
// /chat clients, 100 at a time, and closes them; reported: connections per second and the server's CPU per
// connection, over `rounds` rounds. Each handshake asks Redis for the address's count across the nodes.
import { setPriority } from 'node:os';
import { startPostgres } from '../test/pg/postgres.js';
import { startRedis } from '../test/redis/redis.js';
import { Worker, killAll, startServer } from './lib/procs.js';

const [clients = 2000, rounds = 3] = process.argv.slice(2).map(Number);
const [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
const server = await startServer('product', [], { REDIS_URL: redis.url, DATABASE_URL: pg.url });
const worker = new Worker('handshakes');
setPriority(worker.pid, 19); // it stands in for remote clients: it must not take the server's CPU
try {
  for (let round = 0; round < rounds; round++) {
    const cpuBefore = server.sample().cpuMs;
    const start = performance.now();
    await worker.call('connect', {
      group: `g${round}`,
      kind: 'product',
      url: server.url,
      nsp: '/chat',
      count: clients,
    });
    const seconds = (performance.now() - start) / 1000;
    const cpuMs = server.sample().cpuMs - cpuBefore;
    await worker.call('closeGroup', { group: `g${round}` });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the closes reach the server
    const perSecond = Math.round(clients / seconds);
    console.log(
      `${clients} connections in ${seconds.toFixed(2)} s: ${perSecond}/s, server CPU ${((cpuMs * 1000) / clients).toFixed(0)} µs each`,
    );
  }
} finally {
  await worker.stop();
  await server.stop();
  killAll();
  await Promise.all([redis.destroy(), pg.destroy()]);
}
