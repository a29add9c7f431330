// Issue 13, bounded work per event (not part of the suite; figures in docs/performance.md):
//   npx tsx bench/presence-probe.ts rename [rooms=50] [membersPerRoom=100]
//     one client renames itself over and over while it is in `rooms` rooms of `membersPerRoom` members each;
//     another sends acknowledged messages to a quiet room: its ack p50/p99/max.
//   npx tsx bench/presence-probe.ts joins [clients=1000] [one|spread] [warm=300]
//     `clients` sockets (100 at a time) join one room (or a room each, `spread`: the cost of the connections
//     alone) while /healthz is asked every 20 ms: its latency p50/p99/max. First `warm` clients join another
//     room, unmeasured: a server in production is warm, and a cold one spends the first burst compiling. The
//     generator runs at nice 19, so on a two-core machine it stands in for remote clients instead of taking
//     the server's CPU (PROBE_VERBOSE=1 prints every latency).
// Extra server settings pass through the environment as PROBE_ENV='PRESENCE_COALESCE_ABOVE=100000 …', node
// flags of the server as PROBE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
import { setPriority } from 'node:os';
import { io, type Socket } from 'socket.io-client';
import { Worker, killAll, startServer } from './lib/procs.js';

const [mode = 'rename', first, second, third] = process.argv.slice(2);
const serverEnv = Object.fromEntries(
  (process.env.PROBE_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => pair.split('=') as [string, string]),
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return `n=${sorted.length} p50=${at(0.5).toFixed(1)} p99=${at(0.99).toFixed(1)} max=${at(1).toFixed(1)} ms`;
}

async function client(url: string): Promise<Socket> {
  const socket = io(`${url}/chat`, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
  return socket;
}

/** A request under the per-socket budget: waits and asks again when RATE_LIMITED. */
async function request(socket: Socket, event: string, arg: unknown): Promise<void> {
  for (;;) {
    const reply = (await socket.emitWithAck(event, arg)) as { ok: boolean; error?: { code: string } };
    if (reply.ok) return;
    if (reply.error?.code !== 'RATE_LIMITED') throw new Error(`${event}: ${JSON.stringify(reply)}`);
    await sleep(200);
  }
}

async function renameStorm(url: string, roomCount: number, perRoom: number) {
  const rooms = Array.from({ length: roomCount }, (_, i) => `storm${i}`);
  const members = new Worker('members');
  try {
    await members.call('connect', {
      group: 'm',
      kind: 'product',
      url,
      nsp: '/chat',
      count: roomCount * perRoom,
      rooms,
    });
    const renamer = await client(url);
    await request(renamer, 'nick:register', 'renamer');
    for (const room of rooms) await request(renamer, 'room:join', room);
    const bystander = await client(url);
    await request(bystander, 'nick:register', 'bystander');
    await request(bystander, 'room:join', 'quiet');
    const acks: number[] = [];
    const end = Date.now() + 10_000;
    const renaming = (async () => {
      for (let i = 0; Date.now() < end; i++) {
        await request(renamer, 'nick:register', `renamer${i % 2}`);
        await sleep(110); // the request budget: 10 a second sustained
      }
    })();
    while (Date.now() < end) {
      const start = performance.now();
      await request(bystander, 'message:send', { room: 'quiet', text: 'hello' });
      acks.push(performance.now() - start);
      await sleep(105);
    }
    await renaming;
    console.log(`rename storm, ${roomCount} rooms × ${perRoom} members: bystander ack ${percentiles(acks)}`);
    renamer.disconnect();
    bystander.disconnect();
  } finally {
    await members.stop();
  }
}

async function healthzDuringJoins(url: string, count: number, spread: boolean, warm: number) {
  const joiners = new Worker('joiners');
  setPriority(joiners.pid, 19);
  try {
    const connect = { kind: 'product', url, nsp: '/chat' };
    if (warm > 0)
      await joiners.call('connect', { ...connect, group: 'w', count: warm, rooms: ['warm'], nickPrefix: 'w' });
    await (await fetch(`${url}/healthz`)).text(); // the first fetch loads undici: not the server's latency
    const latencies: number[] = [];
    let joining = true;
    const polling = (async () => {
      while (joining) {
        const start = performance.now();
        await (await fetch(`${url}/healthz`)).text();
        latencies.push(performance.now() - start);
        await sleep(20);
      }
    })();
    const start = performance.now();
    const rooms = spread ? { ownRoomPrefix: 'own' } : { rooms: ['big'] };
    await joiners.call('connect', { ...connect, group: 'j', count, ...rooms });
    const joinMs = performance.now() - start;
    joining = false;
    await polling;
    if (process.env.PROBE_VERBOSE) console.log(latencies.map((ms) => ms.toFixed(0)).join(' '));
    console.log(
      `${count} joins of ${spread ? 'a room each' : 'one room'} in ${(joinMs / 1000).toFixed(1)} s: /healthz ${percentiles(latencies)}`,
    );
  } finally {
    await joiners.stop();
  }
}

const nodeArgs = (process.env.PROBE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const server = await startServer('product', nodeArgs, serverEnv);
try {
  if (mode === 'joins') {
    await healthzDuringJoins(server.url, Number(first ?? 1000), second === 'spread', Number(third ?? 300));
  } else await renameStorm(server.url, Number(first ?? 50), Number(second ?? 100));
} finally {
  await server.stop();
  killAll();
}
