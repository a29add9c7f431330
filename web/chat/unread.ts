import type { ReadState } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { request } from '../connection/request.js';
import type { Conversations } from './conversations.js';
import { ReadSync } from './read-sync.js';
import type { Rooms } from './rooms.js';

export interface UnreadDeps {
  socket(): ChatSocket | undefined;
  /** Counts changed: the element renders again. */
  changed(): void;
}

/**
 * What the person has read, kept by the server so that it follows them across tabs and devices: the counts of
 * the joined rooms and of the conversations not opened here, the reads seen in this page going out (`ReadSync`,
 * throttled), and the reads of the person's other sockets coming in (`read`).
 */
export class Unread {
  private readonly readSync: ReadSync;

  constructor(
    private readonly joined: Rooms,
    private readonly conversations: Conversations,
    private readonly deps: UnreadDeps,
  ) {
    this.readSync = new ReadSync({ socket: () => deps.socket(), applied: (state) => this.apply(state) });
  }

  /** Unread messages in all rooms and conversations, and how many of them mention you. */
  get totals(): { total: number; mentions: number } {
    const elsewhere = this.conversations.unread();
    return {
      total: this.joined.totalUnread() + elsewhere.total,
      mentions: this.joined.totalMentions() + elsewhere.mentions,
    };
  }

  /**
   * Messages of `room` up to `id` were visible in a focused page: read. The badge drops at once and the server
   * hears of it (throttled), so the person's other tabs and devices drop theirs.
   */
  seen(room: string, id: number): void {
    if (this.joined.readUpTo(room, id)) this.readSync.read(room, id);
  }

  /** "Mark all read": every room and conversation with unread messages is read up to its latest message. */
  markAllRead(): void {
    for (const room of this.joined.byName.values()) if (room.unread > 0) this.seen(room.name, room.lastSeenId);
    for (const c of this.conversations.all()) {
      if (this.joined.byName.has(c.room)) continue;
      const id = this.conversations.readAll(c.room);
      if (id !== undefined) this.readSync.read(c.room, id);
    }
  }

  /** The person's read state of a room, from the server (a `read` event, a `room:read` reply). */
  apply(state: ReadState): void {
    const room = this.joined.byName.get(state.room);
    if (room?.applyRead(state)) this.deps.changed();
    else if (!room) this.conversations.applyRead(state);
  }

  /**
   * `unread:summary` after every (re)connect, for the conversations not opened here (their counts changed in other
   * tabs meanwhile). Not for loaded rooms: their join replies said it already, and a summary computed while a
   * message was being stored would undo the count of a message that has already arrived here.
   */
  async refresh(): Promise<void> {
    const res = await request(this.deps.socket(), 'unread:summary');
    if (!res?.ok) return;
    for (const counts of res.rooms)
      if (!this.joined.byName.has(counts.room)) this.conversations.applyCounts(counts.room, counts);
    this.deps.changed();
  }

  /** The page is going away: a read held back by the throttle goes out now (the socket is still up). */
  flush(): void {
    this.readSync.flush();
  }

  /** The element left the page: nothing is sent after it. */
  stop(): void {
    this.readSync.stop();
  }
}
