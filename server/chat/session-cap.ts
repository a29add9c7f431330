import type { ExtendedError } from 'socket.io';
import type { ChatAuth, ConnectErrorCode } from '../protocol/events.js';
import { isSignedSession } from '../stores/nicks.js';
import type { ChatContext } from './context.js';
import type { ChatSocket } from './chat-socket.js';

/** The `connect_error` of a refused namespace handshake: `err.data.code` is the contract's code. */
function limitExceeded(message: string): ExtendedError {
  const data: { code: ConnectErrorCode } = { code: 'LIMIT_EXCEEDED' };
  return Object.assign(new Error(message), { data });
}

/**
 * Namespace middleware: a socket presenting a session's token is attached to the session here, before it
 * connects, and refused with LIMIT_EXCEEDED when the session holds MAX_SOCKETS_PER_SESSION sockets already.
 * The store checks and attaches in one step (one Lua script in Redis), so sockets arriving together, on any
 * node, cannot overshoot. Recovered connections skip middlewares: they take back a socket the session had.
 * Keep it the last middleware: a later refusal would leave the socket attached.
 */
export function capSocketsPerSession(ctx: ChatContext) {
  return (socket: ChatSocket, next: (err?: ExtendedError) => void): void => {
    void attachWithin(ctx, socket, next);
  };
}

async function attachWithin(ctx: ChatContext, socket: ChatSocket, next: (err?: ExtendedError) => void): Promise<void> {
  if (socket.data.signed && ctx.authenticator) return capSignedUser(ctx, socket, socket.data.signed.sub, next);
  const { token } = socket.handshake.auth as ChatAuth;
  // A signed user's session is never a guest's to join (see resumeSession).
  if (typeof token !== 'string' || isSignedSession(token)) return next();
  try {
    const ref = { id: socket.id, node: ctx.nodeId };
    const attached = await ctx.sessions.attach(token, ref, ctx.clientLimits.maxSocketsPerSession);
    if (attached === 'full') {
      return next(limitExceeded(`a session may hold ${ctx.clientLimits.maxSocketsPerSession} sockets`));
    }
    // The client left while we waited: Socket.IO will drop the socket without a disconnect event, so undo here.
    // (No I/O can run between this check and Socket.IO's own, which happens on the next tick.)
    if (attached && socket.conn.readyState !== 'open') {
      await ctx.sessions.detach(token, socket.id, ctx.presenceGrace.graceMs);
    }
    next();
  } catch (err) {
    ctx.log.error({ err }, 'attaching a socket to its session failed');
    next(new Error('internal error'));
  }
}

/**
 * A signed user's session is opened here with the socket attached, the cap checked in the same atomic step (one
 * Lua script in Redis), so sockets of one user arriving together on several nodes cannot overshoot it. signIn
 * opens it again when the socket connects, which finds the socket attached already.
 */
async function capSignedUser(
  ctx: ChatContext,
  socket: ChatSocket,
  sub: string,
  next: (err?: ExtendedError) => void,
): Promise<void> {
  try {
    const token = ctx.authenticator!.sessionToken(sub);
    const max = ctx.clientLimits.maxSocketsPerSession;
    const opened = await ctx.sessions.open(token, { id: socket.id, node: ctx.nodeId }, max);
    if (opened === 'full') return next(limitExceeded(`a session may hold ${max} sockets`));
    // As for guests: a client that left while we waited is dropped by Socket.IO without a disconnect event.
    if (socket.conn.readyState !== 'open') await ctx.sessions.detach(token, socket.id, ctx.presenceGrace.graceMs);
    next();
  } catch (err) {
    ctx.log.error({ err }, 'opening a signed session failed');
    next(new Error('internal error'));
  }
}
