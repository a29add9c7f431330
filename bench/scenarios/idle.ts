import {
  type BenchContext,
  KINDS,
  KIND_LABEL,
  type ScenarioResult,
  closeGroup,
  fmt,
  ratio,
  sleep,
  withServer,
} from '../lib/context.js';
import type { ServerKind } from '../lib/lean-client.js';
import { startServer } from '../lib/procs.js';

interface Level {
  clients: number;
  rssMb: number;
  kbPerClient: number;
}

/** Product clients register a nick and join one of these rooms (20 per room, as in the many-rooms scenario). */
const ROOMS_OF_20 = (clients: number) => Array.from({ length: Math.ceil(clients / 20) }, (_, i) => `idle${i}`);
const SETTLE_MS = 3000;
const SMOKE_SETTLE_MS = 300;

/**
 * 3. Idle memory: server RSS at 2k, 5k and 10k connected clients over its RSS before the first one, per client.
 * Product clients are registered and joined; baseline clients are connected (that is all the baselines do).
 */
export async function idle(ctx: BenchContext): Promise<ScenarioResult> {
  const started = Date.now();
  const levels = (ctx.smoke ? [100, 200] : [2000, 5000, 10_000]).filter((n) => n <= ctx.maxIdleClients);
  const servers: Partial<Record<ServerKind, Level[]>> = {};
  const rooms = ROOMS_OF_20(levels.at(-1) ?? 0);

  for (const kind of KINDS) {
    servers[kind] = await withServer(
      ctx,
      () => startServer(kind, kind === 'product' ? ctx.productNodeArgs : []),
      async (server) => {
        await sleep(ctx.smoke ? SMOKE_SETTLE_MS : SETTLE_MS);
        const baseRss = server.sample().rssBytes;
        const results: Level[] = [];
        let connected = 0;
        for (const clients of levels) {
          const add = clients - connected;
          await Promise.all(
            ctx.receivers.map((w, n) =>
              w.call('connect', {
                group: 'idle',
                kind,
                url: server.url,
                nsp: '/chat',
                count: n === 0 ? Math.ceil(add / 2) : Math.floor(add / 2),
                rooms: kind === 'product' ? rooms : undefined,
                nickPrefix: `i${n}-${connected}-`,
                concurrency: 100,
              }),
            ),
          );
          connected = clients;
          await sleep(ctx.smoke ? SMOKE_SETTLE_MS : SETTLE_MS);
          const rss = server.sample().rssBytes;
          const level = { clients, rssMb: rss / 2 ** 20, kbPerClient: (rss - baseRss) / 1024 / clients };
          results.push(level);
          ctx.log(
            `idle ${KIND_LABEL[kind]} ${clients}: ${level.kbPerClient.toFixed(1)} KB/client, RSS ${level.rssMb.toFixed(0)} MB`,
          );
        }
        await closeGroup(ctx.receivers, 'idle');
        return results;
      },
    );
  }
  const at = (kind: ServerKind, clients: number) => servers[kind]?.find((l) => l.clients === clients)?.kbPerClient;
  const top = levels.at(-1) ?? 0;
  return {
    scenario: 'idle',
    durationMs: Date.now() - started,
    params: { levels, settleMs: SETTLE_MS },
    servers,
    rows: levels.map((clients) => ({
      metric: `memory per idle client at ${fmt(clients)} (KB of RSS)`,
      product: fmt(at('product', clients), 1),
      socketio: `${fmt(at('socketio', clients), 1)} (product ${ratio(at('product', clients), at('socketio', clients))})`,
      ws: `${fmt(at('ws', clients), 1)} (product ${ratio(at('product', clients), at('ws', clients))})`,
      target: clients === top ? '≤ 1.0× Socket.IO' : '—',
      met:
        clients === top ? ((at('product', clients) ?? Infinity) <= (at('socketio', clients) ?? 0) ? 'yes' : 'no') : '—',
    })),
  };
}
