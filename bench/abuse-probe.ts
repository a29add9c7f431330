// Hardening round 2, items 1 and 3, from outside the process: what one address can make the server hold or do.
//
//   npx tsx bench/abuse-probe.ts connects [root]   50 polling connections each POST 150 `40/chat,` packets:
//                                                   /chat sockets held, and the server's RSS
//   npx tsx bench/abuse-probe.ts sessions [root]   one address with 30 history readers and 45 senders in 75 guest
//                                                   sessions, flat out for 10 s, while a person on another address
//                                                   sends every 100 ms: that person's ack p50/p99 and /healthz p99
//
// `root` is a checkout to measure (default: this one), so before and after run back to back on one machine. The
// server runs as its own process with its default limits, behind one trusted proxy (TRUST_PROXY=1), so the
// X-Forwarded-For of each client is its address. Traffic goes to 127.0.0.1 only and stops by itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { freePort, sampleProc } from './lib/procs.js';

const METRICS_TOKEN = 'abuse-probe';
const SECONDS = 10;
type Client = Socket;

async function startServer(root: string): Promise<{ url: string; child: ChildProcess; stop: () => void }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'abuse-probe-'));
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...env, NEWS_RATE: '0', METRICS_TOKEN, TRUST_PROXY: '1', MAX_CONNECTIONS_PER_IP: '1000' },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, child, stop };
}

function client(url: string, address: string): Promise<Client> {
  const socket = io(`${url}/chat`, {
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    extraHeaders: { 'x-forwarded-for': address },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function guest(url: string, address: string, nick: string, room: string): Promise<Client> {
  const socket = await client(url, address);
  for (;;) {
    const ack = (await socket.emitWithAck('nick:register', nick)) as { ok: boolean; error?: { code: string } };
    if (ack.ok) break;
    if (ack.error?.code !== 'RATE_LIMITED') throw new Error(`${nick}: ${ack.error?.code}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Joins draw on the address's history rows too: retry until this one gets its page.
  while (!((await socket.emitWithAck('room:join', room)) as { ok: boolean }).ok) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return socket;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN;

async function connects(url: string, pid: number): Promise<Record<string, number>> {
  const rssBefore = sampleProc(pid).rssBytes;
  const base = `${url}/socket.io/?EIO=4&transport=polling`;
  await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const headers = { 'x-forwarded-for': '10.1.0.1' };
      const open = await (await fetch(base, { headers })).text();
      const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
      const body = Array.from({ length: 150 }, () => '40/chat,').join('\x1e');
      await fetch(`${base}&sid=${sid}`, { method: 'POST', body, headers });
      return i;
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const health = (await (
    await fetch(`${url}/healthz`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).json()) as { sockets: { chat: number } };
  return { chatSockets: health.sockets.chat, rssGrowthMB: Math.round((sampleProc(pid).rssBytes - rssBefore) / 1e6) };
}

async function sessions(url: string): Promise<Record<string, number>> {
  const big = 'x'.repeat(1990);
  // 100 large messages to read, sent by five people on five other addresses (20 each fits a session's budget).
  const seeders = await Promise.all([1, 2, 3, 4, 5].map((i) => guest(url, `10.3.0.${i}`, `seed${i}`, 'big')));
  await Promise.all(
    seeders.map((s) =>
      Promise.all(Array.from({ length: 20 }, () => s.emitWithAck('message:send', { room: 'big', text: big }))),
    ),
  );
  const readers: Client[] = [];
  const senders: Client[] = [];
  for (let i = 0; i < 30; i++) readers.push(await guest(url, '10.2.0.1', `reader${i}`, 'big'));
  for (let i = 0; i < 45; i++) senders.push(await guest(url, '10.2.0.1', `sender${i}`, 'flood'));
  const person = await guest(url, '10.9.0.1', 'person', 'flood');
  const deadline = Date.now() + SECONDS * 1000;
  let rows = 0;
  let stored = 0;
  const loop = async (socket: Client, step: () => Promise<void>) => {
    while (Date.now() < deadline) await step().catch(() => undefined);
    return socket;
  };
  const attack = [
    ...readers.map((r) =>
      loop(r, async () => {
        const page = (await r.emitWithAck('room:history', { room: 'big', limit: 100 })) as { messages?: unknown[] };
        rows += page.messages?.length ?? 0;
        if (!page.messages) await new Promise((resolve) => setTimeout(resolve, 50));
      }),
    ),
    ...senders.map((s) =>
      loop(s, async () => {
        const ack = (await s.emitWithAck('message:send', { room: 'flood', text: big })) as { ok: boolean };
        if (ack.ok) stored++;
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }),
    ),
  ];
  const acks: number[] = [];
  const healthz: number[] = [];
  const measure = (async () => {
    while (Date.now() < deadline) {
      let t = performance.now();
      await person.emitWithAck('message:send', { room: 'flood', text: 'hello' });
      acks.push(performance.now() - t);
      t = performance.now();
      await fetch(`${url}/healthz`);
      healthz.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await Promise.all([...attack, measure]);
  for (const s of [...readers, ...senders, ...seeders, person]) s.disconnect();
  return {
    historyRowsPerSecond: Math.round(rows / SECONDS),
    historyMBPerSecond: Math.round((rows * 2000) / SECONDS / 1e5) / 10,
    storedPerSecond: Math.round(stored / SECONDS),
    personAckP50Ms: Math.round(percentile(acks, 50)),
    personAckP99Ms: Math.round(percentile(acks, 99)),
    healthzP99Ms: Math.round(percentile(healthz, 99)),
    personSends: acks.length,
  };
}

const [what = 'sessions', root = process.cwd()] = process.argv.slice(2);
const server = await startServer(root);
try {
  const pid = server.child.pid ?? 0;
  const result = what === 'connects' ? await connects(server.url, pid) : await sessions(server.url);
  console.log(JSON.stringify({ what, root, ...result }));
} finally {
  server.stop();
}
process.exit(0);
