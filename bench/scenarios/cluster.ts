import {
  type BenchContext,
  type ScenarioResult,
  type TableRow,
  closeGroup,
  drain,
  fmt,
  groupStats,
  ratio,
  resetGroup,
  sleep,
} from '../lib/context.js';
import { type ServerUnderTest, sampleProc, startServer } from '../lib/procs.js';
import { type StoredStep, rowsFor, sweep } from './stored-sends.js';
import { type Backing, startBacking } from '../lib/backing.js';

interface Step {
  offered: number;
  deliveredPerSec: number;
  deliveredRatio: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU of every node in the step, per delivery */
  cpuUsPerDelivery: number;
  /** Redis CPU in the step, per delivery (private Redis only) */
  redisCpuUsPerDelivery?: number;
}

const ROOM = 'cluster-fanout';
const SENDERS = 40;

function startNodes(ctx: BenchContext, backing: Backing, ids: string[]): Promise<ServerUnderTest[]> {
  return Promise.all(
    ids.map((id) => startServer('product', ctx.productNodeArgs, { ...backing.env, NODE_ID: id, LOG_LEVEL: 'warn' })),
  );
}

/**
 * 6. Cluster: the fan-out of scenario 1 (one room of 1,000: 960 lean readers, 40 senders) on one cluster node,
 * then split over two (each generator's readers and half the senders on each node, so every message crosses
 * Redis), both on Redis + PostgreSQL; then stored sends split over two fresh nodes.
 */
export async function cluster(ctx: BenchContext): Promise<ScenarioResult> {
  const started = Date.now();
  const members = ctx.smoke ? 60 : 1000;
  const steps = ctx.smoke ? [3_000] : [10_000, 25_000, 50_000, 75_000, 100_000, 150_000];
  const stepMs = ctx.smoke ? 1000 : 3000;
  const storedRates = ctx.smoke ? [200] : [1000, 2500, 5000];
  const backing = await startBacking();
  try {
    const withNodes = async <T>(ids: string[], task: (nodes: ServerUnderTest[]) => Promise<T>) => {
      const nodes = await startNodes(ctx, backing, ids);
      try {
        return await task(nodes);
      } finally {
        await Promise.all(nodes.map((node) => node.stop()));
      }
    };
    // The smoke run skips the one-node comparison: it only shows that the scenario works.
    const one = ctx.smoke
      ? []
      : await withNodes(['bench-1'], (nodes) => fanout(ctx, nodes, backing, members, steps, stepMs));
    const two = await withNodes(['bench-2a', 'bench-2b'], (nodes) =>
      fanout(ctx, nodes, backing, members, steps, stepMs),
    );
    // Stored sends on a fresh pair, as the single process's are measured on a fresh server, not on nodes that
    // have just delivered 150,000 messages a second (their ack p99 was higher: docs/performance.md, issue 20).
    const stored = await withNodes(['bench-3a', 'bench-3b'], (nodes) =>
      sweep(ctx, storedRates, ctx.smoke ? 1000 : 4000, 'cluster of 2', nodes),
    );
    return {
      scenario: 'cluster',
      durationMs: Date.now() - started,
      params: { members, senders: SENDERS, steps, stepMs, storedRates },
      servers: { product: { oneNode: one, twoNodes: two, storedTwoNodes: stored } },
      rows: rows(one, two, stored),
    };
  } finally {
    await backing.destroy();
  }
}

async function fanout(
  ctx: BenchContext,
  nodes: ServerUnderTest[],
  backing: Backing,
  members: number,
  steps: number[],
  stepMs: number,
): Promise<Step[]> {
  const label = nodes.length === 1 ? '1 node' : `${nodes.length} nodes`;
  // A room of its own: the previous phase's node has stopped, and its 1,000 members are being reaped.
  const room = `${ROOM}-${nodes.length}`;
  const workers = [...ctx.receivers, ctx.sender];
  const node = (n: number) => nodes[n % nodes.length]!;
  const readers = members - SENDERS;
  const connect = (w: (typeof workers)[number], n: number, count: number, prefix: string) =>
    w.call('connect', {
      group: 'cl',
      kind: 'product',
      url: node(n).url,
      nsp: '/chat',
      count,
      rooms: [room],
      // Joins 20 at a time: every join is a presence broadcast to the whole room, and on a busy machine a
      // storm of them delays Redis replies past the nodes' 3 s command timeout (the join answers INTERNAL).
      concurrency: 20,
      nickPrefix: prefix,
    });
  await Promise.all(
    ctx.receivers.map((w, n) =>
      connect(w, n, n === 0 ? Math.ceil(readers / 2) : Math.floor(readers / 2), `cr${n}-${nodes.length}-`),
    ),
  );
  await connect(ctx.sender, 0, SENDERS / 2, `cs0-${nodes.length}-`);
  await connect(ctx.sender, 1, SENDERS / 2, `cs1-${nodes.length}-`); // sendLoad takes the group's clients in turn: both nodes send
  await drain(workers, 'cl', 10_000);
  await ctx.sender.call('sendLoad', {
    group: 'cl',
    rate: steps[0]! / members,
    durationMs: ctx.smoke ? 300 : 2000,
    rooms: [room],
  });
  await drain(workers, 'cl', 3000);
  const cpuMs = () => nodes.reduce((sum, n) => sum + n.sample().cpuMs, 0);
  const redisCpuMs = () => (backing.redisPid === undefined ? NaN : sampleProc(backing.redisPid).cpuMs);
  const results: Step[] = [];
  for (const offered of steps) {
    await resetGroup(workers, 'cl');
    const [cpu0, redis0] = [cpuMs(), redisCpuMs()];
    const send = await ctx.sender.call<{ sent: number }>('sendLoad', {
      group: 'cl',
      rate: offered / members,
      durationMs: stepMs,
      rooms: [room],
    });
    await drain(workers, 'cl', 3000);
    const [cpu1, redis1] = [cpuMs(), redisCpuMs()];
    const stats = await groupStats(workers, 'cl');
    const deliveries = Math.max(1, stats.received);
    const step: Step = {
      offered,
      deliveredPerSec: Math.round(stats.received / (stepMs / 1000)),
      deliveredRatio: send.sent ? stats.received / (send.sent * members) : 0,
      p50Ms: stats.latency.p50Ms,
      p99Ms: stats.latency.p99Ms,
      cpuUsPerDelivery: ((cpu1 - cpu0) * 1000) / deliveries,
      redisCpuUsPerDelivery: Number.isNaN(redis0) ? undefined : ((redis1 - redis0) * 1000) / deliveries,
    };
    results.push(step);
    ctx.log(
      `cluster ${label} ${offered}/s → ${step.deliveredPerSec}/s p99 ${step.p99Ms} ms, ${step.cpuUsPerDelivery.toFixed(2)} µs CPU/delivery`,
    );
    if (step.p99Ms > 1000 || step.deliveredRatio < 0.9) break;
    await sleep(500);
  }
  await closeGroup(workers, 'cl');
  return results;
}

const good = (steps: Step[]) => steps.filter((s) => s.p99Ms < 1000 && s.deliveredRatio >= 0.9);
const sustained = (steps: Step[]) =>
  good(steps).length ? Math.max(...good(steps).map((s) => s.deliveredPerSec)) : undefined;
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);
/** Mean over the steps offered 10k–50k deliveries/s (all steps in smoke). */
const band = (steps: Step[]) => {
  const inBand = steps.filter((s) => s.offered >= 10_000 && s.offered <= 50_000);
  return inBand.length ? inBand : steps;
};

function rows(one: Step[], two: Step[], stored: StoredStep[]): TableRow[] {
  const row = (metric: string, product: string): TableRow => ({
    metric,
    product,
    socketio: '—',
    ws: '—',
    target: '—',
    met: '—',
  });
  const cpu = (steps: Step[]) => mean(band(steps).map((s) => s.cpuUsPerDelivery));
  const redisCpu = (steps: Step[]) => mean(band(steps).flatMap((s) => s.redisCpuUsPerDelivery ?? []));
  const p99 = (steps: Step[], offered: number) => steps.find((s) => s.offered === offered)?.p99Ms;
  return [
    row('1 node: sustained deliveries/s with p99 < 1 s', fmt(sustained(one))),
    row(
      '2 nodes (readers and senders split): sustained deliveries/s with p99 < 1 s',
      `${fmt(sustained(two))} (${ratio(sustained(two), sustained(one))} one node)`,
    ),
    row('1 node: server CPU per delivery, 10k–50k/s (µs)', fmt(cpu(one), 2)),
    row(
      '2 nodes: server CPU per delivery, both nodes, 10k–50k/s (µs)',
      `${fmt(cpu(two), 2)} (${ratio(cpu(two), cpu(one))} one node)`,
    ),
    row(
      '1 node / 2 nodes: Redis CPU per delivery, 10k–50k/s (µs)',
      `${fmt(redisCpu(one), 2)} / ${fmt(redisCpu(two), 2)}`,
    ),
    row(
      '1 node / 2 nodes: p99 at 10,000 deliveries/s (ms)',
      `${fmt(p99(one, 10_000), 1)} / ${fmt(p99(two, 10_000), 1)}`,
    ),
    row(
      '1 node / 2 nodes: p99 at 50,000 deliveries/s (ms)',
      `${fmt(p99(one, 50_000), 1)} / ${fmt(p99(two, 50_000), 1)}`,
    ),
    ...rowsFor(stored, 'cluster of 2, PostgreSQL'),
  ];
}
