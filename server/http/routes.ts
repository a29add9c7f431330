import { timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { NewsFeed } from '../news/feed.js';

export interface RouteDeps {
  feed: NewsFeed;
  newsToken: string;
  startedAt: number;
  /** Connected sockets per namespace, for /healthz. */
  socketCounts: () => Record<string, number>;
  metrics: Registry;
  /** Cluster mode: node id, Redis and PostgreSQL status; `ok: false` answers 503. */
  health?: (() => { ok: boolean } & Record<string, unknown>) | undefined;
}

const newsPostSchema = z.object({ topic: z.string(), headline: z.string().trim().min(1).max(280) });

function tokenMatches(header: string, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function routes(deps: RouteDeps): Koa.Middleware {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    const { ok = true, ...cluster } = deps.health?.() ?? {};
    ctx.status = ok ? 200 : 503;
    ctx.body = {
      status: ok ? 'ok' : 'unavailable',
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      sockets: deps.socketCounts(),
      ...cluster,
    };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.metrics();
  });

  const requireNewsToken: Koa.Middleware = async (ctx, next) => {
    if (deps.newsToken === '') ctx.throw(404, 'publishing is disabled: set NEWS_TOKEN');
    if (!tokenMatches(ctx.get('authorization'), deps.newsToken)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.throw(401, 'wrong or missing bearer token');
    }
    await next();
  };

  router.post('/api/news', requireNewsToken, bodyParser({ enableTypes: ['json'], jsonLimit: '8kb' }), async (ctx) => {
    const parsed = newsPostSchema.safeParse(ctx.request.body);
    if (!parsed.success) return ctx.throw(400, 'expected JSON { topic, headline } with a headline of 1-280 characters');
    const { topic, headline } = parsed.data;
    if (!deps.feed.hasTopic(topic)) ctx.throw(400, `unknown topic; topics are ${deps.feed.topics.join(', ')}`);
    const item = await deps.feed.publish(topic, headline);
    ctx.status = 201;
    ctx.body = item;
  });

  return router.routes() as unknown as Koa.Middleware; // @koa/router's context type is wider than Koa's
}
