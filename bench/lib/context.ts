import { type LatencySummary, merge, summarize } from './hist.js';
import type { ServerKind } from './lean-client.js';
import type { ServerUnderTest, Worker } from './procs.js';

const ALL_KINDS: readonly ServerKind[] = ['ws', 'socketio', 'product'];
/** BENCH_KINDS=product (comma-separated) runs a subset while developing; a full run measures all three. */
export const KINDS: readonly ServerKind[] = process.env.BENCH_KINDS
  ? ALL_KINDS.filter((k) => process.env.BENCH_KINDS?.split(',').includes(k))
  : ALL_KINDS;
export const KIND_LABEL: Record<ServerKind, string> = { ws: 'raw ws', socketio: 'plain Socket.IO', product: 'product' };

export interface BenchContext {
  smoke: boolean;
  /** two receiving load generators and one sending one */
  receivers: [Worker, Worker];
  sender: Worker;
  /** extra node flags for the product server, e.g. --cpu-prof */
  productNodeArgs: string[];
  /** largest idle level the open-file limit allows */
  maxIdleClients: number;
  /** this process's open-file limit, which the servers and generators inherit */
  openFileLimit: number;
  log(message: string): void;
}

/** One JSON line per scenario: measurements per server kind and ratios of the product to the baselines. */
export interface ScenarioResult {
  scenario: string;
  durationMs: number;
  params: Record<string, unknown>;
  servers: Partial<Record<ServerKind, unknown>>;
  /** Rows of the markdown table: metric, product, plain Socket.IO, raw ws, target, verdict. */
  rows: TableRow[];
  /** set by run.ts */
  finishedAt?: string;
  loadAverage?: string;
}

export interface TableRow {
  metric: string;
  product: string;
  socketio: string;
  ws: string;
  target: string;
  met: 'yes' | 'no' | '—';
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface WorkerStats {
  histogram: string;
  received: number;
  perClient?: number[];
  lastSeq?: number[];
  open: number;
}

export interface GroupStats {
  latency: LatencySummary;
  received: number;
  perClient: number[];
  lastSeq: number[];
  open: number;
}

/** Stats of the same group name on several workers, merged. */
export async function groupStats(workers: readonly Worker[], group: string, perClient = false): Promise<GroupStats> {
  const all = await Promise.all(workers.map((w) => w.call<WorkerStats>('stats', { group, perClient })));
  return {
    latency: summarize(merge(all.map((s) => s.histogram))),
    received: all.reduce((sum, s) => sum + s.received, 0),
    perClient: all.flatMap((s) => s.perClient ?? []),
    lastSeq: all.flatMap((s) => s.lastSeq ?? []),
    open: all.reduce((sum, s) => sum + s.open, 0),
  };
}

export async function resetGroup(workers: readonly Worker[], group: string): Promise<void> {
  await Promise.all(workers.map((w) => w.call('reset', { group })));
}

export async function closeGroup(workers: readonly Worker[], group: string): Promise<void> {
  await Promise.all(workers.map((w) => w.call('closeGroup', { group })));
}

export async function withServer<T>(
  ctx: BenchContext,
  start: () => Promise<ServerUnderTest>,
  run: (s: ServerUnderTest) => Promise<T>,
): Promise<T> {
  const server = await start();
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

export const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || !Number.isFinite(n)
    ? '—'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? '—'
    : `${(a / b).toFixed(2)}×`;

/** Waits until a group's delivery count stops rising (or `maxMs` passes): the tail of a step arrives. */
export async function drain(workers: readonly Worker[], group: string, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  while (Date.now() < deadline) {
    await sleep(250);
    const now = (await groupStats(workers, group)).received;
    if (now === last) return;
    last = now;
  }
}
