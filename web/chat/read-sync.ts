import type { ReadState } from '../../server/protocol/events.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import { request } from '../connection/request.js';

/**
 * At most one `room:read` per room this often: reading while scrolling moves the marker many times a second,
 * and every send wakes each other tab and device of the person (the `read` event).
 */
export const READ_THROTTLE_MS = 500;

export interface ReadSyncDeps {
  socket(): ChatSocket | undefined;
  /** The server's state after a read: the same as the other tabs get with `read`. */
  applied(state: ReadState): void;
}

/**
 * Sends the read marker to the server (`room:read`): the first read of a room at once, later ones at most once
 * per READ_THROTTLE_MS with the highest id read meanwhile, and never an id at or below one already sent (the
 * server would keep its marker, but the other tabs would be woken for nothing).
 */
export class ReadSync {
  /** Highest id sent (or being sent) per room. */
  private readonly sent = new Map<string, number>();
  /** Highest id read while the room's throttle was closed. */
  private readonly waiting = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: ReadSyncDeps) {}

  /** The person has read `room` up to `id`. */
  read(room: string, id: number): void {
    if (id <= Math.max(this.sent.get(room) ?? 0, this.waiting.get(room) ?? 0)) return;
    if (this.timers.has(room)) {
      this.waiting.set(room, id);
      return;
    }
    this.send(room, id);
  }

  /** The highest id sent for a room (0: none), so a caller can tell what the server has been told. */
  sentFor(room: string): number {
    return this.sent.get(room) ?? 0;
  }

  /** The page is going away: what waits for the throttle goes out now, or a read just before closing is lost. */
  flush(): void {
    for (const [room, id] of [...this.waiting]) {
      clearTimeout(this.timers.get(room));
      this.timers.delete(room);
      this.waiting.delete(room);
      if (id > (this.sent.get(room) ?? 0)) this.send(room, id);
    }
  }

  /** The element left the page: nothing is sent after it. */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.waiting.clear();
  }

  private send(room: string, id: number): void {
    this.sent.set(room, id);
    this.timers.set(
      room,
      setTimeout(() => this.reopen(room), READ_THROTTLE_MS),
    );
    void request(this.deps.socket(), 'room:read', { room, id }).then((res) => {
      if (res?.ok)
        this.deps.applied({ room: res.room, readId: res.readId, unread: res.unread, mentions: res.mentions });
    });
  }

  /** The throttle of a room opens again: what was read meanwhile goes out now. */
  private reopen(room: string): void {
    this.timers.delete(room);
    const id = this.waiting.get(room);
    this.waiting.delete(room);
    if (id !== undefined && id > (this.sent.get(room) ?? 0)) this.send(room, id);
  }
}
