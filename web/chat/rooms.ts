import type { ReactiveControllerHost } from 'lit';
import type { Message, MessageDeleted, MessageUpdated, Presence, PresenceBatch } from '../../server/protocol/events.js';
import { emit } from '../events.js';
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
  /** First unread message of the active room when it was entered, and how many there were. */
  marker: { id: number; count: number } | undefined;

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
    this.markActiveRead();
    emit(this.host, 'chat-room-change', { room: name ?? '' });
  }

  /** Entering a room (or coming back to the tab) reads it: its unread count becomes the marker. */
  markActiveRead(): void {
    const room = this.activeRoom;
    this.marker = room?.firstUnreadId !== undefined ? { id: room.firstUnreadId, count: room.unread } : undefined;
    if (room) {
      room.unread = 0;
      room.mentions = 0;
      room.firstUnreadId = undefined;
      room.touch();
    }
    this.host.requestUpdate();
  }

  /** A message from a broadcast or from our own send's ack; false when it was shown already (same id). */
  receive(message: Message): boolean {
    const room = this.byName.get(message.room);
    if (!room) return false;
    const [added] = room.addMessages([message]);
    if (!added) return false;
    if (room.typing.delete(message.nick)) room.touch();
    const own = message.nick === this.session.nick;
    if (!own) this.countUnread(room, [message]);
    emit(this.host, 'chat-message-received', { message, own });
    this.host.requestUpdate();
    return true;
  }

  /** Messages that arrived outside the view count as unread; those that mention you are counted apart too. */
  countUnread(room: RoomState, messages: readonly Message[]): void {
    const inView = room.name === this.active && document.visibilityState === 'visible';
    const first = messages[0];
    if (!first || inView) return;
    room.unread += messages.length;
    room.mentions += messages.filter((m) => this.mentionsMe(m)).length;
    room.firstUnreadId ??= first.id;
    room.touch();
  }

  /** Someone else's message with `@` + your current nick (any case). */
  mentionsMe(message: Message): boolean {
    const nick = this.session.nick;
    return nick !== undefined && message.nick !== nick && !message.deleted && mentions(message, nick);
  }

  applyUpdate(update: MessageUpdated): void {
    if (this.byName.get(update.room)?.applyUpdate(update)) this.host.requestUpdate();
  }

  applyDelete(deletion: MessageDeleted): void {
    if (this.byName.get(deletion.room)?.applyDelete(deletion)) this.host.requestUpdate();
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
