import { ChatError } from '../lib/ack.js';
import { type ChatContext, type ChatSocket, joinedRooms, roomKey, sessionOf } from './context.js';
import { nickKey } from './nick-key.js';
import type { Session } from './sessions.js';

/** `nick:register`: claim a nick for this socket's session, creating the session on first use. */
export async function registerNick(ctx: ChatContext, socket: ChatSocket, nick: string) {
  await ctx.limits.requests.take(socket.id);
  let session = sessionOf(ctx, socket);
  if (!session) {
    session = ctx.sessions.create();
    ctx.sessions.attach(session, socket.id);
    socket.data.sessionToken = session.token;
  }
  const previous = session.nick;
  if (previous === nick) return { nick, token: session.token };

  const key = nickKey(nick);
  if (!(await ctx.nicks.claim(key, session.token))) throw new ChatError('NICK_TAKEN', `${nick} is taken`);
  if (session.nickKey !== undefined && session.nickKey !== key) await ctx.nicks.release(session.nickKey, session.token);
  session.nick = nick;
  session.nickKey = key;
  if (previous !== undefined) await announceRename(ctx, session, previous, nick);
  return { nick, token: session.token };
}

/** One `presence` rename per room that any socket of the session is in, to everyone there. */
async function announceRename(ctx: ChatContext, session: Session, from: string, to: string): Promise<void> {
  const rooms = new Set<string>();
  for (const id of session.socketIds) {
    const socket = ctx.nsp.sockets.get(id);
    if (socket) for (const room of joinedRooms(socket)) rooms.add(room);
  }
  for (const room of rooms) {
    const { count } = await ctx.presence.rename(room, from, to);
    ctx.nsp.to(roomKey(room)).emit('presence', { room, renamed: { from, to }, count });
  }
}

/** Frees the nick of a session that has gone for good. */
export async function releaseNick(ctx: ChatContext, session: Session): Promise<void> {
  if (session.nickKey !== undefined) await ctx.nicks.release(session.nickKey, session.token);
}
