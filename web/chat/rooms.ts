import type { ReactiveControllerHost } from 'lit';
import type { Message, MessageDeleted, MessageUpdated, Presence, PresenceBatch } from '../../server/protocol/events.js';
import { emit } from '../events.js';
import { mentionsNick } from '../../server/protocol/mentions.js';
import { mentions } from './rich-text.js';
import { RoomState } from './room-state.js';
import type { Session } from './session.js';

/**
 * The rooms this client has joined, the one in view and what is unread. Plain state: it talks to no server.
 * The list of names is kept in the session; changes are announced to the host page as events.
 */
export class Rooms {
  readonly byName = new Map<string, RoomState>();
  active: string | undefined;
  /**
   * The "New messages" line: the first message after the read marker when the active room was opened, and how
   * many were unread then. It stays until the room is left or opened again, however much is read meanwhile.
   */
  marker: { id: number; count: number } | undefined;
  /** The active room was opened before its read state arrived: the line is placed when the join replies. */
  private markerPending = false;

  /**
   * `remembers`: false in a support widget, which shows only its one conversation: it must not change the rooms
   * and the last room that the full chat of the same site remembers.
   */
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly session: Session,
    private readonly remembers: () => boolean = () => true,
  ) {}

  get activeRoom(): RoomState | undefined {
    return this.active === undefined ? undefined : this.byName.get(this.active);
  }

  /** The rooms to be in when the element connects: the wanted first one, then those of the session it allows. */
  open(first: string, allows: (room: string) => boolean): void {
    for (const name of new Set([first, ...this.session.rooms.filter(allows)]))
      this.byName.set(name, new RoomState(name));
    this.active = first;
    this.markerPending = true;
    this.session.update({ lastRoom: first });
  }

  add(room: RoomState): void {
    this.byName.set(room.name, room);
    this.remember();
  }

  forget(name: string): void {
    this.byName.delete(name);
    this.remember();
    if (this.active === name) this.select([...this.byName.keys()][0]);
  }

  select(name: string | undefined): void {
    if (name === this.active && name !== undefined) return;
    this.active = name;
    if (name !== undefined && this.remembers()) this.session.update({ lastRoom: name });
    this.placeMarker();
    emit(this.host, 'chat-room-change', { room: name ?? '' });
  }

  /** Opening a room puts the "New messages" line above its first unread message (reading is `readUpTo`'s job). */
  placeMarker(): void {
    const room = this.activeRoom;
    this.markerPending = room !== undefined && !room.hasReadState;
    const first = room?.messagesBetween(room.readId, Infinity).find((m) => this.counts(m));
    this.marker = room && first ? { id: first.id, count: Math.max(room.unread, 1) } : undefined;
    this.host.requestUpdate();
  }

  /** The read state of a room arrived (its join replied): the line of a room opened before that goes in now. */
  readStateArrived(room: RoomState): void {
    if (this.markerPending && room.name === this.active) this.placeMarker();
  }

  /**
   * This page read `name` up to `id` (seen in a focused page): the marker moves and the messages read stop
   * counting, before the server confirms. False when `id` is not past the marker (nothing to send).
   */
  readUpTo(name: string, id: number): boolean {
    const room = this.byName.get(name);
    if (!room || id <= room.readId) return false;
    const read = room.messagesBetween(room.readId, id).filter((m) => this.counts(m));
    room.readId = id;
    room.unread = Math.max(0, room.unread - read.length);
    room.mentions = Math.max(0, room.mentions - read.filter((m) => this.mentionsMeByRule(m)).length);
    room.touch();
    this.host.requestUpdate();
    return true;
  }

  /** A message from a broadcast or from our own send's ack; false when it was shown already (same id). */
  receive(message: Message): boolean {
    const room = this.byName.get(message.room);
    if (!room) return false;
    const [added] = room.addMessages([message]);
    if (!added) return false;
    if (room.typing.delete(message.nick)) room.touch();
    const own = message.nick === this.session.nick;
    this.countUnread(room, [message]);
    emit(this.host, 'chat-message-received', { message, own });
    this.host.requestUpdate();
    return true;
  }

  /**
   * Messages received after the server's last read state count up from it (docs/protocol.md: the server never
   * sends new counts for a new message). Seen or not: reading is `readUpTo`, once they were visible.
   */
  countUnread(room: RoomState, messages: readonly Message[]): void {
    const counted = messages.filter((m) => m.id > room.readId && this.counts(m));
    if (counted.length === 0) return;
    room.unread += counted.length;
    room.mentions += counted.filter((m) => this.mentionsMeByRule(m)).length;
    room.touch();
  }

  /** Whether a message counts as unread at all: someone else's, not deleted. */
  private counts(message: Message): boolean {
    return message.nick !== this.session.nick && !message.deleted;
  }

  /** Someone else's message with `@` + your current nick (any case), as rich text highlights it. */
  mentionsMe(message: Message): boolean {
    const nick = this.session.nick;
    return nick !== undefined && message.nick !== nick && !message.deleted && mentions(message, nick);
  }

  /** The server's mention rule (server/protocol/mentions.ts), for counts that must agree with the server's. */
  mentionsMeByRule(message: Message): boolean {
    const nick = this.session.nick;
    return nick !== undefined && this.counts(message) && mentionsNick(message.text, nick);
  }

  applyUpdate(update: MessageUpdated): void {
    if (this.byName.get(update.room)?.applyUpdate(update)) this.host.requestUpdate();
  }

  /** A deleted unread message stops counting, as the server's count does. */
  applyDelete(deletion: MessageDeleted): void {
    const room = this.byName.get(deletion.room);
    const before = room?.message(deletion.id);
    if (!room?.applyDelete(deletion)) return;
    if (before && before.id > room.readId && this.counts(before)) {
      room.unread = Math.max(0, room.unread - 1);
      if (this.mentionsMeByRule(before)) room.mentions = Math.max(0, room.mentions - 1);
    }
    this.host.requestUpdate();
  }

  applyPresence(p: Presence): void {
    this.byName.get(p.room)?.applyPresence(p, this.session.nick);
    this.host.requestUpdate();
  }

  applyPresenceBatch(batch: PresenceBatch): void {
    this.byName.get(batch.room)?.applyPresenceBatch(batch, this.session.nick);
    this.host.requestUpdate();
  }

  /** Typing notices do not survive a lost connection. */
  clearTyping(): void {
    for (const room of this.byName.values()) {
      room.typing.clear();
      room.touch();
    }
  }

  totalUnread(): number {
    let n = 0;
    for (const room of this.byName.values()) n += room.unread;
    return n;
  }

  totalMentions(): number {
    let n = 0;
    for (const room of this.byName.values()) n += room.mentions;
    return n;
  }

  /** Stores the joined rooms' names (a no-op when they are what was stored). */
  remember(): void {
    if (this.remembers()) this.session.update({ rooms: [...this.byName.keys()] });
  }
}
