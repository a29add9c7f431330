import { type ServerUnderTest, metricsAuth } from './procs.js';

/** What the product's Prometheus endpoint (prom-client's default metrics) says of its own pauses. */
export interface RuntimeCounters {
  /** GC runs so far, and their total duration (s), by kind (major, minor, incremental, weakcb). */
  gc: Record<string, { count: number; seconds: number }>;
  /** GC runs that took more than 10 ms and more than 100 ms, over all kinds. */
  gcOver10ms: number;
  gcOver100ms: number;
  /** The event loop's longest delay since the previous scrape (prom-client resets it on each one), in ms. */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

/** Reads the counters; undefined for a server without the endpoint (the baselines). */
export async function runtimeCounters(server: ServerUnderTest): Promise<RuntimeCounters | undefined> {
  if (server.kind !== 'product') return undefined;
  const text = await (await fetch(`${server.url}/metrics`, metricsAuth)).text();
  const gc: RuntimeCounters['gc'] = {};
  for (const [, field, kind, value] of text.matchAll(
    /^nodejs_gc_duration_seconds_(count|sum)\{kind="(\w+)"\} (\S+)/gm,
  )) {
    const entry = (gc[kind!] ??= { count: 0, seconds: 0 });
    if (field === 'count') entry.count = Number(value);
    else entry.seconds = Number(value);
  }
  // Cumulative buckets: runs at most `le` seconds; count − bucket = runs longer than it.
  const bucket = (le: string) =>
    [...text.matchAll(new RegExp(`^nodejs_gc_duration_seconds_bucket\\{le="${le}",kind="\\w+"\\} (\\S+)`, 'gm'))]
      .map((m) => Number(m[1]))
      .reduce((a, b) => a + b, 0);
  const total = Object.values(gc).reduce((n, k) => n + k.count, 0);
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
  return {
    gc,
    gcOver10ms: total - bucket('0.01'),
    gcOver100ms: total - bucket('0.1'),
    loopDelayMaxMs: gauge('nodejs_eventloop_lag_max_seconds'),
    loopDelayP99Ms: gauge('nodejs_eventloop_lag_p99_seconds'),
  };
}

/** The counters' growth between two readings (the loop delay is the later one's: it covers the interval). */
export function pausesBetween(before: RuntimeCounters, after: RuntimeCounters) {
  const kinds = Object.keys(after.gc);
  const gcMs = (kind: string) => 1000 * (after.gc[kind]!.seconds - (before.gc[kind]?.seconds ?? 0));
  return {
    gcRuns: Object.fromEntries(kinds.map((k) => [k, after.gc[k]!.count - (before.gc[k]?.count ?? 0)])),
    gcMs: Object.fromEntries(kinds.map((k) => [k, Math.round(gcMs(k))])),
    gcOver10ms: after.gcOver10ms - before.gcOver10ms,
    gcOver100ms: after.gcOver100ms - before.gcOver100ms,
    loopDelayMaxMs: Math.round(after.loopDelayMaxMs),
    loopDelayP99Ms: Math.round(after.loopDelayP99Ms),
  };
}

/** Where the product's memory is at one moment (MB), from prom-client's default metrics. */
export interface MemoryBreakdown {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  /** Used and committed size of each V8 heap space with more than 1 MB committed. */
  spaces: Record<string, { used: number; size: number }>;
}

/** Reads the breakdown; undefined for a server without the endpoint (the baselines). */
export async function memoryBreakdown(server: ServerUnderTest): Promise<MemoryBreakdown | undefined> {
  if (server.kind !== 'product') return undefined;
  const text = await (await fetch(`${server.url}/metrics`, metricsAuth)).text();
  const mb = (name: string) =>
    Math.round(Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20);
  const spaces: MemoryBreakdown['spaces'] = {};
  for (const [, field, space, value] of text.matchAll(
    /^nodejs_heap_space_size_(used|total)_bytes\{space="(\w+)"\} (\S+)/gm,
  )) {
    const entry = (spaces[space!] ??= { used: 0, size: 0 });
    entry[field === 'used' ? 'used' : 'size'] = Math.round(Number(value) / 2 ** 20);
  }
  for (const [name, entry] of Object.entries(spaces)) if (entry.size < 1) delete spaces[name];
  return {
    rss: mb('process_resident_memory_bytes'),
    heapTotal: mb('nodejs_heap_size_total_bytes'),
    heapUsed: mb('nodejs_heap_size_used_bytes'),
    external: mb('nodejs_external_memory_bytes'),
    spaces,
  };
}
