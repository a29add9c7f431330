/**
 * Who reads: the person whose read state it is, and how its own messages and its mentions are recognised.
 * `author` is the person's author id (chat/author.ts: `sub:<sub>` or `guest:<hash>`); `nick` its nick now.
 */
export interface Reader {
  person: string;
  author: string;
  nick: string;
}

/** A person's read state in one room, with the counts it implies now. */
export interface RoomReadState {
  room: string;
  /** The last message the person has read (0: none); only ever moves forward. */
  readId: number;
  /** The room's messages after `readId` that are neither the person's own nor deleted. */
  unread: number;
  /** Those of them that mention the person's nick (protocol/mentions.ts). */
  mentions: number;
}

/**
 * Read markers per person and room, durable in the database of the history (a signed user's survive restarts and a
 * node's death; a guest's are forgotten with its session). Counts are computed from the messages, never stored,
 * so a deleted message lowers them and an edit does not change the unread count.
 */
export interface ReadStateStore {
  /**
   * The person sees the room for the first time (a join, a new conversation): its marker starts at the room's
   * latest message, so what was said before counts as read. Nothing changes when it has a marker there.
   */
  begin(person: string, room: string): Promise<void>;
  /**
   * Moves the marker to `id` when that is ahead of it (an older id changes nothing), and returns the state after;
   * undefined when `id` is not a message of the room. The move is one atomic step (two tabs reading at once on two
   * nodes leave the higher id).
   */
  read(reader: Reader, room: string, id: number): Promise<RoomReadState | undefined>;
  /** The states of these rooms, in their order; a room without a marker has readId 0 (all its messages count). */
  states(reader: Reader, rooms: string[]): Promise<RoomReadState[]>;
  /** Drops every marker of a person that is gone for good (a guest whose session ended). */
  forgetPerson(person: string): Promise<void>;
  close(): Promise<void>;
}
