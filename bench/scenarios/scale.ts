import {
  type BenchContext,
  KINDS,
  KIND_LABEL,
  type ScenarioResult,
  type TableRow,
  closeGroup,
  drain,
  fmt,
  groupStats,
  ratio,
  resetGroup,
  sleep,
  withServer,
} from '../lib/context.js';
import { type LatencySummary, merge, summarize } from '../lib/hist.js';
import type { ServerKind } from '../lib/lean-client.js';
import { startBacking } from '../lib/backing.js';
import { type ProcSample, type ServerUnderTest, startServer } from '../lib/procs.js';
import { memoryBreakdown, pausesBetween, runtimeCounters } from '../lib/runtime-pauses.js';

interface ScaleResult {
  clients: number;
  /** (RSS once the connections have settled − RSS before the first) / clients */
  rssKbPerClient: number;
  /** the same at the end of the measured window, after the load */
  rssKbPerClientAfterLoad: number;
  /** server CPU of connecting, registering and joining (or connect + join), until the server is quiet */
  setupCpuUsPerClient: number;
  connectSeconds: number;
  /** from the last connection to the server's CPU falling quiet (the presence broadcasts of the joins) */
  settleSeconds: number;
  cpuUsPerDelivery: number;
  message: LatencySummary;
  ack: LatencySummary;
  sent: number;
  acked: number;
  delivered: number;
  expected: number;
  /** The product's heap and external memory once connected (its metrics; none for the baseline). */
  memoryConnected?: Awaited<ReturnType<typeof memoryBreakdown>>;
  /** The product's own GC runs and event-loop delay in the measured window (its metrics; none for the baseline). */
  pauses?: ReturnType<typeof pausesBetween> | undefined;
}

interface Plan {
  rooms: string[];
  perRoom: number;
  warmUpMs: number;
  measuredMs: number;
}

const GROUP = 'scale';
/** One sender per room at 1 msg/s. */
const SENDS_PER_ROOM_PER_SECOND = 1;
/** Sockets the server and each generator hold besides the clients (listeners, database, pipes). */
const SPARE_FILES = 1000;
/** The server is quiet once it uses less than this share of a core (engine.io pings go on meanwhile). */
const QUIET_CPU_SHARE = 0.05;

/**
 * 7. Scale (issue 24): 18,000 clients in rooms of 100 on one process, one acked lean sender per room at 1 msg/s
 * (18,000 deliveries/s), 10 s warm-up, then 30 s measured. Product and plain Socket.IO, one after the other.
 */
export async function scale(ctx: BenchContext): Promise<ScenarioResult> {
  const started = Date.now();
  const roomCount = ctx.smoke ? 3 : Math.min(180, Math.floor((ctx.openFileLimit - SPARE_FILES) / 100));
  const plan: Plan = {
    rooms: Array.from({ length: roomCount }, (_, i) => `scale${i}`),
    perRoom: 100,
    warmUpMs: ctx.smoke ? 500 : 10_000,
    measuredMs: ctx.smoke ? 1500 : 30_000,
  };
  const clients = plan.rooms.length * plan.perRoom;
  // An operator's settings for a one-address load test: the open-connection cap above the clients.
  const productEnv = { HTTP_MAX_CONNECTIONS: String(clients + SPARE_FILES) };
  const servers: Partial<Record<ServerKind, ScaleResult>> = {};
  for (const kind of KINDS.filter((k) => k !== 'ws')) {
    const [nodeArgs, env] = kind === 'product' ? [ctx.productNodeArgs, productEnv] : [[], {}];
    servers[kind] = await withServer(
      ctx,
      () => startServer(kind, nodeArgs, env),
      (s) => measure(ctx, s, plan),
    );
  }
  // The same shape on one node of a cluster: sessions, nicks and presence in Redis, messages in PostgreSQL.
  const backing = await startBacking();
  let clusterNode: ScaleResult;
  try {
    clusterNode = await withServer(
      ctx,
      () =>
        startServer('product', ctx.productNodeArgs, {
          ...productEnv,
          ...backing.env,
          NODE_ID: 'scale-1',
          LOG_LEVEL: 'warn',
        }),
      (s) => measure(ctx, s, plan, 'cluster node'),
    );
  } finally {
    await backing.destroy();
  }
  return {
    scenario: 'scale',
    durationMs: Date.now() - started,
    params: { ...plan, rooms: roomCount, ratePerRoom: SENDS_PER_ROOM_PER_SECOND },
    servers: { ...servers, product: servers.product && { ...servers.product, clusterNode } },
    rows: [...rows(servers.product, servers.socketio), ...clusterRows(clusterNode, servers.socketio)],
  };
}

async function measure(
  ctx: BenchContext,
  server: ServerUnderTest,
  plan: Plan,
  label = KIND_LABEL[server.kind],
): Promise<ScaleResult> {
  const clients = plan.rooms.length * plan.perRoom;
  const workers = [...ctx.receivers, ctx.sender];
  await sleep(ctx.smoke ? 300 : 3000);
  const empty = server.sample();
  const t0 = performance.now();
  await connectAll(ctx, server, plan);
  const connectSeconds = (performance.now() - t0) / 1000;
  const connected = await waitForQuiet(server, ctx.smoke ? 3000 : 30_000);
  const settleSeconds = (performance.now() - t0) / 1000 - connectSeconds;
  const memoryConnected = await memoryBreakdown(server);
  await sendLoad(ctx, plan, plan.warmUpMs); // JIT and heap sizing, not measured
  await drain(workers, GROUP, 3000);
  await resetGroup(workers, GROUP);
  const countersBefore = await runtimeCounters(server);
  const before = server.sample();
  const send = await sendLoad(ctx, plan, plan.measuredMs);
  await drain(workers, GROUP, 3000);
  const after = server.sample();
  const countersAfter = await runtimeCounters(server);
  const stats = await groupStats(workers, GROUP);
  await closeGroup(workers, GROUP);
  const result: ScaleResult = {
    clients,
    rssKbPerClient: (connected.rssBytes - empty.rssBytes) / 1024 / clients,
    rssKbPerClientAfterLoad: (after.rssBytes - empty.rssBytes) / 1024 / clients,
    setupCpuUsPerClient: ((connected.cpuMs - empty.cpuMs) * 1000) / clients,
    connectSeconds,
    settleSeconds,
    cpuUsPerDelivery: ((after.cpuMs - before.cpuMs) * 1000) / Math.max(1, stats.received),
    message: stats.latency,
    ack: summarize(merge([send.ackHistogram])),
    sent: send.sent,
    acked: send.ok,
    delivered: stats.received,
    expected: send.sent * plan.perRoom,
    pauses: countersBefore && countersAfter && pausesBetween(countersBefore, countersAfter),
    memoryConnected,
  };
  ctx.log(
    `scale ${label} ${clients}: ${result.rssKbPerClient.toFixed(1)} KB/client, ` +
      `set-up ${result.setupCpuUsPerClient.toFixed(0)} µs/client, ${result.cpuUsPerDelivery.toFixed(2)} µs/delivery, ` +
      `p99 ${result.message.p99Ms} ms, ${result.delivered}/${result.expected} delivered` +
      (result.pauses ? `; pauses ${JSON.stringify(result.pauses)}` : '') +
      (memoryConnected ? `; memory connected (MB) ${JSON.stringify(memoryConnected)}` : ''),
  );
  return result;
}

/** Every sender in turn, so each room gets SENDS_PER_ROOM_PER_SECOND. */
function sendLoad(ctx: BenchContext, plan: Plan, durationMs: number) {
  return ctx.sender.call<{ sent: number; ok: number; ackHistogram: string }>('sendLoad', {
    group: GROUP,
    rate: plan.rooms.length * SENDS_PER_ROOM_PER_SECOND,
    durationMs,
    rooms: plan.rooms,
  });
}

/** Each room: 99 readers split over the two reading generators, and its sender on the sending one. */
async function connectAll(ctx: BenchContext, server: ServerUnderTest, plan: Plan): Promise<void> {
  const { kind, url } = server;
  const base = { group: GROUP, kind, url, nsp: '/chat', rooms: plan.rooms, concurrency: 100 };
  const readersPerRoom = plan.perRoom - 1;
  await Promise.all(
    ctx.receivers.map((w, n) => {
      const perRoom = n === 0 ? Math.ceil(readersPerRoom / 2) : Math.floor(readersPerRoom / 2);
      // Reader j goes to rooms[j % rooms]: a multiple of the room count fills every room evenly.
      return w.call('connect', { ...base, count: plan.rooms.length * perRoom, nickPrefix: `sc${n}-` });
    }),
  );
  await ctx.sender.call('connect', { ...base, count: plan.rooms.length, nickPrefix: 'scs-' });
}

/** Polls the server's CPU until a half-second uses less than QUIET_CPU_SHARE of a core (presence has settled). */
async function waitForQuiet(server: ServerUnderTest, maxMs: number): Promise<ProcSample> {
  const deadline = Date.now() + maxMs;
  let last = server.sample();
  while (Date.now() < deadline) {
    await sleep(500);
    const now = server.sample();
    if (now.cpuMs - last.cpuMs < 500 * QUIET_CPU_SHARE) return now;
    last = now;
  }
  return last;
}

type Check = (product: number, socketio: number | undefined) => boolean;
const atMost =
  (times: number): Check =>
  (product, socketio) =>
    socketio !== undefined && product <= times * socketio;

function rows(p: ScaleResult | undefined, s: ScaleResult | undefined): TableRow[] {
  const row = (metric: string, target: string, value: (r: ScaleResult) => number, digits: number, met?: Check) => {
    const pv = p && value(p);
    const sv = s && value(s);
    return {
      metric,
      product: fmt(pv, digits),
      socketio: `${fmt(sv, digits)} (product ${ratio(pv, sv)})`,
      ws: '—',
      target,
      met: met === undefined || pv === undefined ? '—' : met(pv, sv) ? 'yes' : 'no',
    } satisfies TableRow;
  };
  const clients = fmt(p?.clients ?? s?.clients);
  return [
    row(`RSS per client at ${clients}, connected (KB)`, '≤ 1.0× Socket.IO', (r) => r.rssKbPerClient, 1, atMost(1)),
    row('RSS per client after the load (KB)', '—', (r) => r.rssKbPerClientAfterLoad, 1),
    row('server CPU per delivery, rooms of 100 (µs)', '≤ 1.0× Socket.IO', (r) => r.cpuUsPerDelivery, 2, atMost(1)),
    row('connection set-up CPU per client (µs)', '≤ 2.0× Socket.IO', (r) => r.setupCpuUsPerClient, 0, atMost(2)),
    row(
      'message p99, send → receive (ms)',
      '≤ 50 ms',
      (r) => r.message.p99Ms,
      1,
      (pv) => pv <= 50,
    ),
    row('ack p99 (ms)', '—', (r) => r.ack.p99Ms, 1),
    row(
      'delivered (%)',
      '≥ 99.9%',
      (r) => (100 * r.delivered) / Math.max(1, r.expected),
      2,
      (pv) => pv >= 99.9,
    ),
  ];
}

/** The cluster node's figures against the same plain Socket.IO run (no targets: the issue asks for them beside). */
function clusterRows(node: ScaleResult, s: ScaleResult | undefined): TableRow[] {
  const row = (metric: string, value: (r: ScaleResult) => number, digits: number): TableRow => ({
    metric: `cluster node (Redis + PostgreSQL): ${metric}`,
    product: fmt(value(node), digits),
    socketio: `${fmt(s && value(s), digits)} (node ${ratio(value(node), s && value(s))})`,
    ws: '—',
    target: '—',
    met: '—',
  });
  return [
    row('RSS per client, connected (KB)', (r) => r.rssKbPerClient, 1),
    row('server CPU per delivery (µs)', (r) => r.cpuUsPerDelivery, 2),
    row('connection set-up CPU per client (µs)', (r) => r.setupCpuUsPerClient, 0),
    row('message p99 (ms)', (r) => r.message.p99Ms, 1),
    row('delivered (%)', (r) => (100 * r.delivered) / Math.max(1, r.expected), 2),
  ];
}
