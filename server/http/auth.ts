import { createHash, timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { addressGroup, clientAddress } from '../lib/client-address.js';

/** Failed bearer checks allowed per client address and window, before every check answers 429. */
export const AUTH_FAILURE_LIMIT = { points: 10, windowSeconds: 60 };

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * True when `header` is `Bearer <token>`. The scheme is case-insensitive (RFC 9110 §11.1); the token is compared
 * in constant time, as digests, so neither its content nor its length leaks through timing.
 */
export function bearerMatches(header: string, token: string): boolean {
  const match = /^bearer +(\S+)\s*$/i.exec(header);
  return match?.[1] !== undefined && timingSafeEqual(sha256(match[1]), sha256(token));
}

/**
 * Middleware factories for routes behind a bearer token, sharing one budget of failures per client address:
 * the one TRUST_PROXY yields (`trustedProxies`, see client-address.ts), IPv6 by its /64. Keyed on the TCP peer,
 * a proxy's address, one client's bad tokens locked everyone behind that proxy out. Over the budget, every
 * request is refused with 429 and `Retry-After`, whatever token it carries, until the window ends: guessing
 * costs a minute per 10 tries.
 */
export function createBearerAuth(trustedProxies = 0, limit = AUTH_FAILURE_LIMIT) {
  const failures = new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds });

  /** Whether `accepts` takes the Authorization header; a refusal is spent from the budget (429 when it is gone). */
  async function attempt(ctx: Koa.Context, accepts: (header: string) => Promise<boolean>): Promise<boolean> {
    const client = addressGroup(clientAddress(ctx.req, trustedProxies));
    const spent = await failures.get(client);
    if (spent !== null && spent.remainingPoints <= 0) {
      const retryAfter = String(Math.max(1, Math.ceil(spent.msBeforeNext / 1000)));
      ctx.throw(429, 'too many failed authentications; retry later', { headers: { 'Retry-After': retryAfter } });
    }
    if (await accepts(ctx.get('authorization'))) return true;
    await failures.penalty(client);
    return false;
  }

  const check = (ctx: Koa.Context, token: string) =>
    attempt(ctx, (header) => Promise.resolve(bearerMatches(header, token)));

  return {
    attempt,
    /** Answers 401 unless the request carries the token (and 429 when over the budget). */
    require(token: () => string): Koa.Middleware {
      return async (ctx, next) => {
        if (!(await check(ctx, token()))) {
          ctx.set('WWW-Authenticate', 'Bearer');
          ctx.throw(401, 'wrong or missing bearer token');
        }
        await next();
      };
    },
    /** For optional authentication: false without an Authorization header, else as `require`. */
    async optional(ctx: Koa.Context, token: string): Promise<boolean> {
      if (ctx.get('authorization') === '' || token === '') return false;
      if (await check(ctx, token)) return true;
      ctx.set('WWW-Authenticate', 'Bearer');
      return ctx.throw(401, 'wrong bearer token');
    },
  };
}
