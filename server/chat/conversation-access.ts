import { ChatError } from '../lib/ack.js';
import type { SignedIdentity } from '../protocol/events.js';
import type { ChatContext } from './context.js';
import { type ChatSocket, hears, roomKey } from './chat-socket.js';
import { isServerNamed } from './conversation-names.js';
import { personOf } from './person.js';

// Who may see a conversation: its members (and, for support conversations, the team). To anyone else it does not
// exist: every request about it answers NOT_FOUND, as for a server-named room nobody created.

export const notFound = (room: string): ChatError => new ChatError('NOT_FOUND', `no room ${room}`);

/**
 * Whether a room is a conversation: a server-named one by its name; a host-granted one (a site's own name) by the
 * store, which knows it once a token granted it.
 */
export async function isConversation(ctx: ChatContext, room: string): Promise<boolean> {
  return isServerNamed(room) || (await ctx.conversations.find(room)) !== undefined;
}

/**
 * For a socket that does not hear the room: true when its person is a member after all (then the socket is put in
 * the room: it connected while the membership was being made), false for a public room, NOT_FOUND otherwise.
 */
async function memberAfterAll(ctx: ChatContext, socket: ChatSocket, room: string): Promise<boolean> {
  if (!(await isConversation(ctx, room))) return false;
  const token = socket.data.sessionToken;
  if (token === undefined || !(await ctx.conversations.isMember(room, personOf(token)))) throw notFound(room);
  await socket.join(roomKey(room));
  return true;
}

/** Sending, editing, deleting: the socket must hear the room; NOT_FOUND for a conversation it is not in. */
export async function requireHears(ctx: ChatContext, socket: ChatSocket, room: string): Promise<void> {
  if (hears(socket, room) || (await memberAfterAll(ctx, socket, room))) return;
  throw new ChatError('NOT_IN_ROOM', `join ${room} first`);
}

/** Reading history and members: anyone may read a public room; a conversation only its members. */
export async function requireVisible(ctx: ChatContext, socket: ChatSocket, room: string): Promise<void> {
  if (!hears(socket, room)) await memberAfterAll(ctx, socket, room);
}

/**
 * `room:join`: a public room (false), or a conversation the socket's person is a member of (true, and the socket
 * hears it); NOT_FOUND for a conversation of someone else.
 */
export async function joinsConversation(ctx: ChatContext, socket: ChatSocket, room: string): Promise<boolean> {
  if (hears(socket, room)) return isConversation(ctx, room);
  return memberAfterAll(ctx, socket, room);
}

/**
 * Rooms that count toward MAX_ROOMS_PER_SESSION: public ones. Conversations have their own cap; those the site
 * grants carry its names, and are known from the socket's token.
 */
export function publicRooms(rooms: Iterable<string>, signed: SignedIdentity | undefined): string[] {
  const granted = new Set(signed?.rooms ?? []);
  return [...rooms].filter((room) => !isServerNamed(room) && !granted.has(room));
}
