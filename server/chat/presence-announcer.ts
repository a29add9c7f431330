import { inTurns } from '../lib/in-turns.js';
import type { Presence } from '../protocol/events.js';
import { type ChatNamespace, type ChatSocket, roomKey } from './context.js';
import { PresenceDiff } from './presence-diff.js';

/** One change of a room's members, as the single `presence` event carries it. */
export type MemberChange = Pick<Presence, 'joined' | 'left' | 'renamed'>;

/** Deliveries (members reached on this process) in one event-loop turn of an announcement to many rooms. */
export const PRESENCE_DELIVERIES_PER_TURN = 250;

/** How often a large room hears about its members at most. */
export const PRESENCE_BATCH_INTERVAL_MS = 1000;

interface PendingBatch {
  diff: PresenceDiff;
  count: number;
}

/**
 * Every `presence` of /chat goes out here. A room of up to `coalesceAbove` members gets one event per change, as
 * it always has. In a larger room each change would reach every member, so n joins cost n² deliveries (1,000
 * joins froze the loop for seconds): there the changes are collected and sent as one `presence:batch` a second,
 * the net change and the count. A room stays batched until its pending batch has gone out, so no change
 * overtakes an earlier one.
 */
export class PresenceAnnouncer {
  private readonly pending = new Map<string, PendingBatch>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly nsp: ChatNamespace,
    readonly coalesceAbove: number,
    private readonly deliveriesPerTurn = PRESENCE_DELIVERIES_PER_TURN,
    intervalMs = PRESENCE_BATCH_INTERVAL_MS,
  ) {
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  /** `except`: the socket whose own join this is (it learns the members from its reply). */
  announce(room: string, change: MemberChange, count: number, except?: ChatSocket): void {
    let batch = this.pending.get(room);
    if (!batch && count <= this.coalesceAbove) {
      (except ? except.to(roomKey(room)) : this.nsp.to(roomKey(room))).emit('presence', { room, ...change, count });
      return;
    }
    if (!batch) this.pending.set(room, (batch = { diff: new PresenceDiff(), count }));
    batch.count = count;
    if (change.joined !== undefined) batch.diff.join(change.joined);
    if (change.left !== undefined) batch.diff.leave(change.left);
    if (change.renamed) batch.diff.rename(change.renamed.from, change.renamed.to);
  }

  /**
   * Runs `task` (which announces something) for each room, about `deliveriesPerTurn` deliveries per event-loop
   * turn, so a rename or a departure in many large rooms does not hold up every other client.
   */
  eachRoom(rooms: Iterable<string>, task: (room: string) => Promise<void>): Promise<void> {
    const members = (room: string) => this.nsp.adapter.rooms.get(roomKey(room))?.size ?? 0;
    return inTurns(rooms, this.deliveriesPerTurn, members, task);
  }

  /** Sends every pending batch; one that nets out to nothing is dropped. */
  flush(): void {
    for (const [room, { diff, count }] of this.pending) {
      if (!diff.empty) this.nsp.to(roomKey(room)).emit('presence:batch', { room, ...diff.changes(), count });
    }
    this.pending.clear();
  }

  stop(): void {
    clearInterval(this.timer);
    this.pending.clear();
  }
}
