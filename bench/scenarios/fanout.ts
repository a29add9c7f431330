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
import { startServer } from '../lib/procs.js';
import type { ServerKind } from '../lib/lean-client.js';

interface Step {
  offered: number;
  deliveredPerSec: number;
  deliveredRatio: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cpuUsPerDelivery: number;
  serverCpuPercent: number;
  rssMb: number;
}

const ROOM = 'fanout';
/** The product limits each socket to ~10 messages/s, so the load comes from this many senders in the room. */
const SENDERS = 40;

/**
 * 1. Fan-out: one room of 1,000 members (960 lean readers on two generators + 40 senders), deliveries/s swept
 * upwards until p99 passes 1 s or fewer than 90% of the offered deliveries arrive.
 */
export async function fanout(ctx: BenchContext): Promise<ScenarioResult> {
  const started = Date.now();
  const members = ctx.smoke ? 60 : 1000;
  const steps = ctx.smoke ? [3_000] : [10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000];
  const stepMs = ctx.smoke ? 1000 : 3000;
  const servers: Partial<Record<ServerKind, Step[]>> = {};
  const workers = [...ctx.receivers, ctx.sender];

  for (const kind of KINDS) {
    servers[kind] = await withServer(
      ctx,
      () => startServer(kind, kind === 'product' ? ctx.productNodeArgs : []),
      async (server) => {
        const readers = members - SENDERS;
        await Promise.all(
          ctx.receivers.map((w, n) =>
            w.call('connect', {
              group: 'fan',
              kind,
              url: server.url,
              nsp: '/chat',
              count: n === 0 ? Math.ceil(readers / 2) : Math.floor(readers / 2),
              rooms: [ROOM],
              nickPrefix: `r${n}-`,
            }),
          ),
        );
        await ctx.sender.call('connect', {
          group: 'fan',
          kind,
          url: server.url,
          nsp: '/chat',
          count: SENDERS,
          rooms: [ROOM],
          nickPrefix: 's-',
        });
        await drain(workers, 'fan', 10_000); // presence storm of the joins
        // Warm-up, not measured: JIT and heap sizing, so the first step is not charged for them.
        await ctx.sender.call('sendLoad', {
          group: 'fan',
          rate: steps[0]! / members,
          durationMs: ctx.smoke ? 300 : 2000,
          rooms: [ROOM],
        });
        await drain(workers, 'fan', 3000);
        const results: Step[] = [];
        for (const offered of steps) {
          const rate = offered / members;
          await resetGroup(workers, 'fan');
          const before = server.sample();
          const t0 = performance.now();
          const send = await ctx.sender.call<{ sent: number; ok: number }>('sendLoad', {
            group: 'fan',
            rate,
            durationMs: stepMs,
            rooms: [ROOM],
          });
          await drain(workers, 'fan', 3000);
          const after = server.sample();
          const elapsedS = (performance.now() - t0) / 1000;
          const stats = await groupStats(workers, 'fan');
          const expected = send.sent * members;
          const step: Step = {
            offered,
            deliveredPerSec: Math.round(stats.received / (stepMs / 1000)),
            deliveredRatio: expected ? stats.received / expected : 0,
            ...stats.latency,
            cpuUsPerDelivery: ((after.cpuMs - before.cpuMs) * 1000) / Math.max(1, stats.received),
            serverCpuPercent: (after.cpuMs - before.cpuMs) / 10 / elapsedS,
            rssMb: after.rssBytes / 2 ** 20,
          };
          results.push(step);
          ctx.log(
            `fanout ${KIND_LABEL[kind]} ${offered}/s → ${step.deliveredPerSec}/s p99 ${step.p99Ms} ms, ${step.cpuUsPerDelivery.toFixed(2)} µs CPU/delivery`,
          );
          if (step.p99Ms > 1000 || step.deliveredRatio < 0.9) break;
          await sleep(500);
        }
        await closeGroup(workers, 'fan');
        return results;
      },
    );
  }
  return {
    scenario: 'fanout',
    durationMs: Date.now() - started,
    params: { members, senders: SENDERS, steps, stepMs },
    servers,
    rows: rows(servers),
  };
}

/** Highest delivered rate of a step that kept p99 under 1 s and delivered ≥ 90%. */
function sustained(steps: Step[] | undefined): number | undefined {
  const good = (steps ?? []).filter((s) => s.p99Ms < 1000 && s.deliveredRatio >= 0.9);
  return good.length ? Math.max(...good.map((s) => s.deliveredPerSec)) : undefined;
}

/** Mean CPU per delivery over the steps offered 10k–50k deliveries/s (or all steps in smoke). */
function cpuPerDelivery(steps: Step[] | undefined): number | undefined {
  const all = steps ?? [];
  const band = all.filter((s) => s.offered >= 10_000 && s.offered <= 50_000);
  const use = band.length ? band : all;
  return use.length ? use.reduce((sum, s) => sum + s.cpuUsPerDelivery, 0) / use.length : undefined;
}

function rows(servers: Partial<Record<ServerKind, Step[]>>): TableRow[] {
  const cpu = {
    product: cpuPerDelivery(servers.product),
    socketio: cpuPerDelivery(servers.socketio),
    ws: cpuPerDelivery(servers.ws),
  };
  const rate = {
    product: sustained(servers.product),
    socketio: sustained(servers.socketio),
    ws: sustained(servers.ws),
  };
  const cpuMet =
    cpu.product !== undefined &&
    cpu.socketio !== undefined &&
    cpu.ws !== undefined &&
    cpu.product <= cpu.socketio &&
    cpu.product <= 1.3 * cpu.ws;
  const rateMet = rate.product !== undefined && rate.socketio !== undefined && rate.product >= 0.95 * rate.socketio;
  const at = (kind: ServerKind, offered: number) => servers[kind]?.find((s) => s.offered === offered);
  const p99Row = (offered: number): TableRow => ({
    metric: `fan-out p99 at ${fmt(offered)} offered deliveries/s (ms)`,
    product: fmt(at('product', offered)?.p99Ms, 1),
    socketio: fmt(at('socketio', offered)?.p99Ms, 1),
    ws: fmt(at('ws', offered)?.p99Ms, 1),
    target: '—',
    met: '—',
  });
  return [
    {
      metric: 'fan-out server CPU per delivery, 10k–50k/s (µs)',
      product: fmt(cpu.product, 2),
      socketio: `${fmt(cpu.socketio, 2)} (product ${ratio(cpu.product, cpu.socketio)})`,
      ws: `${fmt(cpu.ws, 2)} (product ${ratio(cpu.product, cpu.ws)})`,
      target: '≤ 1.0× Socket.IO, ≤ 1.3× ws',
      met: cpuMet ? 'yes' : 'no',
    },
    {
      metric: 'fan-out sustained deliveries/s with p99 < 1 s',
      product: fmt(rate.product),
      socketio: `${fmt(rate.socketio)} (product ${ratio(rate.product, rate.socketio)})`,
      ws: `${fmt(rate.ws)} (product ${ratio(rate.product, rate.ws)})`,
      target: '≥ 0.95× Socket.IO',
      met: rateMet ? 'yes' : 'no',
    },
    p99Row(10_000),
    p99Row(50_000),
  ];
}
