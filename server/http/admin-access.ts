import type Koa from 'koa';
import { ADMIN_API } from '../chat/moderation.js';
import { ChatError } from '../lib/ack.js';
import { clientAddress } from '../lib/client-address.js';
import type { Logger } from '../lib/log.js';
import type { AuditActor } from '../stores/audit.js';
import { type Authenticator, IdentityError } from '../chat/signed-identity.js';
import type { AdminMe } from '../protocol/admin-console.js';
import { bearerMatches, type createBearerAuth } from './auth.js';

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
  /** AUTH_SECRET's verifier: with it, `staff` also admits a signed token whose role is moderator. */
  authenticator?: Authenticator | undefined;
}

/** The caller of an admin route, as its audit entries name it; set by the access middleware. */
export function actorOf(ctx: Koa.Context): AuditActor {
  return (ctx.state as { actor?: AuditActor }).actor ?? ADMIN_API;
}

/** Who the caller is, as `GET /api/admin/me` answers; set by the access middleware. */
export function callerOf(ctx: Koa.Context): AdminMe {
  const actor = actorOf(ctx);
  return actor === 'admin-api' ? { role: 'admin' } : { role: 'moderator', nick: actor.nick, sub: actor.sub };
}

const BEARER = /^bearer +(\S+)\s*$/i;

/**
 * The caller of a staff route: ADMIN_TOKEN is the admin API; a signed token verified with AUTH_SECRET is its
 * holder, a moderator or not (the guard refuses the rest with 403). Undefined: neither, a failed authentication.
 */
async function staffCaller(header: string, deps: AdminAccessDeps): Promise<AuditActor | 'user' | undefined> {
  if (bearerMatches(header, deps.token)) return ADMIN_API;
  const jwt = BEARER.exec(header)?.[1];
  if (jwt === undefined || deps.authenticator === undefined) return undefined;
  try {
    const identity = await deps.authenticator.verify(jwt);
    return identity.role === 'moderator' ? { nick: identity.name, sub: identity.sub } : 'user';
  } catch (err) {
    if (err instanceof IdentityError) return undefined;
    throw err;
  }
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
  // A refused token (wrong ADMIN_TOKEN, bad or expired signature) spends the shared failure budget; a valid
  // token without the moderator role is who it says, so it is forbidden, not counted as a guess.
  const asStaff: Koa.Middleware = async (ctx, next) => {
    let caller: AuditActor | 'user' | undefined;
    const accepts = async (header: string) => (caller = await staffCaller(header, deps)) !== undefined;
    if (!(await auth.attempt(ctx, accepts)) || caller === undefined) {
      ctx.set('WWW-Authenticate', 'Bearer');
      return ctx.throw(401, 'wrong or missing bearer token');
    }
    if (caller === 'user') return ctx.throw(403, "FORBIDDEN: the token is not a moderator's");
    (ctx.state as { actor?: AuditActor }).actor = caller;
    await next();
  };
  // A moderator's valid token on an admin-only route is forbidden rather than unauthenticated.
  const onlyAdmin: Koa.Middleware = async (ctx, next) => {
    if (actorOf(ctx) !== ADMIN_API) ctx.throw(403, 'FORBIDDEN: this route needs ADMIN_TOKEN');
    await next();
  };
  return { admin: [logged, enabled, asStaff, onlyAdmin], staff: [logged, enabled, asStaff] };
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
