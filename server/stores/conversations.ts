import type { AuditRecord } from './audit.js';
import type { ConversationKind, Message } from '../protocol/events.js';

/**
 * A private conversation: a direct message between two people, a private room, or a visitor's support
 * conversation with the site's team. Its `room` is a room name like any other (history, edits, typing and
 * presence work on it unchanged); what makes it private is that only its members may see it (chat/conversations.ts).
 */
export interface Conversation {
  room: string;
  kind: ConversationKind;
  /** As its creator wrote it (private rooms), the visitor's nick (support), '' for a direct message. */
  title: string;
  /** The person who created a private room, and so may invite and remove; none for the other kinds. */
  owner?: string;
  /** Ms since the epoch. */
  createdAt: number;
}

/**
 * A member is a person (chat/person.ts): a signed user or a guest session, named by a key that is the same on every
 * socket, tab, device and node of that person. `nick` is the name the person had when last seen by the store,
 * shown in `members` lists.
 */
export interface Member {
  person: string;
  nick: string;
  /** True when the membership comes from the `rooms` claim of the person's token (and goes with it). */
  granted?: boolean;
}

/** A conversation as `conversations:list` shows it. */
export interface ConversationSummary extends Conversation {
  members: Member[];
  /** The latest message of the room, deleted or not; null when there is none. */
  lastMessage: Message | null;
}

/** What `addMember` did. */
export type AddResult = 'added' | 'already' | 'full';

/**
 * Conversations and their members, durable, in the database of the history (so every node of a cluster reads
 * the same, and a signed user's conversations outlive restarts). Support conversations have one member, the
 * visitor; the team (every moderator) may see all of them by rule, not by rows.
 */
export interface ConversationStore {
  /**
   * Stores the conversation with its first members, unless one with this room exists: then nothing changes and
   * the stored one is returned with `created: false` (so a direct message or support conversation opened twice at
   * once, on any nodes, is one conversation).
   */
  create(conversation: Conversation, members: Member[]): Promise<{ conversation: Conversation; created: boolean }>;
  find(room: string): Promise<Conversation | undefined>;
  members(room: string): Promise<Member[]>;
  isMember(room: string, person: string): Promise<boolean>;
  /**
   * Adds the person (or updates its nick and `granted`), unless that would give it more than `maxPerPerson`
   * conversations: then `'full'` and nothing changes. The count and the insert are one step.
   */
  addMember(room: string, member: Member, maxPerPerson: number): Promise<AddResult>;
  /**
   * False when the person was not a member. `audit` (a moderator's kick) is stored in the same transaction, and
   * only when this call removed the member.
   */
  removeMember(room: string, person: string, audit?: AuditRecord): Promise<boolean>;
  /** The rooms of every conversation the person is a member of (at most `limit`). */
  roomsOf(person: string, limit: number): Promise<string[]>;
  /** The rooms the person is a member of through its token's `rooms` claim. */
  grantedRoomsOf(person: string): Promise<string[]>;
  /**
   * The person's conversations, and every support conversation when `withSupport` (a moderator), most recent
   * activity (last message, else creation) first, at most `limit`.
   */
  list(person: string, withSupport: boolean, limit: number): Promise<ConversationSummary[]>;
  /** The names among `rooms` that are conversations (for a public-rooms-only `rooms:list`). */
  conversationsAmong(rooms: string[]): Promise<Set<string>>;
  /** Records the person's new nick in its memberships (shown in `members`). */
  renamePerson(person: string, nick: string): Promise<void>;
  /** Ends every membership of a person that is gone for good (a guest whose session ended); returns the rooms. */
  forgetPerson(person: string): Promise<string[]>;
  close(): Promise<void>;
}
