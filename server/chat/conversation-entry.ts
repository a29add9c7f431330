import type { Session } from 'socket.io-adapter';
import type { ChatContext, NamedSession } from './context.js';
import { type ChatSocket, SUPPORT_TEAM, roomKey, roomOfKey } from './chat-socket.js';
import { isServerNamed } from './conversation-names.js';
import { followGrants } from './granted-rooms.js';
import { personOf } from './person.js';

/**
 * A socket arriving for its person (a connect, a reload, a recovered connection, a newer token): it is put in every
 * conversation of the person, and a moderator's in the support team's room (a socket that lost the role leaves it).
 * For a signed user, the rooms its token grants are made memberships first, and those it no longer grants end.
 */
export async function enterConversations(ctx: ChatContext, socket: ChatSocket, session: NamedSession): Promise<void> {
  const person = personOf(session.token);
  const { signed } = socket.data;
  if (signed) await followGrants(ctx, { person, nick: session.nick }, signed.rooms ?? []);
  const rooms = await ctx.conversations.roomsOf(person, ctx.clientLimits.maxConversationsPerPerson);
  if (rooms.length > 0) await socket.join(rooms.map(roomKey));
  if (signed?.role === 'moderator') await socket.join(SUPPORT_TEAM);
  else await socket.leave(SUPPORT_TEAM);
}

/**
 * The recovery gate's check (lib/recovery-gate.ts): a restored session keeps only the conversations its person is
 * still a member of, and none of the missed packets of the others (every packet of a room names it in `room`).
 * The team's room is left to `enterConversations`, which runs before any event of the socket is handled.
 */
export async function keepMemberships(ctx: ChatContext, session: Session): Promise<Session> {
  const names = session.rooms.map(roomOfKey).filter((room) => room !== undefined);
  const conversations = await ctx.conversations.conversationsAmong(names.filter((room) => !isServerNamed(room)));
  for (const room of names) if (isServerNamed(room)) conversations.add(room);
  if (conversations.size === 0) return session;
  const token = (session.data as { sessionToken?: string } | undefined)?.sessionToken;
  const max = ctx.clientLimits.maxConversationsPerPerson;
  const mine = new Set(token === undefined ? [] : await ctx.conversations.roomsOf(personOf(token), max));
  const gone = new Set([...conversations].filter((room) => !mine.has(room)));
  if (gone.size === 0) return session;
  return {
    ...session,
    rooms: session.rooms.filter((key) => !gone.has(roomOfKey(key) ?? '')),
    missedPackets: session.missedPackets.filter((packet) => !gone.has(roomOfPacket(packet))),
  };
}

/** The `room` of an event packet's payload (`[event, payload, offset]`), '' when it has none. */
function roomOfPacket(packet: unknown[]): string {
  const payload = packet[1] as { room?: unknown } | undefined;
  return typeof payload?.room === 'string' ? payload.room : '';
}
