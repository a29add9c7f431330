/**
 * A load-generator process: holds groups of lean clients and runs what bench/run.ts asks for over IPC.
 * Runs in its own process, so its CPU never counts as the server's.
 */
import { request, Agent } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { type Histogram, encode, newHistogram } from './lib/hist.js';
import { serveCalls } from './lib/serve-calls.js';
import {
  LeanClient,
  type ServerKind,
  isOk,
  nowMicros,
  numberAfter,
  sentAtMicros,
  stampedText,
} from './lib/lean-client.js';

/** What a group holds: lean clients, or the official socket.io-client behind the same methods. */
interface LoadClient {
  closed: boolean;
  join(room: string, nick: string): Promise<void>;
  send(room: string, text: string): Promise<unknown>;
  emit(event: string, ...args: unknown[]): void;
  pause(): void;
  close(): void;
}

const STAMP = /~T(\d+)~/;

/** socket.io-client 4 for latency at modest rates (its CPU per delivery is close to the server's). */
class OfficialClient implements LoadClient {
  closed = false;
  private constructor(
    private readonly socket: Socket,
    private readonly kind: ServerKind,
  ) {
    socket.on('disconnect', () => (this.closed = true));
  }

  static async connect(
    url: string,
    kind: ServerKind,
    nsp: string,
    onStamp: (sentAt: number) => void,
  ): Promise<OfficialClient> {
    const socket = io(`${url}${nsp === '/' ? '' : nsp}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const onMessage = (m: unknown) => {
      const text = typeof m === 'object' && m !== null && 'text' in m ? String(m.text) : '';
      const match = STAMP.exec(text);
      if (match) onStamp(Number(match[1]));
    };
    socket.on(kind === 'product' ? 'message' : 'chat message', onMessage);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return new OfficialClient(socket, kind);
  }

  async join(room: string, nick: string): Promise<void> {
    if (this.kind === 'socketio') {
      await this.socket.emitWithAck('join', room);
      return;
    }
    const registered: unknown = await this.socket.emitWithAck('nick:register', nick);
    if (!isOk(registered)) throw new Error(`nick:register failed: ${JSON.stringify(registered)}`);
    const joined: unknown = await this.socket.emitWithAck('room:join', room);
    if (!isOk(joined)) throw new Error(`room:join failed: ${JSON.stringify(joined)}`);
  }

  send(room: string, text: string): Promise<unknown> {
    if (this.kind === 'product') return this.socket.emitWithAck('message:send', { room, text });
    return this.socket.emitWithAck('room message', room, { text });
  }

  emit(event: string, ...args: unknown[]): void {
    this.socket.emit(event, ...args);
  }

  pause(): void {
    throw new Error('pause is for lean clients');
  }

  close(): void {
    this.socket.disconnect();
  }
}

interface Group {
  clients: LoadClient[];
  latency: Histogram;
  /** deliveries per client since the last reset */
  received: number[];
  /** highest seq and gaps per client (news) */
  lastSeq: number[];
}

const groups = new Map<string, Group>();
const SEQ_KEY = Buffer.from('"seq":');

interface ConnectParams {
  group: string;
  kind: ServerKind;
  url: string;
  nsp?: string;
  count: number;
  /** Room (or topic) of client i is rooms[i % rooms.length]; none = connect only. */
  rooms?: string[];
  nickPrefix?: string;
  concurrency?: number;
  localAddresses?: string[];
  /** Client i (counted over the whole group) joins `${ownRoomPrefix}${i}` instead of a shared room. */
  ownRoomPrefix?: string;
  /** Use socket.io-client instead of the lean client. */
  official?: boolean;
}

async function connectGroup(p: ConnectParams): Promise<{ connected: number }> {
  let group = groups.get(p.group);
  if (!group) {
    group = { clients: [], latency: newHistogram(), received: [], lastSeq: [] };
    groups.set(p.group, group);
  }
  const g = group;
  const start = g.clients.length;
  const nsp = p.kind === 'product' ? (p.nsp ?? '/') : '/'; // the baselines use the main namespace
  let next = 0;
  const connectOne = async (): Promise<void> => {
    while (next < p.count) {
      const i = start + next++;
      g.received[i] = 0;
      g.lastSeq[i] = 0;
      const record = (sentAt: number) => {
        g.received[i]!++;
        g.latency.recordValue(Math.max(1, nowMicros() - sentAt));
      };
      const client: LoadClient = p.official
        ? await OfficialClient.connect(p.url, p.kind, nsp, record)
        : await LeanClient.connect({
            url: p.url,
            kind: p.kind,
            nsp,
            localAddress: p.localAddresses?.[i % p.localAddresses.length],
            onEvent: (data) => {
              const sentAt = sentAtMicros(data);
              if (sentAt > 0) {
                record(sentAt);
                return;
              }
              const seq = numberAfter(data, SEQ_KEY);
              if (seq > 0) {
                g.received[i]!++;
                g.lastSeq[i] = seq;
              }
            },
          });
      g.clients[i] = client;
      const room = p.ownRoomPrefix !== undefined ? `${p.ownRoomPrefix}${i}` : p.rooms?.[i % p.rooms.length];
      if (room !== undefined) await client.join(room, `${p.nickPrefix ?? 'u'}${i}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(p.concurrency ?? 100, p.count) }, connectOne));
  return { connected: g.clients.length };
}

function groupOf(name: string): Group {
  const group = groups.get(name);
  if (!group) throw new Error(`no group ${name}`);
  return group;
}

function reset(p: { group: string }): object {
  const g = groupOf(p.group);
  g.latency.reset();
  g.received.fill(0);
  return {};
}

function stats(p: { group: string; perClient?: boolean }) {
  const g = groupOf(p.group);
  return {
    histogram: encode(g.latency),
    received: g.received.reduce((a, b) => a + b, 0),
    perClient: p.perClient ? [...g.received] : undefined,
    lastSeq: p.perClient ? [...g.lastSeq] : undefined,
    closed: p.perClient ? g.clients.map((c) => c.closed) : undefined,
    open: g.clients.filter((c) => !c.closed).length,
  };
}

interface SendParams {
  group: string;
  /** messages per second over all clients of the group */
  rate: number;
  durationMs: number;
  rooms: string[];
  ownRoomPrefix?: string;
  textBytes?: number;
  /** 'volatile' sends the baseline's volatile event without ack */
  mode?: 'ack' | 'volatile';
  /** send in bursts of this many messages (default 1: evenly paced) */
  burst?: number;
}

/** Paced sends from every client of the group in turn; ack latency measured send → ack. */
async function sendLoad(p: SendParams) {
  const g = groupOf(p.group);
  const acks = newHistogram();
  const errors: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let cursor = 0;
  const outstanding = new Set<Promise<void>>();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - start;
      const burst = p.burst ?? 1;
      const total = Math.floor((p.durationMs / 1000) * p.rate);
      const due = Math.min(Math.floor(((elapsed / 1000) * p.rate) / burst) * burst, total);
      while (sent < due) {
        const i = cursor++ % g.clients.length;
        const client = g.clients[i]!;
        const room = p.ownRoomPrefix !== undefined ? `${p.ownRoomPrefix}${i}` : p.rooms[i % p.rooms.length]!;
        const text = stampedText(p.textBytes ?? 0);
        sent++;
        if (p.mode === 'volatile') {
          client.emit('volatile message', room, { text });
          continue;
        }
        const t0 = nowMicros();
        const pending = client.send(room, text).then((reply) => {
          acks.recordValue(Math.max(1, nowMicros() - t0));
          if (isOk(reply)) ok++;
          else {
            const code = (reply as { error?: { code?: string } }).error?.code ?? 'unknown';
            errors[code] = (errors[code] ?? 0) + 1;
          }
          outstanding.delete(pending);
        });
        outstanding.add(pending);
      }
      if (elapsed >= p.durationMs) {
        clearInterval(tick);
        resolve();
      }
    }, 2);
  });
  const sendMs = performance.now() - start;
  await Promise.race([Promise.all(outstanding), new Promise((r) => setTimeout(r, 5000))]);
  return { sent, ok, errors, unanswered: outstanding.size, sendMs, ackHistogram: encode(acks) };
}

/** POST /api/news in bursts: `burst` requests every `1000 * burst / rate` ms. */
async function publishNews(p: {
  url: string;
  token: string;
  topic: string;
  rate: number;
  durationMs: number;
  burst: number;
  headlineChars: number;
}) {
  const agent = new Agent({ keepAlive: true, maxSockets: p.burst });
  const headline = 'h'.repeat(p.headlineChars);
  let published = 0;
  let failed = 0;
  const post = () =>
    new Promise<void>((resolve) => {
      const body = JSON.stringify({ topic: p.topic, headline });
      const req = request(`${p.url}/api/news`, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${p.token}`,
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('response', (res) => {
        if (res.statusCode === 201) published++;
        else failed++;
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const start = performance.now();
  const intervalMs = (1000 * p.burst) / p.rate;
  const inFlight: Promise<void>[] = [];
  let due = 0;
  while (performance.now() - start < p.durationMs) {
    const batch = Array.from({ length: p.burst }, post);
    inFlight.push(...batch);
    due += intervalMs;
    const wait = start + due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { published, failed, ms: performance.now() - start };
}

function pause(p: { group: string; count: number }): object {
  const g = groupOf(p.group);
  for (const client of g.clients.slice(0, p.count)) client.pause();
  return {};
}

function closeGroup(p: { group: string }): object {
  const g = groups.get(p.group);
  for (const client of g?.clients ?? []) client.close();
  groups.delete(p.group);
  return {};
}

const methods: Record<string, (params: never) => unknown> = {
  connect: connectGroup,
  reset,
  stats,
  sendLoad,
  publishNews,
  pause,
  closeGroup,
};

serveCalls(methods, () => {
  for (const group of groups.values()) for (const client of group.clients) client.close();
});
