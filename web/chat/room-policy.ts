import type { RoomSummary } from '../../server/protocol/events.js';

/**
 * Which rooms a `<chat-app>` may show and join, from its `lock-room`, `room` and `rooms` attributes: a support
 * widget locked to one room, a per-article chat, or a short list of rooms. The server does not know about it:
 * it shapes this element's UI, it is not access control.
 * @example new RoomPolicy({ lock: true, room: 'support', rooms: '' }).allows('lobby') // false
 */
export class RoomPolicy {
  /** The rooms allowed, in the order given; empty means any room. */
  readonly allowed: readonly string[];
  readonly locked: boolean;

  constructor(options: { lock: boolean; room: string; rooms: string }) {
    const listed = options.rooms
      .split(',')
      .map((r) => r.trim().replace(/^#/, ''))
      .filter(Boolean);
    this.locked = options.lock && options.room !== '';
    this.allowed = this.locked ? [options.room] : [...new Set(listed)];
  }

  allows(room: string): boolean {
    return this.allowed.length === 0 || this.allowed.includes(room);
  }

  /** Any name may be typed into the join field only when no list limits the rooms. */
  get freeJoin(): boolean {
    return this.allowed.length === 0;
  }

  /** The room to open when nothing else is asked for (or all else was refused). */
  fallback(preferred: string): string {
    return this.allows(preferred) ? preferred : (this.allowed[0] ?? preferred);
  }

  /** Other rooms to offer: the server's list, filtered; with a list, every listed room, busy or not. */
  offered(others: readonly RoomSummary[], joined: ReadonlySet<string>): RoomSummary[] {
    const open = others.filter((r) => !joined.has(r.name) && this.allows(r.name));
    if (this.allowed.length === 0) return open;
    const members = new Map(open.map((r) => [r.name, r.members]));
    return this.allowed.filter((r) => !joined.has(r)).map((name) => ({ name, members: members.get(name) ?? 0 }));
  }
}
