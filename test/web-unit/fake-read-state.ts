import type { Message, ReadState, UnreadCounts } from '../../server/protocol/events.js';
import { mentionsNick } from '../../server/protocol/mentions.js';

/**
 * The read markers of the fake's one person (docs/protocol.md, "Read state"): counts are computed from the
 * stored messages when asked, as the server does, and the marker only moves forward. A room with no marker yet
 * reads from 0 (a conversation); `start` puts it at the room's end (a first `room:join`).
 */
export class FakeReadState {
  private readonly markers = new Map<string, number>();

  constructor(private readonly person: { nick(): string | undefined; messagesOf(room: string): readonly Message[] }) {}

  has(room: string): boolean {
    return this.markers.has(room);
  }

  /** A first join: what was said before counts as read. */
  start(room: string): void {
    if (!this.markers.has(room)) this.markers.set(room, this.person.messagesOf(room).at(-1)?.id ?? 0);
  }

  /** Moves the marker to `id` unless it is there or further already; the state after. */
  read(room: string, id: number): ReadState {
    if (id > (this.markers.get(room) ?? 0)) this.markers.set(room, id);
    return this.state(room);
  }

  state(room: string): ReadState {
    return { room, readId: this.markers.get(room) ?? 0, ...this.counts(room) };
  }

  counts(room: string): UnreadCounts {
    const nick = this.person.nick();
    const readId = this.markers.get(room) ?? 0;
    const unread = this.person.messagesOf(room).filter((m) => m.id > readId && m.nick !== nick && !m.deleted);
    const mentions = unread.filter((m) => nick !== undefined && mentionsNick(m.text, nick)).length;
    return { unread: unread.length, mentions };
  }
}
