import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { NewsFeed } from '../news/feed.js';
import { hasForbiddenControl, isWellFormed } from '../chat/text-rules.js';
import { adminAccess } from './admin-access.js';
import { type AdminDeps, adminRoutes } from './admin-routes.js';
import { userDataRoutes } from './admin-users.js';
import type { UserDataContext } from '../chat/user-data.js';
import { reportRoutes } from './admin-reports.js';
import { type ConsoleDeps, consoleRoutes } from './admin-console.js';
import type { Authenticator } from '../chat/signed-identity.js';
import { retentionRoutes } from './admin-retention.js';
import type { RoomRetention } from '../chat/retention.js';
import type { StorageHealth } from '../stores/history.js';
import type { MembershipHealth } from '../lib/membership.js';
import { createBearerAuth } from './auth.js';

export interface RouteDeps {
  feed: NewsFeed;
  newsToken: string;
  startedAt: number;
  /** Connected sockets per namespace, for /healthz. */
  socketCounts: () => Record<string, number>;
  metrics: Registry;
  /** Bearer token for /metrics and the details of /healthz; empty disables /metrics. */
  metricsToken: string;
  /** This node's place in the deployment (node id; in a cluster Redis, PostgreSQL, fenced); `ok: false`: 503. */
  health: () => MembershipHealth;
  /** The HTTP admin API (`/api/admin/…`). */
  admin: AdminDeps;
  /** Export and erasure of a signed user's data (`/api/admin/users/…`), behind the same ADMIN_TOKEN. */
  users: UserDataContext;
  /** What the admin console reads besides moderation: the overview and the rooms. */
  console: ConsoleDeps;
  /** AUTH_SECRET's verifier: moderators' signed tokens are let into the staff admin routes; undefined: not. */
  authenticator: Authenticator | undefined;
  /** Whether sends can be stored; not ok answers 503 (reads may still work). */
  storage: () => StorageHealth;
  /** Rooms' retention, for `/api/admin/rooms/:room/retention`. */
  roomRetention: RoomRetention;
  /** TRUST_PROXY: whose address the bearer-token failure budget is kept for (see client-address.ts). */
  trustedProxies: number;
}

const newsPostSchema = z.object({
  topic: z.string(),
  headline: z
    .string()
    .trim()
    .min(1)
    .max(280)
    .refine((s) => isWellFormed(s) && !hasForbiddenControl(s), 'headline: well-formed text without controls'),
});

export function routes(deps: RouteDeps): Koa.Middleware {
  const router = new Router();
  const auth = createBearerAuth(deps.trustedProxies);

  // Without the metrics token only the status: uptime and socket counts help an attacker time and size an attack.
  // The status code always tells a load balancer whether this node can serve: 503 when sends cannot be stored,
  // or when this node is cut off from the others. The process keeps serving reads (history, pages) meanwhile.
  router.get('/healthz', async (ctx) => {
    const { ok: memberOk, ...membership } = deps.health();
    const storage = deps.storage();
    const ok = memberOk && storage.ok;
    const details = await auth.optional(ctx, deps.metricsToken);
    const status = ok ? 'ok' : 'unavailable';
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ok ? 200 : 503;
    ctx.body = details
      ? {
          status,
          uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
          sockets: deps.socketCounts(),
          storage,
          ...membership,
        }
      : { status };
  });

  const metricsEnabled: Koa.Middleware = async (ctx, next) => {
    if (deps.metricsToken === '') ctx.throw(404, 'metrics are disabled: set METRICS_TOKEN');
    await next();
  };
  router.get(
    '/metrics',
    metricsEnabled,
    auth.require(() => deps.metricsToken),
    async (ctx) => {
      ctx.type = deps.metrics.contentType;
      ctx.body = await deps.metrics.metrics();
    },
  );

  const newsEnabled: Koa.Middleware = async (ctx, next) => {
    if (deps.newsToken === '') ctx.throw(404, 'publishing is disabled: set NEWS_TOKEN');
    await next();
  };

  router.post(
    '/api/news',
    newsEnabled,
    auth.require(() => deps.newsToken),
    bodyParser({ enableTypes: ['json'], jsonLimit: '8kb' }),
    async (ctx) => {
      const parsed = newsPostSchema.safeParse(ctx.request.body);
      if (!parsed.success)
        return ctx.throw(400, 'expected JSON { topic, headline } with a headline of 1-280 characters');
      const { topic, headline } = parsed.data;
      if (!deps.feed.hasTopic(topic)) ctx.throw(400, `unknown topic; topics are ${deps.feed.topics.join(', ')}`);
      const item = await deps.feed.publish(topic, headline);
      ctx.status = 201;
      ctx.body = item;
    },
  );

  const { token, moderation } = deps.admin;
  const { trustedProxies, authenticator } = deps;
  const access = adminAccess(auth, { token, log: moderation.log, trustedProxies, authenticator });
  adminRoutes(router, access, deps.admin);
  userDataRoutes(router, access, deps.users);
  reportRoutes(router, access, deps.admin);
  consoleRoutes(router, access, deps.console);
  retentionRoutes(router, access, deps.roomRetention);

  const routed = router.routes() as unknown as Koa.Middleware; // @koa/router's context type is wider than Koa's
  const methods = router.allowedMethods() as unknown as Koa.Middleware; // 405 with Allow, 501, OPTIONS
  // Unknown API paths and methods are thrown, so errorResponder answers them in JSON like every API error.
  return async (ctx, next) => {
    await routed(ctx, async () => {
      if (ctx.path !== '/api' && !ctx.path.startsWith('/api/')) {
        await next();
        return;
      }
      await methods(ctx, () => Promise.resolve());
      if (ctx.status === 405 || ctx.status === 501) {
        ctx.throw(ctx.status, `${ctx.method} is not allowed on ${ctx.path}`);
      }
      if (ctx.status === 404) ctx.throw(404, `no such API route: ${ctx.path}`);
    });
  };
}
