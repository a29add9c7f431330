import {
  type BenchContext,
  KINDS,
  KIND_LABEL,
  type ScenarioResult,
  closeGroup,
  drain,
  fmt,
  groupStats,
  ratio,
  resetGroup,
  sleep,
  withServer,
} from '../lib/context.js';
import { merge, summarize, type LatencySummary } from '../lib/hist.js';
import type { ServerKind } from '../lib/lean-client.js';
import { startServer } from '../lib/procs.js';

interface RoomsResult {
  message: LatencySummary;
  ack: LatencySummary;
  sent: number;
  acked: number;
  delivered: number;
  expected: number;
  serverCpuPercent: number;
}

/**
 * 2. Many rooms: 2,000 clients in 100 rooms of 20; in each room one sender (socket.io-client, except against
 * raw ws) sends 2 msg/s with an ack; 19 lean readers per room. Message latency is send → every member.
 */
export async function manyRooms(ctx: BenchContext): Promise<ScenarioResult> {
  const started = Date.now();
  const roomCount = ctx.smoke ? 5 : 100;
  const perRoom = 20;
  const durationMs = ctx.smoke ? 1000 : 10_000;
  const rooms = Array.from({ length: roomCount }, (_, i) => `room${i}`);
  const servers: Partial<Record<ServerKind, RoomsResult>> = {};
  const workers = [...ctx.receivers, ctx.sender];

  for (const kind of KINDS) {
    servers[kind] = await withServer(
      ctx,
      () => startServer(kind, kind === 'product' ? ctx.productNodeArgs : []),
      async (server) => {
        const base = { kind, url: server.url, nsp: '/chat', group: 'rooms' };
        // Reader j of a generator goes to rooms[j % roomCount]: each generator holds half of every room's readers.
        const readersPerRoom = perRoom - 1;
        await Promise.all(
          ctx.receivers.map((w, n) => {
            const count = roomCount * (n === 0 ? Math.ceil(readersPerRoom / 2) : Math.floor(readersPerRoom / 2));
            return w.call('connect', { ...base, count, rooms, nickPrefix: `m${n}-` });
          }),
        );
        await ctx.sender.call('connect', {
          ...base,
          count: roomCount,
          rooms,
          nickPrefix: 'ms-',
          official: kind !== 'ws',
        });
        await drain(workers, 'rooms', 10_000);
        await resetGroup(workers, 'rooms');
        const before = server.sample();
        const t0 = performance.now();
        const send = await ctx.sender.call<{ sent: number; ok: number; ackHistogram: string }>('sendLoad', {
          group: 'rooms',
          rate: roomCount * 2,
          durationMs,
          rooms,
        });
        await drain(workers, 'rooms', 3000);
        const after = server.sample();
        const stats = await groupStats(workers, 'rooms');
        await closeGroup(workers, 'rooms');
        const result: RoomsResult = {
          message: stats.latency,
          ack: summarize(merge([send.ackHistogram])),
          sent: send.sent,
          acked: send.ok,
          delivered: stats.received,
          expected: send.sent * perRoom,
          serverCpuPercent: (after.cpuMs - before.cpuMs) / 10 / ((performance.now() - t0) / 1000),
        };
        ctx.log(
          `many-rooms ${KIND_LABEL[kind]}: message p99 ${result.message.p99Ms} ms, ack p99 ${result.ack.p99Ms} ms, ${result.delivered}/${result.expected} delivered`,
        );
        await sleep(300);
        return result;
      },
    );
  }
  const p = servers.product;
  const s = servers.socketio;
  const w = servers.ws;
  const both = (r: RoomsResult | undefined) => r && `${fmt(r.message.p99Ms, 1)} / ${fmt(r.ack.p99Ms, 1)}`;
  return {
    scenario: 'many-rooms',
    durationMs: Date.now() - started,
    params: { rooms: roomCount, perRoom, ratePerRoom: 2, durationMs },
    servers,
    rows: [
      {
        metric: 'message p99 / ack p99 (ms)',
        product: both(p) ?? '—',
        socketio: `${both(s) ?? '—'} (product ${ratio(p?.message.p99Ms, s?.message.p99Ms)})`,
        ws: `${both(w) ?? '—'} (product ${ratio(p?.message.p99Ms, w?.message.p99Ms)})`,
        target: 'both ≤ 10 ms',
        met: p && p.message.p99Ms <= 10 && p.ack.p99Ms <= 10 ? 'yes' : 'no',
      },
      {
        metric: 'message p50 / max (ms); delivered',
        product: p
          ? `${fmt(p.message.p50Ms, 1)} / ${fmt(p.message.maxMs, 1)}; ${fmt(p.delivered)}/${fmt(p.expected)}`
          : '—',
        socketio: s
          ? `${fmt(s.message.p50Ms, 1)} / ${fmt(s.message.maxMs, 1)}; ${fmt(s.delivered)}/${fmt(s.expected)}`
          : '—',
        ws: w ? `${fmt(w.message.p50Ms, 1)} / ${fmt(w.message.maxMs, 1)}; ${fmt(w.delivered)}/${fmt(w.expected)}` : '—',
        target: '—',
        met: '—',
      },
    ],
  };
}
