import { ChatError } from '../lib/ack.js';
import { JOIN_HISTORY_SIZE, MAX_LISTED_ROOMS } from '../protocol/limits.js';
import type { PresenceEntry } from '../stores/presence.js';
import { type ChatContext, type ChatSocket, type NamedSession, joinedRooms, requireNick, roomKey } from './context.js';
import { refuseBanned } from './moderation.js';
import { nickKey } from './nick-key.js';
import type { ParsedHistoryQuery } from './parse.js';

/** What presence records for a socket: its nick, and the session and process that own the entry. */
const presenceEntry = (ctx: ChatContext, socket: ChatSocket, session: NamedSession): PresenceEntry => ({
  nick: session.nick,
  session: session.token,
  socket: socket.id,
  node: ctx.nodeId,
});

/** `room:join`: idempotent; announces the nick to the others only when it was not there yet. */
export async function joinRoom(ctx: ChatContext, socket: ChatSocket, room: string) {
  await ctx.limits.requests.take(socket.id);
  const session = await requireNick(ctx, socket);
  const { nick } = session;
  await refuseBanned(ctx, room, nick);
  const key = roomKey(room);
  if (!socket.rooms.has(key)) {
    await socket.join(key);
    const { changed, count } = await ctx.presence.join(room, presenceEntry(ctx, socket, session));
    await ctx.presenceGrace.reentered(ctx, session.token, socket.id, room);
    if (changed) socket.to(key).emit('presence', { room, joined: nick, count });
  }
  const [members, history] = await Promise.all([
    ctx.presence.members(room),
    ctx.history.latest(room, JOIN_HISTORY_SIZE),
  ]);
  return { room, members, history };
}

/** `room:leave`. */
export async function leaveRoom(ctx: ChatContext, socket: ChatSocket, room: string) {
  await ctx.limits.requests.take(socket.id);
  const { nick } = await requireNick(ctx, socket);
  const key = roomKey(room);
  if (!socket.rooms.has(key)) throw new ChatError('NOT_IN_ROOM', `not in ${room}`);
  await socket.leave(key);
  await announceLeave(ctx, room, socket.id, nick);
  return { room };
}

/** Tells the room a nick left, if this was its last socket there. */
export async function announceLeave(ctx: ChatContext, room: string, socketId: string, nick: string): Promise<void> {
  const { changed, count } = await ctx.presence.leave(room, socketId);
  if (changed) ctx.nsp.to(roomKey(room)).emit('presence', { room, left: nick, count });
}

/**
 * Re-enters presence for rooms that connection state recovery gave back to a socket; a room the nick was banned
 * from meanwhile is left instead (the ban could not reach a socket that was away).
 */
export async function announceRecoveredRooms(ctx: ChatContext, socket: ChatSocket, session: NamedSession) {
  for (const room of joinedRooms(socket)) {
    if (await ctx.bans.active(room, nickKey(session.nick), Date.now())) {
      await socket.leave(roomKey(room));
      continue;
    }
    const { changed, count } = await ctx.presence.join(room, presenceEntry(ctx, socket, session));
    await ctx.presenceGrace.reentered(ctx, session.token, socket.id, room);
    if (changed) socket.to(roomKey(room)).emit('presence', { room, joined: session.nick, count });
  }
}

/** `room:history`: a page before or after an id, or the latest page; oldest first. */
export async function roomHistory(ctx: ChatContext, socket: ChatSocket, query: ParsedHistoryQuery) {
  await ctx.limits.requests.take(socket.id);
  await requireNick(ctx, socket);
  const { room, before, after, limit } = query;
  const messages =
    before !== undefined
      ? await ctx.history.before(room, before, limit)
      : after !== undefined
        ? await ctx.history.after(room, after, limit)
        : await ctx.history.latest(room, limit);
  return { room, messages };
}

/** `room:members`. */
export async function roomMembers(ctx: ChatContext, socket: ChatSocket, room: string) {
  await ctx.limits.requests.take(socket.id);
  return { room, members: await ctx.presence.members(room) };
}

/** `rooms:list`: rooms with someone in them, busiest first. */
export async function listRooms(ctx: ChatContext, socket: ChatSocket) {
  await ctx.limits.requests.take(socket.id);
  return { rooms: await ctx.presence.rooms(MAX_LISTED_ROOMS) };
}
