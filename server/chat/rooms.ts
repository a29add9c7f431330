import { ChatError } from '../lib/ack.js';
import { chargeRows, takeRequest } from '../lib/budget-key.js';
import { JOIN_HISTORY_SIZE, MAX_LISTED_ROOMS } from '../protocol/limits.js';
import type { PresenceEntry } from '../stores/presence.js';
import { type ChatContext, type ChatEvent, type NamedSession, requireNick } from './context.js';
import { type ChatSocket, joinedRooms, roomKey } from './chat-socket.js';
import { refuseBanned } from './moderation.js';
import { addLocalRooms, roomsOfSession } from './session-rooms.js';
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
export async function joinRoom(ev: ChatEvent, room: string) {
  const { ctx, socket } = ev;
  await takeRequest(ctx.limits, socket);
  const session = requireNick(ev);
  await refuseBanned(ctx, room, session.nick);
  const join = () => enterRoom(ctx, socket, session, room);
  return chargeRows(ctx.limits, socket, JOIN_HISTORY_SIZE, join, (joined) => joined.history.length);
}

async function enterRoom(ctx: ChatContext, socket: ChatSocket, session: NamedSession, room: string) {
  const key = roomKey(room);
  if (!socket.rooms.has(key)) {
    const rooms = await roomsOfSession(ctx, session);
    addLocalRooms(ctx, session, rooms); // again, in the turn of the join: another tab's join meanwhile counts
    // Checked and joined in one turn of the loop, so two joins of one session on this node cannot both take the
    // last place (a join racing on another node can).
    if (!rooms.has(room) && rooms.size >= ctx.clientLimits.maxRoomsPerSession) {
      throw new ChatError('LIMIT_EXCEEDED', `a session may be in ${ctx.clientLimits.maxRoomsPerSession} rooms`);
    }
    await socket.join(key);
    const { changed, count } = await ctx.presence.join(room, presenceEntry(ctx, socket, session));
    await ctx.presenceGrace.reentered(session.token, socket.id, room);
    if (changed) ctx.announcer.announce(room, { joined: session.nick }, count, socket);
  }
  const [members, history] = await Promise.all([
    ctx.presence.members(room),
    ctx.history.latest(room, JOIN_HISTORY_SIZE),
  ]);
  return { room, members, history };
}

/** `room:leave`. */
export async function leaveRoom(ev: ChatEvent, room: string) {
  const { ctx, socket } = ev;
  await takeRequest(ctx.limits, socket);
  const { nick } = requireNick(ev);
  const key = roomKey(room);
  if (!socket.rooms.has(key)) throw new ChatError('NOT_IN_ROOM', `not in ${room}`);
  await socket.leave(key);
  await announceLeave(ctx, room, socket.id, nick);
  return { room };
}

/** Tells the room a nick left, if this was its last socket there. */
export async function announceLeave(ctx: ChatContext, room: string, socketId: string, nick: string): Promise<void> {
  const { changed, count } = await ctx.presence.leave(room, socketId);
  if (changed) ctx.announcer.announce(room, { left: nick }, count);
}

/**
 * Re-enters presence for rooms that connection state recovery gave back to a socket; a room the nick was banned
 * from meanwhile is left instead (the ban could not reach a socket that was away).
 */
export async function announceRecoveredRooms(ctx: ChatContext, socket: ChatSocket, session: NamedSession) {
  await ctx.announcer.eachRoom(joinedRooms(socket), async (room) => {
    if (await ctx.bans.active(room, nickKey(session.nick), Date.now())) {
      await socket.leave(roomKey(room));
      return;
    }
    const { changed, count } = await ctx.presence.join(room, presenceEntry(ctx, socket, session));
    await ctx.presenceGrace.reentered(session.token, socket.id, room);
    if (changed) ctx.announcer.announce(room, { joined: session.nick }, count, socket);
  });
}

/** `room:history`: a page before or after an id, or the latest page; oldest first. */
export async function roomHistory(ev: ChatEvent, query: ParsedHistoryQuery) {
  const { ctx, socket } = ev;
  await takeRequest(ctx.limits, socket);
  requireNick(ev);
  const { room, before, after, limit } = query;
  const page = () =>
    before !== undefined
      ? ctx.history.before(room, before, limit)
      : after !== undefined
        ? ctx.history.after(room, after, limit)
        : ctx.history.latest(room, limit);
  const messages = await chargeRows(ctx.limits, socket, limit, page, (rows) => rows.length);
  return { room, messages };
}

/** `room:members`. */
export async function roomMembers({ ctx, socket }: ChatEvent, room: string) {
  await takeRequest(ctx.limits, socket);
  return { room, members: await ctx.presence.members(room) };
}

/** `rooms:list`: rooms with someone in them, busiest first. */
export async function listRooms({ ctx, socket }: ChatEvent) {
  await takeRequest(ctx.limits, socket);
  return { rooms: await ctx.presence.rooms(MAX_LISTED_ROOMS) };
}
