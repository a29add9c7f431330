/**
 * Probe for issue 13's "limits that follow the person" (not part of `npm run bench`; its figures go in
 * docs/performance.md by hand): `npx tsx bench/limits-probe.ts [--root=<checkout>]`. `--root` runs another
 * checkout's server (e.g. the main branch, for the "before" figures) with the same attackers.
 *
 * The server runs in this process, built as server/main.ts builds it, so the event loop's delay can be
 * measured (monitorEventLoopDelay); each attacker is a child process, so its own work does not count:
 * - sockets: one session, 20 sockets (as many as the server accepts), every socket sending as fast as acks come
 *   (flat-out) or at 40/s, under the per-connection packet budget (paced);
 * - loop: one WebSocket that disconnects and reconnects /chat with the session's token, 5 sends per round, flat
 *   out or at 5 rounds/s (paced);
 * - flood: one connection writes 40,000 `typing` frames at once.
 * Reported: messages/s the server accepted (ok acks), and the longest event-loop stall during the flood.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';
import type * as AppModule from '../server/app.js';
import type * as ComposeModule from '../server/compose.js';
import type * as ConfigModule from '../server/config.js';
import type * as LogModule from '../server/lib/log.js';

const ATTACK_MS = 5000;
const SOCKETS = 20;
const FLOOD_FRAMES = 40_000;

type Reply = { ok: boolean; token?: string };

/** Engine.IO v4 over `ws` by hand: what socket.io-client will not do (namespace loops, raw floods). */
function rawConnection(url: string): Promise<{ ws: WebSocket; request(frame: string): Promise<string> }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  ws.on('error', () => undefined);
  const waiting: { prefix: string; resolve: (frame: string) => void }[] = [];
  ws.on('message', (data: Buffer) => {
    const frame = data.toString();
    if (frame === '2') return ws.send('3');
    const index = waiting.findIndex((w) => frame.startsWith(w.prefix));
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(frame);
  });
  ws.on('close', () => waiting.splice(0).forEach((w) => w.resolve(''))); // cut by the server: nothing more comes
  const expect = (prefix: string) =>
    new Promise<string>((done) => {
      if (ws.readyState > WebSocket.OPEN) return done('');
      waiting.push({ prefix, resolve: done });
    });
  const opened = expect('0{');
  return opened.then(() => ({
    ws,
    request(frame: string) {
      const ack = /^42(\/\w+,)(\d+)/.exec(frame);
      const reply = ack
        ? expect(`43${ack[1]}${ack[2]}[`)
        : expect(frame.startsWith('40/') ? frame.slice(0, frame.indexOf(',') + 1) : '');
      ws.send(frame);
      return reply;
    },
  }));
}

async function attackSockets(url: string, paced: boolean): Promise<number> {
  const first = io(`${url}/chat`, { forceNew: true, reconnection: false, transports: ['websocket'] });
  const { token } = (await first.emitWithAck('nick:register', `s${process.pid}`)) as Reply;
  const sockets = [first];
  for (let i = 1; i < SOCKETS; i++) {
    const socket = io(`${url}/chat`, {
      forceNew: true,
      reconnection: false,
      transports: ['websocket'],
      auth: { token },
    });
    const ok = await new Promise<boolean>((done) => {
      socket.once('connect', () => done(true));
      socket.once('connect_error', () => done(false));
    });
    if (ok) sockets.push(socket);
  }
  await Promise.all(sockets.map((s) => s.emitWithAck('room:join', 'probe')));
  let accepted = 0;
  const end = Date.now() + ATTACK_MS;
  await Promise.all(
    sockets.map(async (socket) => {
      // Paced: under the packet budget (50/s), so the message budget is what is measured. A cut socket stops.
      while (Date.now() < end && socket.connected) {
        const sent = Date.now();
        const reply = (await socket
          .emitWithAck('message:send', { room: 'probe', text: 'x' })
          .catch(() => null)) as Reply;
        if (reply?.ok) accepted++;
        if (paced) await new Promise((done) => setTimeout(done, Math.max(0, 25 - (Date.now() - sent))));
      }
    }),
  );
  process.stderr.write(`sockets: ${sockets.length} of ${SOCKETS} connected\n`);
  sockets.forEach((s) => s.disconnect());
  return accepted / (ATTACK_MS / 1000);
}

async function attackLoop(url: string, paced: boolean): Promise<number> {
  const raw = await rawConnection(url);
  await raw.request('40/chat,');
  await raw.request('40/news,');
  let id = 0;
  const send = (event: unknown[], nsp = '/chat') => raw.request(`42${nsp},${id++}${JSON.stringify(event)}`);
  const registered = await send(['nick:register', `l${process.pid}`]);
  const token = (JSON.parse(registered.slice(registered.indexOf('['))) as [Reply])[0].token;
  let accepted = 0;
  const end = Date.now() + ATTACK_MS;
  while (Date.now() < end && raw.ws.readyState === WebSocket.OPEN) {
    const sent = Date.now();
    raw.ws.send('41/chat,');
    await send(['news:topics'], '/news'); // the DISCONNECT is handled before the next CONNECT
    await raw.request(`40/chat,${JSON.stringify({ token })}`);
    await send(['room:join', 'probe']);
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => send(['message:send', { room: 'probe', text: 'x' }])),
    );
    accepted += replies.filter((r) => r.includes('"ok":true')).length;
    if (paced) await new Promise((done) => setTimeout(done, Math.max(0, 200 - (Date.now() - sent)))); // 45 packets/s
  }
  raw.ws.close();
  return accepted / (ATTACK_MS / 1000);
}

async function attackFlood(url: string, _paced: boolean): Promise<number> {
  const raw = await rawConnection(url);
  await raw.request('40/chat,');
  await raw.request('42/chat,0["nick:register","f' + process.pid + '"]');
  await raw.request('42/chat,1["room:join","probe"]');
  const frame = `42/chat,${JSON.stringify(['typing', { room: 'probe' }])}`;
  const started = performance.now();
  for (let i = 0; i < FLOOD_FRAMES; i++) raw.ws.send(frame);
  await new Promise<void>((done) => {
    if (raw.ws.bufferedAmount === 0) return done();
    raw.ws.once('close', () => done());
    const timer = setInterval(() => {
      if (raw.ws.bufferedAmount === 0) {
        clearInterval(timer);
        done();
      }
    }, 10);
  });
  const ms = performance.now() - started;
  raw.ws.close();
  return ms;
}

const ATTACKS = { sockets: attackSockets, loop: attackLoop, flood: attackFlood };
type Attack = keyof typeof ATTACKS;

function runChild(attack: Attack, url: string, paced = false): Promise<number> {
  return new Promise((done, fail) => {
    const child = fork(new URL(import.meta.url).pathname, [attack, url, String(paced)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? done(Number(out.trim())) : fail(new Error(`${attack} exited ${code}`))));
  });
}

async function probe(root: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'limits-probe-'));
  const { loadConfig } = (await import(`${root}/server/config.ts`)) as typeof ConfigModule;
  const { composeStores } = (await import(`${root}/server/compose.ts`)) as typeof ComposeModule;
  const { createApp } = (await import(`${root}/server/app.ts`)) as typeof AppModule;
  const { createLogger } = (await import(`${root}/server/lib/log.ts`)) as typeof LogModule;
  // Attackers connect from 127.0.0.1 like everything else here: only the per-address caps are raised.
  const env = {
    DATA_DIR: dataDir,
    NEWS_RATE: '0',
    MAX_CONNECTIONS_PER_IP: '1000',
    REQUESTS_PER_ADDRESS: '100000',
    MESSAGES_PER_ADDRESS: '100000',
    HISTORY_ROWS_PER_ADDRESS: '10000000',
    MAX_SESSIONS_PER_ADDRESS: '100000',
  };
  const config = loadConfig(env);
  const log = createLogger('silent');
  const stores = await composeStores(config, log);
  const clientLimits = { maxConnectionsPerAddress: 1000 }; // a checkout without client limits ignores it
  const app = createApp({
    ...stores,
    ...{ log, nodeId: 'probe', corsOrigins: [], newsTopics: config.NEWS_TOPICS, newsRate: 0, newsToken: '' },
    ...{ webDirs: [], recoveryWindowMs: config.RECOVERY_WINDOW_MS, presenceGraceMs: config.PRESENCE_GRACE_MS },
    clientLimits,
  });
  await new Promise<void>((done) => app.httpServer.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  try {
    const result: Record<string, number | string> = { root };
    for (const paced of [true, false]) {
      const how = paced ? 'Paced' : 'FlatOut';
      result[`sessionSockets${how}MsgPerSecond`] = Math.round(await runChild('sockets', url, paced));
      result[`namespaceLoop${how}MsgPerSecond`] = Math.round(await runChild('loop', url, paced));
    }
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    result.floodSendMs = Math.round(await runChild('flood', url));
    await new Promise((done) => setTimeout(done, 1000));
    delay.disable();
    result.floodMaxLoopStallMs = Math.round(delay.max / 1e6);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const [role, target, paced] = process.argv.slice(2);
if (role && role in ATTACKS) {
  const value = await ATTACKS[role as Attack](target!, paced === 'true');
  process.stdout.write(`${value}\n`);
  process.exit(0);
} else {
  const root = process.argv.find((a) => a.startsWith('--root='))?.slice(7) ?? resolve(import.meta.dirname, '..');
  await probe(resolve(root));
  process.exit(0);
}
