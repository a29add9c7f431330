import { ChatError } from '../lib/ack.js';
import type { ConversationInfo } from '../protocol/events.js';
import type { Conversation, Member } from '../stores/conversations.js';
import type { ChatContext } from './context.js';
import { audienceOf, roomKey } from './chat-socket.js';
import { nickKey } from './nick-key.js';
import { personOf, personRoom } from './person.js';
import { announceLeave } from './rooms.js';

// Becoming and ending a member: the store first, then the person's sockets on every node, then the news.

/** How long the barrier after a removal waits for the other nodes; a node that does not answer counts for nothing. */
const OTHER_NODES_MS = 1000;

/** The person holding a nick now, as a member-to-be; undefined when nobody does. */
export async function personHolding(ctx: ChatContext, nick: string): Promise<Member | undefined> {
  const owner = await ctx.nicks.owner(nickKey(nick));
  const session = owner && (await ctx.sessions.get(owner.session));
  if (session?.nick === undefined) return undefined;
  return { person: personOf(session.token), nick: session.nick };
}

/** What members are told of a conversation: `conversation`'s payload. */
export function infoOf(conversation: Conversation, members: Member[]): ConversationInfo {
  const { room, kind, title } = conversation;
  return { room, kind, title, members: members.map((member) => member.nick) };
}

/** Tells everyone who hears the conversation (its members, the team for support) who is in it now. */
export async function announceMembers(ctx: ChatContext, conversation: Conversation): Promise<void> {
  const members = await ctx.conversations.members(conversation.room);
  ctx.nsp.to(audienceOf(conversation.room)).emit('conversation', infoOf(conversation, members));
}

/**
 * Makes the person a member (LIMIT_EXCEEDED when it has MAX_CONVERSATIONS_PER_PERSON already) and puts every
 * socket of it, on every node, in the room. True when it was not a member before.
 */
export async function admit(ctx: ChatContext, conversation: Conversation, member: Member): Promise<boolean> {
  const added = await ctx.conversations.addMember(
    conversation.room,
    member,
    ctx.clientLimits.maxConversationsPerPerson,
  );
  if (added === 'full') {
    const max = ctx.clientLimits.maxConversationsPerPerson;
    throw new ChatError('LIMIT_EXCEEDED', `${member.nick} is in ${max} conversations already`);
  }
  // Through the adapter, which applies it on every node before any broadcast sent after it (one ordered stream).
  ctx.nsp.in(personRoom(member.person)).socketsJoin(roomKey(conversation.room));
  return added === 'added';
}

/**
 * Takes every socket of a person that is no longer a member out of the room, on every node, and tells them with
 * `conversation:removed`. Resolves once the other nodes have answered a request sent after the removal (so they
 * have applied it: the adapter's stream is ordered); from then on nothing of the room reaches the person.
 */
export async function expel(ctx: ChatContext, room: string, member: Member): Promise<void> {
  const key = roomKey(room);
  const target = ctx.nsp.in(personRoom(member.person));
  const sockets = await target
    .timeout(OTHER_NODES_MS)
    .fetchSockets()
    .catch(() => []);
  target.socketsLeave(key);
  target.emit('conversation:removed', { room });
  for (const socket of sockets) {
    if (socket.rooms.has(key)) await announceLeave(ctx, room, socket.id, member.nick);
  }
  const after = await target
    .timeout(OTHER_NODES_MS)
    .fetchSockets()
    .catch((err: unknown) => {
      ctx.log.warn({ err, room }, 'a node did not confirm a removal from a conversation');
      return [];
    });
  for (const socket of after) if (socket.rooms.has(key)) socket.leave(key); // not applied yet: once more
}
