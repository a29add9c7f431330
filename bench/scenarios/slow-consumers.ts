import {
  type BenchContext,
  KIND_LABEL,
  type ScenarioResult,
  type TableRow,
  fmt,
  sleep,
  withServer,
} from '../lib/context.js';
import type { ServerKind } from '../lib/lean-client.js';
import { NEWS_TOKEN, type ServerUnderTest, type Worker, metricsAuth, startServer } from '../lib/procs.js';

interface SlowResult {
  published: number;
  /** RSS every second from the start of the load, MB */
  rssMb: number[];
  /** V8 heap in use at the same moments (product only), MB */
  heapUsedMb?: (number | undefined)[];
  /** RSS growth after the warm-up: the highest sample minus the one at the end of the warm-up */
  rssGrowthMb: number;
  /** the same from the first sample, warm-up included */
  rssGrowthWithWarmupMb: number;
  healthyMinFraction: number;
  healthyMeanFraction: number;
  stalledMeanFraction: number;
  /** stalled clients the server disconnected */
  stalledDisconnected: number;
  /** reading clients the server disconnected (they fell more than the per-client limit behind) */
  healthyDisconnected: number;
  stalled: number;
}

/**
 * The load runs WARMUP_S seconds longer than measured: when load starts, V8 grows its young generation
 * (~20 MB of RSS in the first second, whatever the server does), which is not growth under a stalled reader.
 */
const WARMUP_S = 3;
interface Size {
  clients: number;
  stalled: number;
  /** Chat senders are members of the room too; each stays under the product's per-socket message limit. */
  chatSenders: number;
}
const FULL: Size = { clients: 200, stalled: 50, chatSenders: 70 };
const SMOKE: Size = { clients: 40, stalled: 10, chatSenders: 10 };
const RATE = 500;
const BURST = 10;
/** The contract caps a headline at 280 characters, so a news item is ~0.35 KB on the wire; chat texts are 1 KB. */
const HEADLINE_CHARS = 280;
const CHAT_TEXT_BYTES = 1024;

interface WorkerStats {
  perClient: number[];
  closed: boolean[];
  open: number;
}

/** V8 heap in use, from the product's Prometheus endpoint (prom-client default metrics); undefined elsewhere. */
async function heapUsedMb(server: ServerUnderTest): Promise<number | undefined> {
  if (server.kind !== 'product') return undefined;
  try {
    const text = await (await fetch(`${server.url}/metrics`, metricsAuth)).text();
    const match = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(text);
    return match ? Number(match[1]) / 2 ** 20 : undefined;
  } catch {
    return undefined;
  }
}

async function sampleWhile(
  server: ServerUnderTest,
  work: Promise<{ published: number }>,
): Promise<{ published: number; rssMb: number[]; heapUsedMb: (number | undefined)[] }> {
  const rssMb = [server.sample().rssBytes / 2 ** 20];
  const heap = [await heapUsedMb(server)];
  let done = false;
  const result = work.finally(() => (done = true));
  while (!done) {
    await Promise.race([sleep(1000), result]);
    rssMb.push(server.sample().rssBytes / 2 ** 20);
    heap.push(await heapUsedMb(server));
  }
  return { published: (await result).published, rssMb, heapUsedMb: heap };
}

/** Readers split over the two generators; the first stalled/2 on each stop reading once connected. */
/**
 * Shares of the published items per reader. A reading client notices when the server closes its connection;
 * a paused one does not, so the stalled ones the server cut are counted from the server's socket count.
 */
async function summarize(
  size: Size,
  readers: readonly Worker[],
  group: string,
  published: number,
  sampled: { rssMb: number[] },
  serverReadersOpen?: number,
): Promise<Omit<SlowResult, 'published' | 'rssMb'>> {
  const per = await Promise.all(readers.map((w) => w.call<WorkerStats>('stats', { group, perClient: true })));
  const healthy: number[] = [];
  const stalled: number[] = [];
  let healthyCut = 0;
  let total = 0;
  for (const stats of per) {
    stats.perClient.forEach((n, i) => {
      total++;
      if (i < size.stalled / 2) stalled.push(n / Math.max(1, published));
      else if (stats.closed[i]) healthyCut++;
      else healthy.push(n / Math.max(1, published));
    });
  }
  const stalledCut = serverReadersOpen === undefined ? 0 : total - serverReadersOpen - healthyCut;
  return {
    rssGrowthMb: Math.max(...sampled.rssMb.slice(WARMUP_S)) - (sampled.rssMb[WARMUP_S] ?? 0),
    rssGrowthWithWarmupMb: Math.max(...sampled.rssMb) - (sampled.rssMb[0] ?? 0),
    healthyMinFraction: healthy.length ? Math.min(...healthy) : NaN,
    healthyMeanFraction: healthy.reduce((a, b) => a + b, 0) / Math.max(1, healthy.length),
    stalledMeanFraction: stalled.reduce((a, b) => a + b, 0) / Math.max(1, stalled.length),
    stalledDisconnected: stalledCut,
    healthyDisconnected: healthyCut,
    stalled: size.stalled,
  };
}

async function connectReaders(
  ctx: BenchContext,
  size: Size,
  kind: ServerKind,
  url: string,
  nsp: string,
  count: number,
  room: string,
): Promise<void> {
  await Promise.all(
    ctx.receivers.map((w, n) =>
      w.call('connect', { group: 'slow', kind, url, nsp, count: count / 2, rooms: [room], nickPrefix: `w${n}-` }),
    ),
  );
  await Promise.all(ctx.receivers.map((w) => w.call('pause', { group: 'slow', count: size.stalled / 2 })));
}

async function closeAll(ctx: BenchContext): Promise<void> {
  await Promise.all([...ctx.receivers, ctx.sender].map((w) => w.call('closeGroup', { group: 'slow' })));
}

/** /news: items published through POST /api/news in bursts; the baseline's publisher emits volatile in bursts. */
async function news(ctx: BenchContext, size: Size, kind: ServerKind, durationMs: number): Promise<SlowResult> {
  return withServer(
    ctx,
    () => startServer(kind, kind === 'product' ? ctx.productNodeArgs : []),
    async (server) => {
      await connectReaders(ctx, size, kind, server.url, kind === 'product' ? '/news' : '/', size.clients, 'markets');
      let work: Promise<{ published: number }>;
      if (kind === 'product') {
        work = ctx.sender.call('publishNews', {
          url: server.url,
          token: NEWS_TOKEN,
          topic: 'markets',
          rate: RATE,
          durationMs,
          burst: BURST,
          headlineChars: HEADLINE_CHARS,
        });
      } else {
        await ctx.sender.call('connect', { group: 'slow', kind, url: server.url, nsp: '/', count: 1 });
        work = ctx.sender
          .call<{ sent: number }>('sendLoad', {
            group: 'slow',
            rate: RATE,
            durationMs,
            rooms: ['markets'],
            textBytes: HEADLINE_CHARS,
            mode: 'volatile',
            burst: BURST,
          })
          .then((r) => ({ published: r.sent }));
      }
      const sampled = await sampleWhile(server, work);
      await sleep(1000);
      const result = {
        published: sampled.published,
        rssMb: sampled.rssMb,
        heapUsedMb: sampled.heapUsedMb,
        ...(await summarize(size, ctx.receivers, 'slow', sampled.published, sampled)),
      };
      await closeAll(ctx);
      ctx.log(
        `slow /news ${KIND_LABEL[kind]}: healthy got ${(result.healthyMeanFraction * 100).toFixed(1)}% (min ${(result.healthyMinFraction * 100).toFixed(1)}%), RSS +${result.rssGrowthMb.toFixed(1)} MB`,
      );
      return result;
    },
  );
}

/** Messages the product has committed (its Prometheus counter): what readers should get, acked or not. */
async function storedMessages(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, metricsAuth)).text();
  return Number(/^chat_messages_stored_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/** /chat sockets the product holds, from GET /healthz. */
async function chatSockets(url: string): Promise<number> {
  const res = await fetch(`${url}/healthz`, metricsAuth);
  const body = (await res.json()) as { sockets?: { chat?: number } };
  return body.sockets?.chat ?? 0;
}

/** /chat: one room of 200 (130 readers, 70 senders), 50 readers stall; 500 messages/s of 1 KB. */
async function chat(ctx: BenchContext, size: Size, kind: ServerKind, durationMs: number): Promise<SlowResult> {
  return withServer(
    ctx,
    () => startServer(kind, kind === 'product' ? ctx.productNodeArgs : []),
    async (server) => {
      await connectReaders(ctx, size, kind, server.url, '/chat', size.clients - size.chatSenders, 'slow');
      await ctx.sender.call('connect', {
        group: 'slow',
        kind,
        url: server.url,
        nsp: '/chat',
        count: size.chatSenders,
        rooms: ['slow'],
        nickPrefix: 'ws-',
      });
      await sleep(1000);
      await Promise.all(ctx.receivers.map((w) => w.call('reset', { group: 'slow' })));
      const storedBefore = kind === 'product' ? await storedMessages(server.url) : 0;
      const work = ctx.sender
        .call<{ ok: number; sent: number }>('sendLoad', {
          group: 'slow',
          rate: RATE,
          durationMs,
          rooms: ['slow'],
          textBytes: CHAT_TEXT_BYTES,
        })
        .then(async (r) => ({
          published: kind === 'product' ? (await storedMessages(server.url)) - storedBefore : r.sent,
        }));
      const sampled = await sampleWhile(server, work);
      await sleep(1000);
      const senders = await ctx.sender.call<WorkerStats>('stats', { group: 'slow', perClient: true });
      const sendersOpen = senders.closed.filter((closed) => !closed).length;
      const readersOpen = kind === 'product' ? (await chatSockets(server.url)) - sendersOpen : undefined;
      const result = {
        published: sampled.published,
        rssMb: sampled.rssMb,
        heapUsedMb: sampled.heapUsedMb,
        ...(await summarize(size, ctx.receivers, 'slow', sampled.published, sampled, readersOpen)),
      };
      await closeAll(ctx);
      ctx.log(
        `slow /chat ${KIND_LABEL[kind]}: healthy got ${(result.healthyMeanFraction * 100).toFixed(1)}%, ${result.stalledDisconnected}/${size.stalled} stalled and ${result.healthyDisconnected} reading clients disconnected, RSS +${result.rssGrowthMb.toFixed(1)} MB`,
      );
      return result;
    },
  );
}

/**
 * 4. Slow consumers: 200 clients of which 50 stop reading, 500 items/s for 20 s, on a /news topic and in a
 * /chat room. Against the plain Socket.IO baseline the news load is `io.to(room).volatile.emit` and the chat
 * load a non-volatile room broadcast, as the tutorial would do it.
 */
export async function slowConsumers(ctx: BenchContext): Promise<ScenarioResult> {
  const started = Date.now();
  const durationMs = ctx.smoke ? 1000 : 20_000 + WARMUP_S * 1000;
  const size = ctx.smoke ? SMOKE : FULL;
  // BENCH_SLOW_ONLY=chat-product (etc.) runs one part while developing; the others then show as empty.
  const only = process.env.BENCH_SLOW_ONLY;
  const empty: SlowResult = {
    published: 0,
    rssMb: [],
    rssGrowthMb: NaN,
    rssGrowthWithWarmupMb: NaN,
    healthyMinFraction: NaN,
    healthyMeanFraction: NaN,
    stalledMeanFraction: NaN,
    stalledDisconnected: NaN,
    healthyDisconnected: NaN,
    stalled: size.stalled,
  };
  const part = (name: string, run: () => Promise<SlowResult>) =>
    only === undefined || only === name ? run() : Promise.resolve(empty);
  const newsProduct = await part('news-product', () => news(ctx, size, 'product', durationMs));
  const newsBaseline = await part('news-socketio', () => news(ctx, size, 'socketio', durationMs));
  const chatProduct = await part('chat-product', () => chat(ctx, size, 'product', durationMs));
  const chatBaseline = await part('chat-socketio', () => chat(ctx, size, 'socketio', durationMs));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows: TableRow[] = [
    {
      metric: `/news: server RSS growth in 20 s after ${WARMUP_S} s warm-up (MB; with warm-up)`,
      product: `${fmt(newsProduct.rssGrowthMb, 1)} (${fmt(newsProduct.rssGrowthWithWarmupMb, 1)})`,
      socketio: `${fmt(newsBaseline.rssGrowthMb, 1)} (${fmt(newsBaseline.rssGrowthWithWarmupMb, 1)}), volatile`,
      ws: '—',
      target: '< 10 MB',
      met: newsProduct.rssGrowthMb < 10 ? 'yes' : 'no',
    },
    {
      metric: '/news: items healthy readers got (mean / worst)',
      product: `${pct(newsProduct.healthyMeanFraction)} / ${pct(newsProduct.healthyMinFraction)}`,
      socketio: `${pct(newsBaseline.healthyMeanFraction)} / ${pct(newsBaseline.healthyMinFraction)}`,
      ws: '—',
      target: '≥ 99%',
      met: newsProduct.healthyMinFraction >= 0.99 ? 'yes' : 'no',
    },
    {
      metric: `/chat: server RSS growth after warm-up (MB); stalled readers cut; reading clients cut`,
      product: `${fmt(chatProduct.rssGrowthMb, 1)}; ${fmt(chatProduct.stalledDisconnected)}/${size.stalled}; ${fmt(chatProduct.healthyDisconnected)}/${size.clients - size.chatSenders - size.stalled}`,
      socketio: `${fmt(chatBaseline.rssGrowthMb, 1)}; no limit (only the 45 s ping timeout cuts)`,
      ws: '—',
      target: 'bounded; stalled cut off',
      met: chatProduct.stalledDisconnected === size.stalled ? 'yes' : 'no',
    },
    {
      metric: '/chat: messages the reading clients still connected got (mean / worst)',
      product: `${pct(chatProduct.healthyMeanFraction)} / ${pct(chatProduct.healthyMinFraction)}`,
      socketio: `${pct(chatBaseline.healthyMeanFraction)} / ${pct(chatBaseline.healthyMinFraction)}`,
      ws: '—',
      target: '—',
      met: '—',
    },
  ];
  return {
    scenario: 'slow-consumers',
    durationMs: Date.now() - started,
    params: {
      ...size,
      rate: RATE,
      burst: BURST,
      headlineChars: HEADLINE_CHARS,
      chatTextBytes: CHAT_TEXT_BYTES,
      durationMs,
    },
    servers: {
      product: { news: newsProduct, chat: chatProduct },
      socketio: { news: newsBaseline, chat: chatBaseline },
    },
    rows,
  };
}
