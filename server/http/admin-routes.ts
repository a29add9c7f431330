import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type Koa from 'koa';
import { type ModerationContext, banNick, removeMessage, unbanNick } from '../chat/moderation.js';
import { parseBan, parseRoom, parseRoomAndNick } from '../chat/parse.js';
import type { AuditPage, BanList } from '../protocol/admin.js';
import type { AuditLog } from '../stores/audit.js';
import { type AdminAccess, act, actorOf, positiveInteger } from './admin-access.js';

export interface AdminDeps {
  /** ADMIN_TOKEN; empty: every admin route answers 404. */
  token: string;
  moderation: ModerationContext;
  /** Read by `GET /api/admin/audit`; the moderation actions write it through their stores. */
  audit: AuditLog;
}

/** `GET /api/admin/audit`: entries per page by default, and at most. */
export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

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

/**
 * The HTTP admin API for operators' scripts, behind `Authorization: Bearer $ADMIN_TOKEN` (the bearer checks and
 * their failure budget are shared with /metrics and /api/news). Same effects as a moderator's socket actions;
 * notices name `admin` as `by`, audit entries `admin-api` as the actor. Reading the audit log and the bans needs
 * the same token.
 */
export function adminRoutes(router: Router, access: AdminAccess, deps: AdminDeps): void {
  const guard = access.staff;
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '8kb' });
  const mod = deps.moderation;

  router.post('/api/admin/rooms/:room/bans', ...guard, json, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const input = { ...body, room: ctx.params.room };
    ctx.body = await act(ctx, () => banNick(mod, parseBan(input), actorOf(ctx)));
    ctx.status = 201;
  });

  router.delete('/api/admin/rooms/:room/bans/:nick', ...guard, async (ctx) => {
    ctx.body = await act(ctx, () => {
      const { room, nick } = parseRoomAndNick({ room: ctx.params.room, nick: ctx.params.nick });
      return unbanNick(mod, room, nick, actorOf(ctx));
    });
  });

  router.delete('/api/admin/rooms/:room/messages/:id', ...guard, async (ctx) => {
    const id = positiveInteger(ctx.params.id ?? '');
    if (Number.isNaN(id)) ctx.throw(400, 'BAD_REQUEST: the message id must be a positive integer');
    ctx.body = await act(ctx, () => removeMessage(mod, parseRoom(ctx.params.room), id, actorOf(ctx)));
  });

  router.get('/api/admin/rooms/:room/bans', ...guard, async (ctx) => {
    const bans = await act(ctx, () => mod.bans.list(parseRoom(ctx.params.room), Date.now()));
    const body: BanList = {
      bans: bans.map(({ nick, until, reason, by, at }) => ({ nick, until, reason: reason ?? null, by, at })),
    };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });

  router.get('/api/admin/audit', ...access.admin, async (ctx) => {
    const { limit, before } = auditQuery(ctx);
    const body: AuditPage = { entries: await deps.audit.entries(limit, before) };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
}
