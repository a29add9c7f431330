/**
 * A tiny host site that embeds Parley for its signed-in users: a login form (a name and a "moderator"
 * checkbox, NO password: this is a demo of the token flow, not of authentication), a page with the chat, and
 * a backend route that signs a fresh chat token with `jose` under the AUTH_SECRET it shares with Parley.
 * A real site signs tokens for the user its own login already established, exactly like `chatToken` below.
 */
import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { SignJWT } from 'jose';
import Koa, { type Context } from 'koa';
import { chatPage, loginPage } from './pages.js';

export interface HostSiteOptions {
  /** The secret Parley was started with (AUTH_SECRET); it never leaves this backend. */
  authSecret: string;
  /** Where Parley runs, e.g. http://localhost:3000 (this site's origin must be in its CORS_ORIGINS). */
  chatUrl: string;
  /** How long a chat token is valid; the page asks for a fresh one before it runs out. */
  tokenLifetimeS?: number;
}

interface SiteUser {
  /** Stable user id: Parley's `sub`, the key that owns the nick across tabs and devices. */
  id: string;
  name: string;
  moderator: boolean;
}

const SESSION_COOKIE = 'host_session';
const DEFAULT_TOKEN_LIFETIME_S = 10 * 60;

/** The JWT Parley accepts: HS256, `sub`, `name`, `exp`, and `role: "moderator"` for moderators. */
export async function chatToken(user: SiteUser, secret: string, lifetimeS: number): Promise<string> {
  return new SignJWT({ name: user.name, ...(user.moderator ? { role: 'moderator' } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime(`${lifetimeS}s`)
    .sign(new TextEncoder().encode(secret));
}

export function createHostSite(options: HostSiteOptions): Server {
  const lifetimeS = options.tokenLifetimeS ?? DEFAULT_TOKEN_LIFETIME_S;
  const sessions = new Map<string, SiteUser>(); // in memory: a restart logs everyone out
  const userOf = (ctx: Context) => sessions.get(ctx.cookies.get(SESSION_COOKIE) ?? '');
  const router = new Router();

  router.get('/', async (ctx) => {
    const user = userOf(ctx);
    ctx.type = 'html';
    if (!user) {
      ctx.body = loginPage();
      return;
    }
    const jwt = await chatToken(user, options.authSecret, lifetimeS);
    ctx.body = chatPage({ chatUrl: options.chatUrl, jwt, name: user.name, moderator: user.moderator });
  });

  router.post('/login', (ctx) => {
    const body = ctx.request.body as { name?: unknown; moderator?: unknown } | undefined;
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    if (name === '' || name.length > 32) ctx.throw(400, 'a name of 1-32 characters');
    const id = randomBytes(18).toString('base64url');
    // The demo's user id is its name, so signing in again as "ana" is the same user on every device.
    sessions.set(id, { id: `demo:${name.toLowerCase()}`, name, moderator: body?.moderator === 'on' });
    ctx.cookies.set(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'lax' });
    ctx.redirect('/');
  });

  router.post('/logout', (ctx) => {
    sessions.delete(ctx.cookies.get(SESSION_COOKIE) ?? '');
    ctx.cookies.set(SESSION_COOKIE, null);
    ctx.redirect('/');
  });

  /** The element's `refreshJwt` calls this (same origin, with the session cookie) before its token runs out. */
  router.post('/api/chat-token', async (ctx) => {
    const user = userOf(ctx);
    if (!user) return ctx.throw(401, 'signed out');
    ctx.body = { jwt: await chatToken(user, options.authSecret, lifetimeS) };
  });

  const koa = new Koa().use(bodyParser({ enableTypes: ['form', 'json'] })).use(router.routes());
  const handle = koa.callback();
  return createServer((req, res) => void handle(req, res));
}
