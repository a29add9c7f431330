import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Within this many pixels of an edge counts as being at it. */
const NEAR_EDGE_PX = 48;

/** Where a room's log was while another room was in view, and how many items it had rendered. */
export interface RoomScroll {
  top: number;
  atBottom: boolean;
  window: number;
}

interface Anchor {
  height: number;
  top: number;
  firstKey: string | undefined;
  atBottom: boolean;
  pending: number;
}

/**
 * The scroll position of a message log: remembered per room while you switch rooms, kept at the bottom while
 * you are there (and when you send), and kept still while you read further up, when older items are
 * rendered above or new ones arrive below. The host calls `capture` before an update and `restore` after it.
 */
export class ScrollPosition implements ReactiveController {
  private readonly rooms = new Map<string, RoomScroll>();
  private anchor: Anchor | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly scroller: () => HTMLElement | undefined,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.anchor = undefined;
  }

  atBottom(): boolean {
    const el = this.scroller();
    return !el || el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_EDGE_PX;
  }

  nearTop(): boolean {
    return (this.scroller()?.scrollTop ?? 0) <= NEAR_EDGE_PX * 3;
  }

  /** Remembers where `room` is now (on every scroll, and when another room comes into view). */
  save(room: string, window: number): void {
    const el = this.scroller();
    if (el) this.rooms.set(room, { top: el.scrollTop, atBottom: this.atBottom(), window });
  }

  saved(room: string): RoomScroll | undefined {
    return this.rooms.get(room);
  }

  /** Before an update within the same room: notes what is in view; false when the reader is further up. */
  capture(firstKey: string | undefined, pending: number): boolean {
    const el = this.scroller();
    this.anchor = el
      ? { height: el.scrollHeight, top: el.scrollTop, firstKey, atBottom: this.atBottom(), pending }
      : undefined;
    return this.anchor?.atBottom ?? true;
  }

  /** Before an update that changes the room: the next `restore` goes to that room's saved place. */
  switchRoom(): void {
    this.anchor = undefined;
  }

  /** After an update: back to the room's saved place, or to the bottom, or wherever keeps the view still. */
  restore(room: string, firstKey: string | undefined, pending: number): void {
    const el = this.scroller();
    const before = this.anchor;
    if (!el) return;
    if (!before) {
      const saved = this.rooms.get(room);
      if (!saved || saved.atBottom) this.toBottom();
      else el.scrollTop = saved.top;
    } else if (before.atBottom || pending > before.pending) {
      this.toBottom();
    } else if (firstKey !== before.firstKey) {
      el.scrollTop = before.top + (el.scrollHeight - before.height); // older items went in above: stay put
    }
  }

  toBottom(): void {
    const el = this.scroller();
    if (el) el.scrollTop = el.scrollHeight;
  }
}
