import { ChatError } from '../lib/ack.js';
import type { SignedIdentity } from '../protocol/events.js';
import type { ChatContext } from './context.js';
import type { ChatSocket } from './chat-socket.js';
import { IdentityError } from './signed-identity.js';

/**
 * A signed socket's rights last as long as its token (hardening round 2, item 7): at `exp` the socket is told
 * `auth:expired` and its /chat namespace is disconnected, unless `auth:refresh` brought a newer token first. A
 * connection that Socket.IO recovers skips the handshake middleware, so its token is checked again here.
 */
const timers = new WeakMap<ChatSocket, NodeJS.Timeout>();

/** Ends the socket's signed rights at its token's `exp`; called again whenever the token is replaced. */
export function watchTokenExpiry(socket: ChatSocket): void {
  clearTimeout(timers.get(socket));
  const exp = socket.data.signed?.exp;
  if (exp === undefined) return;
  // setTimeout holds at most 2^31 - 1 ms; tokens live 24 h at most (MAX_TOKEN_LIFETIME_S).
  const timer = setTimeout(() => expire(socket), Math.max(0, exp * 1000 - Date.now()));
  timer.unref();
  timers.set(socket, timer);
  if (!socket.listeners('disconnect').includes(stopWatching)) socket.on('disconnect', stopWatching);
}

function stopWatching(this: ChatSocket): void {
  clearTimeout(timers.get(this));
  timers.delete(this);
}

/** Tells the client why, then disconnects the /chat namespace (the connection and its /news stay open). */
export function expire(socket: ChatSocket, code: 'AUTH_EXPIRED' | 'AUTH_INVALID' = 'AUTH_EXPIRED'): void {
  socket.emit('auth:expired', {
    code,
    message: code === 'AUTH_EXPIRED' ? 'the jwt has expired' : 'the jwt was refused',
  });
  socket.disconnect();
}

/**
 * The identity of a recovered signed socket: a valid `jwt` in the new handshake for the same `sub` replaces the
 * stored one (a newer `exp`, a changed role); without one, the stored identity holds until its `exp`. Undefined
 * when the socket must go (expired, or a token for someone else or refused): `expire` has been called then.
 */
export async function recheckRecovered(
  ctx: ChatContext,
  socket: ChatSocket,
  stored: SignedIdentity,
): Promise<SignedIdentity | undefined> {
  const { jwt } = (socket.handshake.auth ?? {}) as { jwt?: unknown };
  if (jwt !== undefined && ctx.authenticator) {
    try {
      const fresh = await ctx.authenticator.verify(jwt);
      if (fresh.sub === stored.sub) return fresh;
    } catch (err) {
      if (!(err instanceof IdentityError)) throw err;
      expire(socket, err.code === 'AUTH_EXPIRED' ? 'AUTH_EXPIRED' : 'AUTH_INVALID');
      return undefined;
    }
    expire(socket, 'AUTH_INVALID');
    return undefined;
  }
  if (stored.exp * 1000 > Date.now()) return stored;
  expire(socket);
  return undefined;
}

/** `auth:refresh`: a newer token of the same user extends the socket's rights (and may change its role). */
export async function verifyRefresh(ctx: ChatContext, socket: ChatSocket, jwt: unknown): Promise<SignedIdentity> {
  const current = socket.data.signed;
  if (!current || !ctx.authenticator) throw new ChatError('NOT_ALLOWED', 'only a signed socket has a token to refresh');
  let fresh: SignedIdentity;
  try {
    fresh = await ctx.authenticator.verify(jwt);
  } catch (err) {
    if (err instanceof IdentityError) throw new ChatError(err.code, err.message);
    throw err;
  }
  if (fresh.sub !== current.sub) throw new ChatError('NOT_ALLOWED', 'the jwt names another user');
  return fresh;
}
