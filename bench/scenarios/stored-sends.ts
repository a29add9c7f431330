import { type BenchContext, type ScenarioResult, type TableRow, fmt, sleep, withServer } from '../lib/context.js';
import { merge, summarize, type LatencySummary } from '../lib/hist.js';
import { type ServerUnderTest, startServer } from '../lib/procs.js';
import { type PgServer, startPostgres } from '../../test/pg/postgres.js';

export interface StoredStep {
  offered: number;
  clients: number;
  ackedPerSec: number;
  errors: Record<string, number>;
  ack: LatencySummary;
  serverCpuPercent: number;
}

/** Each socket may send ~10 messages/s (the product's limit); senders stay at 6/s (room for a stalled generator catching up), so high rates need more of them. */
const PER_CLIENT_RATE = 6;
const MIN_CLIENTS = 200;

/**
 * 5. Stored sends: `message:send` with acks at rising rates; an ok ack means committed. Each sender is alone
 * in its room, so the broadcast is one delivery (its own copy) and the cost measured is the store's. The sweep
 * runs twice: history in SQLite (the default), then in PostgreSQL (DATABASE_URL, or a private durable server
 * the bench starts; skipped when PostgreSQL is not installed).
 */
export async function storedSends(ctx: BenchContext): Promise<ScenarioResult> {
  const started = Date.now();
  const rates = ctx.smoke ? [200] : [1000, 2000, 5000, 7000, 9000];
  const stepMs = ctx.smoke ? 1000 : 5000;
  const sqlite = await withServer(
    ctx,
    () => startServer('product', ctx.productNodeArgs),
    (server) => sweep(ctx, rates, stepMs, 'sqlite', [server]),
  );
  let postgres: StoredStep[] = [];
  let pg: PgServer | undefined;
  try {
    let url = process.env.DATABASE_URL;
    if (url === undefined) {
      pg = await startPostgres({ durable: true });
      url = pg.url;
    }
    const env = { DATABASE_URL: url };
    postgres = await withServer(
      ctx,
      () => startServer('product', ctx.productNodeArgs, env),
      (server) => sweep(ctx, rates, stepMs, 'postgres', [server]),
    );
  } catch (err) {
    ctx.log(`stored-sends on PostgreSQL skipped: ${(err as Error).message}`);
  } finally {
    await pg?.destroy();
  }
  return {
    scenario: 'stored-sends',
    durationMs: Date.now() - started,
    params: { rates, stepMs, perClientRate: PER_CLIENT_RATE },
    servers: { product: { sqlite, postgres } },
    rows: [...rowsFor(sqlite, 'SQLite'), ...(postgres.length ? rowsFor(postgres, 'PostgreSQL') : [])],
  };
}

/**
 * The sweep on running servers: the two generators' clients go to servers[0] and servers[1 % n], so with two
 * cluster nodes each takes half the senders.
 */
export async function sweep(
  ctx: BenchContext,
  rates: number[],
  stepMs: number,
  store: string,
  servers: readonly ServerUnderTest[],
): Promise<StoredStep[]> {
  const cpuMs = () => servers.reduce((sum, server) => sum + server.sample().cpuMs, 0);
  const results: StoredStep[] = [];
  let clients = 0;
  const generators = [...ctx.receivers];
  for (const offered of rates) {
    const need = Math.max(ctx.smoke ? 50 : MIN_CLIENTS, Math.ceil(offered / PER_CLIENT_RATE));
    if (need > clients) {
      const add = need - clients;
      await Promise.all(
        generators.map((w, n) =>
          w.call('connect', {
            group: 'stored',
            kind: 'product',
            url: servers[n % servers.length]!.url,
            nsp: '/chat',
            count: n === 0 ? Math.ceil(add / 2) : Math.floor(add / 2),
            ownRoomPrefix: `own${n}-`,
            nickPrefix: `st${n}-${clients}-`,
          }),
        ),
      );
      clients = need;
      // Warm-up, not measured: the first sends of new clients and the JIT.
      await Promise.all(
        generators.map((w, n) =>
          w.call('sendLoad', {
            group: 'stored',
            rate: offered / 2,
            durationMs: ctx.smoke ? 300 : 2000,
            rooms: [],
            ownRoomPrefix: `own${n}-`,
          }),
        ),
      );
      await sleep(500);
    }
    const before = cpuMs();
    const t0 = performance.now();
    const parts = await Promise.all(
      generators.map((w, n) =>
        w.call<{ ok: number; errors: Record<string, number>; ackHistogram: string; sendMs: number }>('sendLoad', {
          group: 'stored',
          rate: offered / 2,
          durationMs: stepMs,
          rooms: [],
          ownRoomPrefix: `own${n}-`,
        }),
      ),
    );
    const after = cpuMs();
    const errors: Record<string, number> = {};
    for (const part of parts)
      for (const [code, n] of Object.entries(part.errors)) errors[code] = (errors[code] ?? 0) + n;
    const step: StoredStep = {
      offered,
      clients,
      ackedPerSec: Math.round(parts.reduce((sum, p) => sum + p.ok, 0) / (stepMs / 1000)),
      errors,
      ack: summarize(merge(parts.map((p) => p.ackHistogram))),
      serverCpuPercent: (after - before) / 10 / ((performance.now() - t0) / 1000),
    };
    results.push(step);
    ctx.log(
      `stored-sends (${store}) ${offered}/s from ${clients} clients: ${step.ackedPerSec} acked/s, ack p99 ${step.ack.p99Ms} ms, errors ${JSON.stringify(errors)}`,
    );
    if (step.ack.p99Ms > 1000) break;
    await sleep(500);
  }
  await Promise.all(generators.map((w) => w.call('closeGroup', { group: 'stored' })));
  return results;
}

export function rowsFor(steps: StoredStep[], store: string): TableRow[] {
  const good = steps.filter((s) => s.ack.p99Ms < 1000 && s.ackedPerSec >= 0.95 * s.offered);
  const best = good.length ? Math.max(...good.map((s) => s.ackedPerSec)) : 0;
  const at1000 = steps.find((s) => s.offered === 1000);
  return [
    {
      metric: `${store}: acknowledged (committed) sends/s, best step with ack p99 < 1 s`,
      product: fmt(best),
      socketio: '—',
      ws: '—',
      target: '≥ 5,000/s',
      met: best >= 5000 ? 'yes' : 'no',
    },
    {
      metric: `${store}: ack p99 at 1,000 sends/s (ms)`,
      product: fmt(at1000?.ack.p99Ms, 1),
      socketio: '—',
      ws: '—',
      target: '≤ 20 ms',
      met: at1000 && at1000.ack.p99Ms <= 20 ? 'yes' : 'no',
    },
    ...steps.map((s) => ({
      metric: `${store}: ${fmt(s.offered)} sends/s offered from ${fmt(s.clients)} clients: acked/s, ack p50 / p99 (ms)`,
      product: `${fmt(s.ackedPerSec)}, ${fmt(s.ack.p50Ms, 1)} / ${fmt(s.ack.p99Ms, 1)}`,
      socketio: '—',
      ws: '—',
      target: '—',
      met: '—' as const,
    })),
  ];
}
