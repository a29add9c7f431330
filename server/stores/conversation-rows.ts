import type { ConversationKind } from '../protocol/events.js';
import type { Conversation, ConversationSummary, Member } from './conversations.js';
import { type MessageRow, toMessage } from './message-row.js';

/** A row of `conversations`; `pg` gives the bigint `created_at` as a string. */
export interface ConversationRow {
  room: string;
  kind: ConversationKind;
  title: string;
  owner: string | null;
  created_at: number | string;
}

/** A row of `conversation_members`; `granted` is 0/1 in SQLite. */
export interface MemberRow {
  room: string;
  person: string;
  nick: string;
  granted: number | boolean;
}

/** A conversation of `list`'s page, with the id of its room's latest message (null when there is none). */
export interface PageRow extends ConversationRow {
  last_id: number | string | null;
}

export function toConversation(row: ConversationRow): Conversation {
  const conversation: Conversation = {
    room: row.room,
    kind: row.kind,
    title: row.title,
    createdAt: Number(row.created_at),
  };
  if (row.owner !== null) conversation.owner = row.owner;
  return conversation;
}

export function toMember(row: MemberRow): Member {
  return { person: row.person, nick: row.nick, granted: Boolean(row.granted) };
}

/**
 * `list`'s answer from its three reads: the page (in its order), the members of those rooms (in the order the
 * query gave them) and the latest messages (by id).
 */
export function toSummaries(page: PageRow[], members: MemberRow[], messages: MessageRow[]): ConversationSummary[] {
  const membersByRoom = new Map<string, Member[]>();
  for (const row of members) {
    const list = membersByRoom.get(row.room) ?? [];
    list.push(toMember(row));
    membersByRoom.set(row.room, list);
  }
  const messageById = new Map(messages.map((row) => [Number(row.id), toMessage(row)]));
  return page.map((row) => ({
    ...toConversation(row),
    members: membersByRoom.get(row.room) ?? [],
    lastMessage: row.last_id === null ? null : (messageById.get(Number(row.last_id)) ?? null),
  }));
}
