import { ChatError } from '../lib/ack.js';
import { takeRequest } from '../lib/budget-key.js';
import type { ReadState, UnreadSummary } from '../protocol/events.js';
import type { Reader } from '../stores/read-state.js';
import { authorOf } from './author.js';
import { type ChatEvent, type NamedSession, requireNick } from './context.js';
import { requireVisible } from './conversation-access.js';
import { personOf, personRoom } from './person.js';
import { roomsOfSession } from './session-rooms.js';

// Read state that follows a person (docs/protocol.md, "Read state"): markers per person and room in the
// database, counts computed from the messages, every other socket of the person told of a read.

/** The socket's person as a reader: its own messages never count, its nick is what mentions name. */
export function readerOf(ev: ChatEvent, session: NamedSession): Reader {
  const author = authorOf(ev.socket);
  if (author === undefined) throw new ChatError('NICK_REQUIRED', 'register a nick first');
  return { person: personOf(session.token), author, nick: session.nick };
}

/** `room:read`: the marker moves forward to `id` (never back); the person's other sockets get `read`. */
export async function markRead(ev: ChatEvent, { room, id }: { room: string; id: number }): Promise<ReadState> {
  const { ctx, socket } = ev;
  await takeRequest(ctx.limits, socket);
  const session = requireNick(ev);
  await requireVisible(ctx, socket, room);
  const reader = readerOf(ev, session);
  const state = await ctx.readState.read(reader, room, id);
  if (!state) throw new ChatError('NOT_FOUND', `no message ${id} in ${room}`);
  ctx.nsp.to(personRoom(reader.person)).except(socket.id).emit('read', state);
  return state;
}

/**
 * `unread:summary`: over the rooms the person is in, on every node: its sockets' public rooms and its
 * conversations (a moderator's support inbox is counted per conversation in `conversations:list`).
 */
export async function unreadSummary(ev: ChatEvent): Promise<UnreadSummary> {
  const { ctx, socket } = ev;
  await takeRequest(ctx.limits, socket);
  const session = requireNick(ev);
  const reader = readerOf(ev, session);
  const [joined, conversations] = await Promise.all([
    roomsOfSession(ctx, session),
    ctx.conversations.roomsOf(reader.person, ctx.clientLimits.maxConversationsPerPerson),
  ]);
  const states = await ctx.readState.states(reader, [...new Set([...joined, ...conversations])]);
  const rooms = states.map(({ room, unread, mentions }) => ({ room, unread, mentions }));
  const sum = (count: (room: (typeof rooms)[number]) => number) => rooms.reduce((n, room) => n + count(room), 0);
  return { unread: sum((room) => room.unread), mentions: sum((room) => room.mentions), rooms };
}
