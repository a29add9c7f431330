import { type BenchContext, KIND_LABEL, type ScenarioResult, type TableRow, fmt, sleep, withServer } from '../lib/context.js';
import type { ServerKind } from '../lib/lean-client.js';
import { NEWS_TOKEN, type ServerUnderTest, type Worker, startServer } from '../lib/procs.js';

interface SlowResult {
  published: number;
  /** RSS every second from the start of the load, MB */
  rssMb: number[];
  rssGrowthMb: number;
  healthyMinFraction: number;
  healthyMeanFraction: number;
  stalledMeanFraction: number;
  /** stalled clients the server disconnected */
  stalledDisconnected: number;
  stalled: number;
}

const CLIENTS = 200;
const STALLED = 50;
const RATE = 500;
const BURST = 10;
/** The contract caps a headline at 280 characters, so a news item is ~0.35 KB on the wire; chat texts are 1 KB. */
const HEADLINE_CHARS = 280;
const CHAT_TEXT_BYTES = 1024;
/** Chat senders are members of the room too; each stays under the product's per-socket message limit. */
const CHAT_SENDERS = 70;

interface WorkerStats { perClient: number[]; open: number }

async function sampleWhile(server: ServerUnderTest, work: Promise<{ published: number }>): Promise<{ published: number; rssMb: number[] }> {
  const rssMb = [server.sample().rssBytes / 2 ** 20];
  let done = false;
  const result = work.finally(() => (done = true));
  while (!done) {
    await Promise.race([sleep(1000), result]);
    rssMb.push(server.sample().rssBytes / 2 ** 20);
  }
  return { published: (await result).published, rssMb };
}

/** Readers split over the two generators; the first STALLED/2 on each stop reading once connected. */
async function summarize(readers: readonly Worker[], group: string, published: number, sampled: { rssMb: number[] }): Promise<Omit<SlowResult, 'published' | 'rssMb'>> {
  const per = await Promise.all(readers.map((w) => w.call<WorkerStats & { perClient: number[] }>('stats', { group, perClient: true })));
  const healthy: number[] = [];
  const stalled: number[] = [];
  for (const stats of per) stats.perClient.forEach((n, i) => (i < STALLED / 2 ? stalled : healthy).push(n / Math.max(1, published)));
  const open = per.reduce((sum, s) => sum + s.open, 0);
  const total = per.reduce((sum, s) => sum + s.perClient.length, 0);
  return {
    rssGrowthMb: Math.max(...sampled.rssMb) - (sampled.rssMb[0] ?? 0),
    healthyMinFraction: Math.min(...healthy),
    healthyMeanFraction: healthy.reduce((a, b) => a + b, 0) / Math.max(1, healthy.length),
    stalledMeanFraction: stalled.reduce((a, b) => a + b, 0) / Math.max(1, stalled.length),
    stalledDisconnected: total - open,
    stalled: STALLED,
  };
}

async function connectReaders(ctx: BenchContext, kind: ServerKind, url: string, nsp: string, count: number, room: string): Promise<void> {
  await Promise.all(
    ctx.receivers.map((w, n) => w.call('connect', { group: 'slow', kind, url, nsp, count: count / 2, rooms: [room], nickPrefix: `w${n}-` })),
  );
  await Promise.all(ctx.receivers.map((w) => w.call('pause', { group: 'slow', count: STALLED / 2 })));
}

async function closeAll(ctx: BenchContext): Promise<void> {
  await Promise.all([...ctx.receivers, ctx.sender].map((w) => w.call('closeGroup', { group: 'slow' })));
}

/** /news: items published through POST /api/news in bursts; the baseline's publisher emits volatile in bursts. */
async function news(ctx: BenchContext, kind: ServerKind, durationMs: number): Promise<SlowResult> {
  return withServer(ctx, () => startServer(kind, kind === 'product' ? ctx.productNodeArgs : []), async (server) => {
    await connectReaders(ctx, kind, server.url, kind === 'product' ? '/news' : '/', CLIENTS, 'markets');
    let work: Promise<{ published: number }>;
    if (kind === 'product') {
      work = ctx.sender.call('publishNews', { url: server.url, token: NEWS_TOKEN, topic: 'markets', rate: RATE, durationMs, burst: BURST, headlineChars: HEADLINE_CHARS });
    } else {
      await ctx.sender.call('connect', { group: 'slow', kind, url: server.url, nsp: '/', count: 1 });
      work = ctx.sender
        .call<{ sent: number }>('sendLoad', { group: 'slow', rate: RATE, durationMs, rooms: ['markets'], textBytes: HEADLINE_CHARS, mode: 'volatile', burst: BURST })
        .then((r) => ({ published: r.sent }));
    }
    const sampled = await sampleWhile(server, work);
    await sleep(1000);
    const result = { published: sampled.published, rssMb: sampled.rssMb, ...(await summarize(ctx.receivers, 'slow', sampled.published, sampled)) };
    await closeAll(ctx);
    ctx.log(`slow /news ${KIND_LABEL[kind]}: healthy got ${(result.healthyMeanFraction * 100).toFixed(1)}% (min ${(result.healthyMinFraction * 100).toFixed(1)}%), RSS +${result.rssGrowthMb.toFixed(1)} MB`);
    return result;
  });
}

/** /chat: one room of 200 (130 readers, 70 senders), 50 readers stall; 500 messages/s of 1 KB. */
async function chat(ctx: BenchContext, kind: ServerKind, durationMs: number): Promise<SlowResult> {
  return withServer(ctx, () => startServer(kind, kind === 'product' ? ctx.productNodeArgs : []), async (server) => {
    await connectReaders(ctx, kind, server.url, '/chat', CLIENTS - CHAT_SENDERS, 'slow');
    await ctx.sender.call('connect', { group: 'slow', kind, url: server.url, nsp: '/chat', count: CHAT_SENDERS, rooms: ['slow'], nickPrefix: 'ws-' });
    await sleep(1000);
    await Promise.all(ctx.receivers.map((w) => w.call('reset', { group: 'slow' })));
    const work = ctx.sender
      .call<{ ok: number; sent: number }>('sendLoad', { group: 'slow', rate: RATE, durationMs, rooms: ['slow'], textBytes: CHAT_TEXT_BYTES })
      .then((r) => ({ published: r.ok }));
    const sampled = await sampleWhile(server, work);
    await sleep(1000);
    const result = { published: sampled.published, rssMb: sampled.rssMb, ...(await summarize(ctx.receivers, 'slow', sampled.published, sampled)) };
    await closeAll(ctx);
    ctx.log(`slow /chat ${KIND_LABEL[kind]}: healthy got ${(result.healthyMeanFraction * 100).toFixed(1)}%, ${result.stalledDisconnected}/${STALLED} stalled disconnected, RSS +${result.rssGrowthMb.toFixed(1)} MB`);
    return result;
  });
}

/**
 * 4. Slow consumers: 200 clients of which 50 stop reading, 500 items/s for 20 s, on a /news topic and in a
 * /chat room. Against the plain Socket.IO baseline the news load is `io.to(room).volatile.emit` and the chat
 * load a non-volatile room broadcast, as the tutorial would do it.
 */
export async function slowConsumers(ctx: BenchContext): Promise<ScenarioResult> {
  const started = Date.now();
  const durationMs = ctx.smoke ? 1000 : 20_000;
  const newsProduct = await news(ctx, 'product', durationMs);
  const newsBaseline = await news(ctx, 'socketio', durationMs);
  const chatProduct = await chat(ctx, 'product', durationMs);
  const chatBaseline = await chat(ctx, 'socketio', durationMs);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows: TableRow[] = [
    {
      metric: '/news: server RSS growth in the run (MB)',
      product: fmt(newsProduct.rssGrowthMb, 1),
      socketio: `${fmt(newsBaseline.rssGrowthMb, 1)} (volatile)`,
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
      metric: '/chat: server RSS growth (MB); stalled readers disconnected',
      product: `${fmt(chatProduct.rssGrowthMb, 1)}; ${chatProduct.stalledDisconnected}/${STALLED}`,
      socketio: `${fmt(chatBaseline.rssGrowthMb, 1)}; ${chatBaseline.stalledDisconnected}/${STALLED}`,
      ws: '—',
      target: 'bounded; stalled cut off',
      met: chatProduct.stalledDisconnected === STALLED ? 'yes' : 'no',
    },
    {
      metric: '/chat: messages healthy readers got (mean / worst)',
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
    params: { clients: CLIENTS, stalled: STALLED, rate: RATE, burst: BURST, headlineChars: HEADLINE_CHARS, chatTextBytes: CHAT_TEXT_BYTES, durationMs },
    servers: { product: { news: newsProduct, chat: chatProduct }, socketio: { news: newsBaseline, chat: chatBaseline } },
    rows,
  };
}
