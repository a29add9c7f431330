import { ChatError } from '../lib/ack.js';
import { chargeRows, takeRequest } from '../lib/budget-key.js';
import { JOIN_HISTORY_SIZE, MAX_LISTED_ROOMS } from '../protocol/limits.js';
import type { PresenceEntry } from '../stores/presence.js';
import { type ChatContext, type ChatEvent, type NamedSession, requireNick } from './context.js';
import { type ChatSocket, joinedRooms, roomKey } from './chat-socket.js';
import { refuseBanned } from './moderation.js';
import { addLocalRooms, roomsOfSession } from './session-rooms.js';
import { isConversation, joinsConversation, publicRooms, requireVisible } from './conversation-access.js';
import { isServerNamed } from './conversation-names.js';
import { readerOf } from './read-state.js';
import { cutoffOf } from './retention.js';
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
  const conversation = await joinsConversation(ctx, socket, room);
  const reader = readerOf(ev, session);
  const join = () => enterRoom(ctx, socket, session, room, conversation);
  const readState = async () => {
    await ctx.readState.begin(reader.person, room); // a first join: what was said before counts as read
    return (await ctx.readState.states(reader, [room]))[0]!;
  };
  const joined = await chargeRows(ctx.limits, socket, JOIN_HISTORY_SIZE, join, (rows) => rows.history.length);
  return { ...(await readState()), ...joined };
}

/**
 * Joins the socket (a public room) and enters it in presence. A member's socket hears its conversations from the
 * moment it connects; joining one enters it in the conversation's presence (who has it open) and loads history.
 */
async function enterRoom(
  ctx: ChatContext,
  socket: ChatSocket,
  session: NamedSession,
  room: string,
  conversation: boolean,
) {
  const key = roomKey(room);
  if (!socket.rooms.has(key) || conversation) {
    if (!conversation) await refuseOverRoomCap(ctx, socket, session, room);
    await socket.join(key);
    const { changed, count } = await ctx.presence.join(room, presenceEntry(ctx, socket, session));
    await ctx.presenceGrace.reentered(session.token, socket.id, room);
    if (changed) ctx.announcer.announce(room, { joined: session.nick }, count, socket);
  }
  const retentionDays = await ctx.roomRetention.days(room);
  const [members, history] = await Promise.all([
    ctx.presence.members(room),
    ctx.history.latest(room, JOIN_HISTORY_SIZE, cutoffOf(retentionDays, Date.now())),
  ]);
  return { room, members, history, retentionDays };
}

/**
 * LIMIT_EXCEEDED when the session's sockets are in MAX_ROOMS_PER_SESSION public rooms already. Checked in the turn
 * of the join (the caller joins in that turn), so two joins of one session on this node cannot both take the last
 * place (a join racing on another node can).
 */
async function refuseOverRoomCap(ctx: ChatContext, socket: ChatSocket, session: NamedSession, room: string) {
  const rooms = await roomsOfSession(ctx, session);
  addLocalRooms(ctx, session, rooms); // again, in the turn of the join: another tab's join meanwhile counts
  const max = ctx.clientLimits.maxRoomsPerSession;
  if (!rooms.has(room) && publicRooms(rooms, socket.data.signed).length >= max) {
    throw new ChatError('LIMIT_EXCEEDED', `a session may be in ${max} rooms`);
  }
}

/** `room:leave`. */
export async function leaveRoom(ev: ChatEvent, room: string) {
  const { ctx, socket } = ev;
  await takeRequest(ctx.limits, socket);
  const { nick } = requireNick(ev);
  const key = roomKey(room);
  if (!socket.rooms.has(key)) throw new ChatError('NOT_IN_ROOM', `not in ${room}`);
  // A member keeps hearing its conversation (conversation:leave gives it up): it only leaves its presence.
  if (!(await isConversation(ctx, room))) await socket.leave(key);
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
  await requireVisible(ctx, socket, room);
  const since = await ctx.roomRetention.since(room);
  const page = () =>
    before !== undefined
      ? ctx.history.before(room, before, limit, since)
      : after !== undefined
        ? ctx.history.after(room, after, limit, since)
        : ctx.history.latest(room, limit, since);
  const messages = await chargeRows(ctx.limits, socket, limit, page, (rows) => rows.length);
  return { room, messages };
}

/** `room:members`: who is in the room now (for a conversation: which of its members have it open). */
export async function roomMembers({ ctx, socket }: ChatEvent, room: string) {
  await takeRequest(ctx.limits, socket);
  await requireVisible(ctx, socket, room);
  return { room, members: await ctx.presence.members(room) };
}

/** `rooms:list`: public rooms with someone in them, busiest first. */
export async function listRooms({ ctx, socket }: ChatEvent) {
  await takeRequest(ctx.limits, socket);
  return { rooms: await publicRoomsInUse(ctx) };
}

/** Public rooms with someone in them (on every node), busiest first, at most MAX_LISTED_ROOMS: conversations left out. */
export async function publicRoomsInUse(ctx: Pick<ChatContext, 'presence' | 'conversations'>) {
  const rooms = await ctx.presence.rooms(MAX_LISTED_ROOMS + LISTED_ROOMS_SLACK);
  const named = rooms.map(({ name }) => name).filter((name) => !isServerNamed(name));
  const granted = await ctx.conversations.conversationsAmong(named);
  const visible = rooms.filter(({ name }) => !isServerNamed(name) && !granted.has(name));
  return visible.slice(0, MAX_LISTED_ROOMS);
}

/**
 * Rooms asked of presence beyond MAX_LISTED_ROOMS, so that conversations (which are in presence too, and are taken
 * out of the list) seldom make it shorter than it could be.
 */
const LISTED_ROOMS_SLACK = 100;
