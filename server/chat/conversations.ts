import { ChatError } from '../lib/ack.js';
import { takeRequest } from '../lib/budget-key.js';
import type { ConversationListing, RoomMemberChange } from '../protocol/events.js';
import { MAX_LISTED_CONVERSATIONS } from '../protocol/limits.js';
import type { Conversation, Member } from '../stores/conversations.js';
import { type ChatEvent, type NamedSession, requireNick } from './context.js';
import { admit, announceMembers, expel, infoOf, personHolding } from './conversation-members.js';
import { moderatorOf } from './moderation.js';
import { notFound } from './conversation-access.js';
import { directRoom, privateRoom, supportRoom } from './conversation-names.js';
import { nickKey } from './nick-key.js';
import { personOf, personRoom } from './person.js';
import { readerOf } from './read-state.js';

// The requests of private conversations (docs/protocol.md, "Private conversations").

/** The caller as a member: its person and nick; with the request budget taken. */
async function caller(ev: ChatEvent): Promise<Member & { session: NamedSession }> {
  await takeRequest(ev.ctx.limits, ev.socket);
  const session = requireNick(ev);
  return { person: personOf(session.token), nick: session.nick, session };
}

const isModerator = (ev: ChatEvent): boolean => moderatorOf(ev) !== undefined;

/** `dm:open`: the one direct conversation of the caller and the person holding `nick`, both made members. */
export async function openDirect(ev: ChatEvent, nick: string) {
  const { ctx } = ev;
  const me = await caller(ev);
  const other = await personHolding(ctx, nick);
  if (!other) throw new ChatError('NOT_FOUND', `nobody is called ${nick}`);
  if (other.person === me.person) throw new ChatError('BAD_REQUEST', 'a direct conversation needs someone else');
  const room = directRoom(me.person, other.person);
  const { conversation } = await ctx.conversations.create(
    { room, kind: 'direct', title: '', createdAt: Date.now() },
    [],
  );
  await admit(ctx, conversation, { person: me.person, nick: me.nick });
  await admit(ctx, conversation, other);
  const members = await ctx.conversations.members(room);
  ctx.nsp.to(personRoom(me.person)).to(personRoom(other.person)).emit('conversation', infoOf(conversation, members));
  return { room, kind: 'direct' as const, members: members.map((member) => member.nick) };
}

/** `room:create`: a private room with an unguessable name, the caller its owner and first member. */
export async function createPrivateRoom(ev: ChatEvent, title: string) {
  const { ctx } = ev;
  const me = await caller(ev);
  const max = ctx.clientLimits.maxConversationsPerPerson;
  if ((await ctx.conversations.roomsOf(me.person, max)).length >= max) {
    throw new ChatError('LIMIT_EXCEEDED', `a person may be in ${max} conversations`);
  }
  const fresh: Conversation = { room: privateRoom(), kind: 'private', title, owner: me.person, createdAt: Date.now() };
  const { conversation } = await ctx.conversations.create(fresh, []);
  await admit(ctx, conversation, { person: me.person, nick: me.nick });
  ctx.nsp.to(personRoom(me.person)).emit('conversation', infoOf(conversation, [me]));
  return { room: conversation.room, kind: 'private' as const, title, members: [me.nick] };
}

/**
 * A private room the caller may manage: NOT_FOUND unless it is a member or a moderator (to anyone else the room
 * does not exist), NOT_ALLOWED for another kind of conversation, or unless it is the owner or a moderator.
 */
async function managedRoom(ev: ChatEvent, room: string, me: Member): Promise<Conversation> {
  const { ctx } = ev;
  const conversation = await ctx.conversations.find(room);
  const visible = conversation && (isModerator(ev) || (await ctx.conversations.isMember(room, me.person)));
  if (!conversation || !visible) throw notFound(room);
  if (conversation.kind !== 'private') throw new ChatError('NOT_ALLOWED', 'only private rooms have invitations');
  if (conversation.owner !== me.person && !isModerator(ev)) {
    throw new ChatError('NOT_ALLOWED', 'only the owner or a moderator may do that');
  }
  return conversation;
}

/** `room:invite`: the person holding `nick` becomes a member; its sockets join and get `conversation`. */
export async function inviteMember(ev: ChatEvent, { room, nick }: RoomMemberChange) {
  const { ctx } = ev;
  const conversation = await managedRoom(ev, room, await caller(ev));
  const invitee = await personHolding(ctx, nick);
  if (!invitee) throw new ChatError('NOT_FOUND', `nobody is called ${nick}`);
  await admit(ctx, conversation, invitee);
  await announceMembers(ctx, conversation);
  return { room, nick };
}

/**
 * `room:kick`: the member called `nick` stops being one. Before the reply its sockets, on every node, are out of
 * the room and told with `conversation:removed`; the rest of the room gets the new member list. A moderator's kick
 * is moderation and writes an audit entry with the removal; an owner who is not one manages its own room.
 */
export async function kickMember(ev: ChatEvent, { room, nick }: RoomMemberChange) {
  const { ctx } = ev;
  const me = await caller(ev);
  const conversation = await managedRoom(ev, room, me);
  const members = await ctx.conversations.members(room);
  const target = members.find((member) => nickKey(member.nick) === nickKey(nick)) ?? (await personHolding(ctx, nick));
  const moderator = moderatorOf(ev);
  const audit = moderator && { actor: moderator, action: 'kick' as const, room, target: nick, reason: null };
  if (!target || !(await ctx.conversations.removeMember(room, target.person, audit))) {
    throw new ChatError('NOT_FOUND', `${nick} is not a member of ${room}`);
  }
  await expel(ctx, room, target);
  await announceMembers(ctx, conversation);
  return { room, nick };
}

/** `conversation:leave`: gives up a private room (not one the site's token grants: the next token would add it back). */
export async function leaveConversation(ev: ChatEvent, room: string) {
  const { ctx } = ev;
  const me = await caller(ev);
  const conversation = await ctx.conversations.find(room);
  const membership = conversation && (await ctx.conversations.members(room)).find((m) => m.person === me.person);
  if (!conversation || !membership) throw notFound(room);
  if (conversation.kind !== 'private') throw new ChatError('NOT_ALLOWED', 'only private rooms can be left');
  if (membership.granted) throw new ChatError('NOT_ALLOWED', 'the site makes you a member of this room');
  await ctx.conversations.removeMember(room, me.person);
  await expel(ctx, room, me);
  await announceMembers(ctx, conversation);
  return { room };
}

/** `conversations:list`: the caller's conversations, and every support conversation for a moderator. */
export async function listConversations(ev: ChatEvent) {
  const { ctx } = ev;
  const me = await caller(ev);
  const found = await ctx.conversations.list(me.person, isModerator(ev), MAX_LISTED_CONVERSATIONS);
  const states = await ctx.readState.states(
    readerOf(ev, me.session),
    found.map((conversation) => conversation.room),
  );
  const conversations: ConversationListing[] = found.map((conversation, i) => {
    const { readId, unread, mentions } = states[i]!;
    return {
      ...infoOf(conversation, conversation.members),
      lastMessage: conversation.lastMessage,
      readId,
      unread,
      mentions,
    };
  });
  return { conversations };
}

/**
 * `support:open`: the visitor's one support conversation (titled with its nick), whose members are the visitor and
 * the team (every moderator's socket is in the team's room). The team hears of a new one with `conversation`.
 */
export async function openSupport(ev: ChatEvent) {
  const { ctx } = ev;
  const me = await caller(ev);
  const room = supportRoom(me.person);
  const { conversation } = await ctx.conversations.create(
    { room, kind: 'support', title: me.nick, createdAt: Date.now() },
    [],
  );
  if (await admit(ctx, conversation, { person: me.person, nick: me.nick })) await announceMembers(ctx, conversation);
  else ctx.nsp.to(personRoom(me.person)).emit('conversation', infoOf(conversation, [me]));
  return { room, kind: 'support' as const };
}
