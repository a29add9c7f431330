/**
 * Development aid (not part of the suite): heap snapshots of one server process at growing numbers of idle
 * clients, for `bench/heap-diff.ts` (issue 24).
 *
 *   npx tsx bench/heap-probe.ts product 1000,3000 /tmp/heapsnap
 *   npx tsx bench/heap-probe.ts socketio 1000,3000 /tmp/heapsnap
 *
 * Clients are registered (product) and joined to rooms of 20, as in the idle scenario. Each level's new clients
 * get their own rooms, so every level has full rooms of 20 and per-room costs show per client too. The snapshots
 * are written as <dir>/<kind>-<clients>.heapsnapshot. A snapshot starts with a full GC, so garbage is not counted.
 */
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, killAll, startServer } from './lib/procs.js';
import type { ServerKind } from './lib/lean-client.js';

const ROOM_SIZE = 20;
const SETTLE_MS = 3000;
const kind = (process.argv[2] ?? 'product') as ServerKind;
const levels = (process.argv[3] ?? '1000,3000').split(',').map(Number);
const dir = process.argv[4] ?? '/tmp/heapsnap';
/** Extra node flags for the server, e.g. `--expose-gc`; env is passed through (e.g. a setting to compare). */
const nodeArgs = process.argv.slice(5);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the snapshot SIGUSR2 asked for: a new file whose size has stopped changing. */
async function takeSnapshot(pid: number, name: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  let file: string | undefined;
  let lastSize = -1;
  for (let waited = 0; waited < 120_000; waited += 500) {
    await sleep(500);
    file ??= readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const size = statSync(join(dir, file)).size;
    if (size > 0 && size === lastSize) break;
    lastSize = size;
  }
  if (!file) throw new Error('no heap snapshot appeared');
  const target = join(dir, `${name}.heapsnapshot`);
  renameSync(join(dir, file), target);
  return target;
}

mkdirSync(dir, { recursive: true });
const server = await startServer(kind, ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`, ...nodeArgs]);
const worker = new Worker('probe');
try {
  let connected = 0;
  for (const clients of levels) {
    const add = clients - connected;
    // Client i joins rooms[i % rooms.length]: `add` new clients over add/20 new rooms make rooms of 20.
    const rooms = Array.from({ length: Math.ceil(add / ROOM_SIZE) }, (_, r) => `idle${connected}-${r}`);
    await worker.call('connect', {
      group: 'idle',
      kind,
      url: server.url,
      nsp: '/chat',
      count: add,
      rooms,
      nickPrefix: 'h',
      concurrency: 100,
    });
    connected = clients;
    await sleep(SETTLE_MS);
    const rssKb = Math.round(server.sample().rssBytes / 1024);
    const file = await takeSnapshot(server.pid, `${kind}-${clients}`);
    process.stdout.write(`${kind} ${clients} clients: RSS ${rssKb} KB, snapshot ${file}\n`);
  }
} finally {
  await worker.stop();
  await server.stop();
  killAll();
}
