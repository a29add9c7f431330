import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import { ChatError } from '../lib/ack.js';
import { ADMIN_API, type ModerationContext, banNick, removeMessage, unbanNick } from '../chat/moderation.js';
import { parseBan, parseRoom, parseRoomAndNick } from '../chat/parse.js';
import { clientAddress } from '../lib/client-address.js';
import type { AuditPage, BanList } from '../protocol/admin.js';
import type { AuditLog } from '../stores/audit.js';
import type { createBearerAuth } from './auth.js';

export interface AdminDeps {
  /** ADMIN_TOKEN; empty: every admin route answers 404. */
  token: string;
  moderation: ModerationContext;
  /** Read by `GET /api/admin/audit`; the moderation actions write it through their stores. */
  audit: AuditLog;
  /** TRUST_PROXY, for the client address in the log line of each call. */
  trustedProxies?: number;
}

/** `GET /api/admin/audit`: entries per page by default, and at most. */
export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

/** Decimal digits only: Number() would also read `0x10`, `1e3` and `1.0`. NaN when it is not one. */
const positiveInteger = (raw: string): number => {
  const n = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : NaN;
};

/**
 * `?limit=&before=` of the audit log: each absent (or empty), or one positive integer, `limit` at most
 * AUDIT_PAGE_MAX; anything else (a repeated parameter too) is 400.
 */
function auditQuery(ctx: Koa.Context): { limit: number; before?: number } {
  const read = (name: string): number | undefined => {
    const raw = ctx.query[name];
    if (raw === undefined || raw === '') return undefined;
    const n = typeof raw === 'string' ? positiveInteger(raw) : NaN;
    return Number.isNaN(n) ? ctx.throw(400, `BAD_REQUEST: ${name} must be a positive integer`) : n;
  };
  const limit = read('limit') ?? AUDIT_PAGE_DEFAULT;
  if (limit > AUDIT_PAGE_MAX) ctx.throw(400, `BAD_REQUEST: limit must be at most ${AUDIT_PAGE_MAX}`);
  const before = read('before');
  return before === undefined ? { limit } : { limit, before };
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
 * notices name `admin` as `by`, audit entries `admin-api` as the actor. Reading the audit log and the bans needs
 * the same token.
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
      const { room, nick } = parseRoomAndNick({ room: ctx.params.room, nick: ctx.params.nick });
      return unbanNick(mod, room, nick, ADMIN_API);
    });
  });

  router.delete('/api/admin/rooms/:room/messages/:id', ...guard, async (ctx) => {
    const id = positiveInteger(ctx.params.id ?? '');
    if (Number.isNaN(id)) ctx.throw(400, 'BAD_REQUEST: the message id must be a positive integer');
    ctx.body = await act(ctx, () => removeMessage(mod, parseRoom(ctx.params.room), id, ADMIN_API));
  });

  router.get('/api/admin/rooms/:room/bans', ...guard, async (ctx) => {
    const bans = await act(ctx, () => mod.bans.list(parseRoom(ctx.params.room), Date.now()));
    const body: BanList = {
      bans: bans.map(({ nick, until, reason, by, at }) => ({ nick, until, reason: reason ?? null, by, at })),
    };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  router.get('/api/admin/audit', ...guard, async (ctx) => {
    const { limit, before } = auditQuery(ctx);
    const body: AuditPage = { entries: await deps.audit.entries(limit, before) };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
}
