import { TYPING_TTL_MS } from '../../server/protocol/limits.js';
import type { ChatSocket } from '../connection/chat-connection.js';
import type { RoomState } from './room-state.js';

/**
 * Both directions of the typing indicator. Outgoing notices are throttled to one per half TTL while the
 * user types; incoming ones expire after TYPING_TTL_MS unless renewed, so the indicator can never stick.
 */
export class TypingTracker {
  private readonly sentAt = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly rooms: () => Iterable<RoomState>,
    private readonly changed: () => void,
  ) {}

  /** The user typed in a room's composer: tells the room, at most once per half TTL (volatile, no ack). */
  typed(socket: ChatSocket | undefined, room: string, now = Date.now()): void {
    if (!socket || now - (this.sentAt.get(room) ?? 0) <= TYPING_TTL_MS / 2) return;
    this.sentAt.set(room, now);
    socket.volatile.emit('typing', { room });
  }

  /** After sending a message the next keystroke announces typing again at once. */
  sent(room: string): void {
    this.sentAt.delete(room);
  }

  received(room: RoomState, nick: string): void {
    room.typing.set(nick, Date.now() + TYPING_TTL_MS);
    room.touch();
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** One timer for the earliest expiry across rooms. */
  private schedule(): void {
    clearTimeout(this.timer);
    let next = Infinity;
    for (const room of this.rooms()) for (const until of room.typing.values()) next = Math.min(next, until);
    if (next === Infinity) return;
    this.timer = setTimeout(
      () => {
        for (const room of this.rooms()) if (room.typing.size !== room.typingNow().length) room.touch();
        this.changed();
        this.schedule();
      },
      Math.max(50, next - Date.now() + 20),
    );
  }
}
