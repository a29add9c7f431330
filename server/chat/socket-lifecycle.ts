import { ChatError } from '../lib/ack.js';
import { takeRequest } from '../lib/budget-key.js';
import type { ChatAuth } from '../protocol/events.js';
import { isSignedSession } from '../stores/nicks.js';
import { type ChatContext, type NamedSession } from './context.js';
import { type ChatSocket, joinedRooms, roomKey } from './chat-socket.js';
import { announceRecoveredRooms } from './rooms.js';
import { bindSession } from './session-binding.js';
import { enterConversations } from './conversation-entry.js';
import { sweepSessions } from './sessions.js';
import { signIn } from './sign-in.js';
import { recheckRecovered, verifyRefresh, watchTokenExpiry } from './token-expiry.js';

// A /chat socket's session, from its arrival (a new socket, a reload, a recovered connection) to its end.

/**
 * Reasons after which the client may only come back as a reload: the session waits out the presence grace.
 * A server shutting down is a cut instead: its clients resume on another node, or on this one restarted.
 */
const CLEAN_DISCONNECTS = new Set(['client namespace disconnect', 'server namespace disconnect']);

/** Signed users' nicks come from their token; with GUESTS=off nobody else gets one. */
export function refuseRegistration(ctx: ChatContext, socket: ChatSocket): void {
  if (socket.data.signed) throw new ChatError('NOT_ALLOWED', 'a signed user takes the name from the token');
  if (!ctx.guests) throw new ChatError('NOT_ALLOWED', 'guests may not chat here: sign in on the site');
}

/**
 * A socket may arrive as a recovered connection (Socket.IO gave back its rooms and data) or with the
 * token of a live session (a reload, a second tab): either way it is that session, nick included.
 */
export async function resumeSession(ctx: ChatContext, socket: ChatSocket): Promise<void> {
  if (socket.data.signed && ctx.authenticator) {
    const identity = socket.recovered ? await recheckRecovered(ctx, socket, socket.data.signed) : socket.data.signed;
    if (!identity) return;
    socket.data.signed = identity;
    watchTokenExpiry(socket);
    const session = await signIn(ctx, socket, identity);
    if (socket.recovered) await announceRecoveredRooms(ctx, socket, session);
    return;
  }
  delete socket.data.signed; // recovered on a node without AUTH_SECRET: a guest here
  const token = socket.recovered ? socket.data.sessionToken : (socket.handshake.auth as ChatAuth).token;
  // A guest never attaches to a signed user's session, whatever token it presents.
  const guestToken = typeof token === 'string' && !isSignedSession(token) ? token : undefined;
  // Already attached by capSocketsPerSession unless recovered; attaching again is a no-op then.
  const attached =
    guestToken !== undefined ? await ctx.sessions.attach(guestToken, { id: socket.id, node: ctx.nodeId }) : undefined;
  const session = attached === 'full' ? undefined : attached;
  await bindSession(socket, session?.token);
  if (!session) {
    for (const room of joinedRooms(socket)) await socket.leave(roomKey(room));
    return;
  }
  if (session.nick === undefined) return;
  await enterConversations(ctx, socket, session as NamedSession);
  if (socket.recovered) await announceRecoveredRooms(ctx, socket, session as NamedSession);
}

export async function endSocket(ctx: ChatContext, socket: ChatSocket, rooms: string[], reason: string): Promise<void> {
  const token = socket.data.sessionToken;
  if (token === undefined) return;
  const nick = (await ctx.sessions.get(token))?.nick;
  if (nick !== undefined) await ctx.presenceGrace.leaveLater(token, socket.id, nick, rooms);
  // A clean disconnect may be a reload: the session waits out the presence grace for the same token.
  const graceMs = CLEAN_DISCONNECTS.has(reason) ? ctx.presenceGrace.graceMs : ctx.recoveryWindowMs;
  const { lastSocketGone } = await ctx.sessions.detach(token, socket.id, graceMs);
  if (lastSocketGone && graceMs === 0) await sweepSessions(ctx);
}

/** `auth:refresh`: the socket is its user under the newer token (a changed role or name is announced). */
export async function refreshToken(ctx: ChatContext, socket: ChatSocket, jwt: unknown): Promise<{ exp: number }> {
  await takeRequest(ctx.limits, socket);
  const identity = await verifyRefresh(ctx, socket, jwt);
  socket.data.signed = identity;
  watchTokenExpiry(socket);
  await signIn(ctx, socket, identity);
  return { exp: identity.exp };
}
