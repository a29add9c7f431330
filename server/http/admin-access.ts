import type Koa from 'koa';
import { ADMIN_API } from '../chat/moderation.js';
import { ChatError } from '../lib/ack.js';
import { clientAddress } from '../lib/client-address.js';
import type { Logger } from '../lib/log.js';
import type { AuditActor } from '../stores/audit.js';
import type { createBearerAuth } from './auth.js';

/**
 * Who may call an admin route. `admin`: ADMIN_TOKEN only (the audit log, retention, export, erasure). `staff`:
 * ADMIN_TOKEN or, where a route allows it, a moderator's signed token (bans, deletes, reports): see
 * docs/security.md. Each is the middleware to put before a route's handler; the handler reads the caller with
 * `actorOf(ctx)`.
 */
export interface AdminAccess {
  admin: Koa.Middleware[];
  staff: Koa.Middleware[];
}

export interface AdminAccessDeps {
  /** ADMIN_TOKEN; empty: every admin route answers 404. */
  token: string;
  log: Logger;
  /** TRUST_PROXY, for the client address in the log line of each call. */
  trustedProxies?: number;
}

/** The caller of an admin route, as its audit entries name it; set by the access middleware. */
export function actorOf(ctx: Koa.Context): AuditActor {
  return (ctx.state as { actor?: AuditActor }).actor ?? ADMIN_API;
}

export function adminAccess(auth: ReturnType<typeof createBearerAuth>, deps: AdminAccessDeps): AdminAccess {
  const enabled: Koa.Middleware = async (ctx, next) => {
    if (deps.token === '') ctx.throw(404, 'the admin API is disabled: set ADMIN_TOKEN');
    await next();
  };
  // Every call is logged with its outcome, refused ones included; the actions log what they did (moderation.ts).
  const logged: Koa.Middleware = async (ctx, next) => {
    const call = { method: ctx.method, path: ctx.path, client: clientAddress(ctx.req, deps.trustedProxies ?? 0) };
    try {
      await next();
      deps.log.info({ ...call, status: ctx.status }, 'admin API call');
    } catch (err) {
      deps.log.info({ ...call, status: (err as { status?: number }).status ?? 500 }, 'admin API call');
      throw err;
    }
  };
  const asAdmin: Koa.Middleware = async (ctx, next) => {
    (ctx.state as { actor?: AuditActor }).actor = ADMIN_API;
    await next();
  };
  const admin = [logged, enabled, auth.require(() => deps.token), asAdmin];
  return { admin, staff: admin };
}

/** Decimal digits only: Number() would also read `0x10`, `1e3` and `1.0`. NaN when it is not one. */
export const positiveInteger = (raw: string): number => {
  const n = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : NaN;
};

/** A contract code thrown by the shared moderation code, as an HTTP status. */
const STATUS_OF: Partial<Record<ChatError['code'], number>> = { NOT_FOUND: 404 };

/** Runs a moderation action; a ChatError (bad room, nick, minutes; no such message) answers 400 or 404. */
export async function act<T>(ctx: Koa.Context, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof ChatError) return ctx.throw(STATUS_OF[err.code] ?? 400, `${err.code}: ${err.message}`);
    throw err;
  }
}
