import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import { ChatError } from '../lib/ack.js';
import { ADMIN_API, type ModerationContext, banNick, removeMessage, unbanNick } from '../chat/moderation.js';
import { parseBan, parseRoom, parseUnban } from '../chat/parse.js';
import { clientAddress } from '../lib/client-address.js';
import type { createBearerAuth } from './auth.js';

export interface AdminDeps {
  /** ADMIN_TOKEN; empty: every admin route answers 404. */
  token: string;
  moderation: ModerationContext;
  /** TRUST_PROXY, for the client address in the log line of each call. */
  trustedProxies?: number;
}

/** A contract code thrown by the shared moderation code, as an HTTP status. */
const STATUS_OF: Partial<Record<ChatError['code'], number>> = { NOT_FOUND: 404 };

/** Runs a moderation action; a ChatError (bad room, nick, minutes; no such message) answers 400 or 404. */
async function act<T>(ctx: Koa.Context, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof ChatError) return ctx.throw(STATUS_OF[err.code] ?? 400, `${err.code}: ${err.message}`);
    throw err;
  }
}

/**
 * The HTTP admin API for operators' scripts, behind `Authorization: Bearer $ADMIN_TOKEN` (the bearer checks and
 * their failure budget are shared with /metrics and /api/news). Same effects as a moderator's socket actions;
 * notices name `admin` as `by`.
 */
export function adminRoutes(router: Router, auth: ReturnType<typeof createBearerAuth>, deps: AdminDeps): void {
  const enabled: Koa.Middleware = async (ctx, next) => {
    if (deps.token === '') ctx.throw(404, 'the admin API is disabled: set ADMIN_TOKEN');
    await next();
  };
  // Every call is logged with its outcome, refused ones included; the actions log what they did (moderation.ts).
  const logged: Koa.Middleware = async (ctx, next) => {
    const call = { method: ctx.method, path: ctx.path, client: clientAddress(ctx.req, deps.trustedProxies ?? 0) };
    try {
      await next();
      deps.moderation.log.info({ ...call, status: ctx.status }, 'admin API call');
    } catch (err) {
      deps.moderation.log.info({ ...call, status: (err as { status?: number }).status ?? 500 }, 'admin API call');
      throw err;
    }
  };
  const guard = [logged, enabled, auth.require(() => deps.token)] as const;
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '8kb' });
  const mod = deps.moderation;

  router.post('/api/admin/rooms/:room/bans', ...guard, json, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const input = { ...body, room: ctx.params.room };
    ctx.body = await act(ctx, () => banNick(mod, parseBan(input), ADMIN_API));
    ctx.status = 201;
  });

  router.delete('/api/admin/rooms/:room/bans/:nick', ...guard, async (ctx) => {
    ctx.body = await act(ctx, () => {
      const { room, nick } = parseUnban({ room: ctx.params.room, nick: ctx.params.nick });
      return unbanNick(mod, room, nick, ADMIN_API);
    });
  });

  router.delete('/api/admin/rooms/:room/messages/:id', ...guard, async (ctx) => {
    // Decimal digits only: Number() would also read `0x10`, `1e3` and `1.0` as ids.
    const id = /^[0-9]{1,16}$/.test(ctx.params.id ?? '') ? Number(ctx.params.id) : NaN;
    if (!Number.isSafeInteger(id) || id < 1) ctx.throw(400, 'BAD_REQUEST: the message id must be a positive integer');
    ctx.body = await act(ctx, () => removeMessage(mod, parseRoom(ctx.params.room), id, ADMIN_API));
  });
}
