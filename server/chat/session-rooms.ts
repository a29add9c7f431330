import type { Session } from '../stores/sessions.js';
import { type ChatContext } from './context.js';
import { joinedRooms } from './chat-socket.js';
import { sessionRoom } from './session-binding.js';
import { personOf } from './person.js';

/** How long a question to other nodes waits; a node that does not answer in time counts for nothing. */
const OTHER_NODES_MS = 1000;

/**
 * The rooms a session is in through its sockets on every node, read from its session room (session-binding.ts):
 * through the adapter, which asks the other nodes, only when the session holds sockets elsewhere (a session's
 * sockets are mostly on one node). The one answer to "the rooms of a session" for renames, caps and bans.
 */
export async function roomsOfSession(ctx: ChatContext, session: Session): Promise<Set<string>> {
  const rooms = new Set<string>();
  if (Object.values(session.sockets).some((node) => node !== ctx.nodeId)) {
    const sockets = await ctx.nsp
      .in(sessionRoom(session.token))
      .timeout(OTHER_NODES_MS)
      .fetchSockets()
      .catch(() => []);
    for (const socket of sockets) for (const room of joinedRooms(socket)) rooms.add(room);
  }
  addLocalRooms(ctx, session, rooms);
  return rooms;
}

/**
 * Adds the rooms of the session's sockets on this node. Synchronous, so a caller that checks a cap can read them
 * again in the same turn as its change (the caller resumes after `roomsOfSession` a turn later).
 */
export function addLocalRooms(ctx: ChatContext, session: Session, rooms: Set<string>): void {
  for (const id of ctx.nsp.adapter.rooms.get(sessionRoom(session.token)) ?? []) {
    const socket = ctx.nsp.sockets.get(id);
    if (socket) for (const room of joinedRooms(socket)) rooms.add(room);
  }
}

/** One `presence` rename in every room the session is in, on every node, to everyone there. */
export async function announceRename(ctx: ChatContext, session: Session, from: string, to: string): Promise<void> {
  await ctx.conversations.renamePerson(personOf(session.token), to);
  await ctx.announcer.eachRoom(await roomsOfSession(ctx, session), async (room) => {
    const { count } = await ctx.presence.rename(room, session.token, to);
    ctx.announcer.announce(room, { renamed: { from, to } }, count);
  });
}
