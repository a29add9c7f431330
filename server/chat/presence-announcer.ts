import { inTurns } from '../lib/in-turns.js';
import type { Presence } from '../protocol/events.js';
import {
  PRESENCE_COALESCE_ABOVE,
  PRESENCE_DELIVERIES_PER_SECOND,
  PRESENCE_PROCESS_DELIVERIES_PER_SECOND,
} from '../protocol/limits.js';
import { type ChatNamespace, type ChatSocket, audienceOf, roomKey } from './chat-socket.js';
import { PresenceDiff } from './presence-diff.js';

/** One change of a room's members, as the single `presence` event carries it. */
export type MemberChange = Pick<Presence, 'joined' | 'left' | 'renamed'>;

/** Deliveries (members reached on this process) in one event-loop turn of an announcement to many rooms. */
export const PRESENCE_DELIVERIES_PER_TURN = 250;

/** How often a large room hears about its members at most. */
export const PRESENCE_BATCH_INTERVAL_MS = 1000;

export interface AnnouncerSettings {
  /** Rooms with more members are always batched; default PRESENCE_COALESCE_ABOVE. */
  coalesceAbove?: number | undefined;
  /** Deliveries a room may cause in a second before it is batched too; default PRESENCE_DELIVERIES_PER_SECOND. */
  deliveriesPerSecond?: number | undefined;
  /** Deliveries per event-loop turn of an announcement to many rooms; default PRESENCE_DELIVERIES_PER_TURN. */
  deliveriesPerTurn?: number | undefined;
  /** Deliveries all rooms together may cause in a second; default PRESENCE_PROCESS_DELIVERIES_PER_SECOND. */
  processDeliveriesPerSecond?: number | undefined;
}

interface PendingBatch {
  diff: PresenceDiff;
  count: number;
}

/**
 * Every `presence` of /chat goes out here. A quiet room of up to `coalesceAbove` members gets one event per
 * change, as it always has. In a larger room each change would reach every member, so n joins cost n²
 * deliveries (1,000 joins froze the loop for seconds): there the changes are collected and sent as one
 * `presence:batch` a second, the net change and the count. A smaller room whose changes come in a burst (a
 * hundred people arriving for an event) is batched the same way once its deliveries in the current second pass
 * `deliveriesPerSecond`. A room stays batched until its pending batch has gone out, so no change overtakes an
 * earlier one.
 *
 * All rooms together are held to `processDeliveriesPerSecond`: when thousands of people arrive at once (an event
 * starts, a node restarts and its clients come back), every room is busy but none is over its own limit, and
 * presence alone would take most of a core. Past that budget every change is batched, and each second's flush
 * sends the oldest pending batches that fit in the budget (at least one); the others wait and keep collecting, so
 * a room hears of its members less often, never out of order, and nothing is lost.
 */
export class PresenceAnnouncer {
  private readonly pending = new Map<string, PendingBatch>();
  /** Deliveries of single `presence` events per room since the last flush. */
  private readonly spent = new Map<string, number>();
  /** Deliveries of every room since the last flush, batches included. */
  private spentByProcess = 0;
  private readonly coalesceAbove: number;
  private readonly deliveriesPerSecond: number;
  private readonly deliveriesPerTurn: number;
  private readonly processDeliveriesPerSecond: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly nsp: ChatNamespace,
    settings: AnnouncerSettings = {},
  ) {
    this.coalesceAbove = settings.coalesceAbove ?? PRESENCE_COALESCE_ABOVE;
    this.deliveriesPerSecond = settings.deliveriesPerSecond ?? PRESENCE_DELIVERIES_PER_SECOND;
    this.deliveriesPerTurn = settings.deliveriesPerTurn ?? PRESENCE_DELIVERIES_PER_TURN;
    this.processDeliveriesPerSecond = settings.processDeliveriesPerSecond ?? PRESENCE_PROCESS_DELIVERIES_PER_SECOND;
    this.timer = setInterval(() => void this.flush(), PRESENCE_BATCH_INTERVAL_MS);
    this.timer.unref();
  }

  /** `except`: the socket whose own join this is (it learns the members from its reply). */
  announce(room: string, change: MemberChange, count: number, except?: ChatSocket): void {
    let batch = this.pending.get(room);
    if (!batch && this.mayAnnounceSingly(room, count)) {
      (except ? except.to(audienceOf(room)) : this.nsp.to(audienceOf(room))).emit('presence', {
        room,
        ...change,
        count,
      });
      return;
    }
    if (!batch) this.pending.set(room, (batch = { diff: new PresenceDiff(), count }));
    batch.count = count;
    if (change.joined !== undefined) batch.diff.join(change.joined);
    if (change.left !== undefined) batch.diff.leave(change.left);
    if (change.renamed) batch.diff.rename(change.renamed.from, change.renamed.to);
  }

  /** Whether a change reaching `count` members may go out as its own event; if so, it is counted. */
  private mayAnnounceSingly(room: string, count: number): boolean {
    if (count > this.coalesceAbove) return false;
    const spent = (this.spent.get(room) ?? 0) + count;
    if (spent > this.deliveriesPerSecond || this.spentByProcess + count > this.processDeliveriesPerSecond) return false;
    this.spent.set(room, spent);
    this.spentByProcess += count;
    return true;
  }

  private membersHere(room: string): number {
    return this.nsp.adapter.rooms.get(roomKey(room))?.size ?? 0;
  }

  /**
   * Runs `task` (which announces something) for each room, about `deliveriesPerTurn` deliveries per event-loop
   * turn, so a rename or a departure in many large rooms does not hold up every other client.
   */
  eachRoom(rooms: Iterable<string>, task: (room: string) => Promise<void> | void): Promise<void> {
    return inTurns(rooms, this.deliveriesPerTurn, (room) => this.membersHere(room), task);
  }

  /**
   * Sends the pending batches that fit in the process's budget for the coming second, oldest first (at least one),
   * in turns like `eachRoom` (a batch to each of 50 rooms of 100 is 5,000 deliveries); one that nets out to nothing
   * is dropped. A room leaves `pending` only as its batch goes out, so a change made meanwhile joins the batch
   * that has not been sent yet; one that did not fit goes out at a later flush.
   */
  flush(): Promise<void> {
    this.spent.clear();
    this.spentByProcess = 0;
    const due: string[] = [];
    for (const room of this.pending.keys()) {
      const members = this.membersHere(room);
      if (due.length > 0 && this.spentByProcess + members > this.processDeliveriesPerSecond) break;
      this.spentByProcess += members;
      due.push(room);
    }
    return this.eachRoom(due, (room) => {
      const batch = this.pending.get(room);
      if (!batch) return;
      this.pending.delete(room);
      const { diff, count } = batch;
      if (!diff.empty) this.nsp.to(audienceOf(room)).emit('presence:batch', { room, ...diff.changes(), count });
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.pending.clear();
    this.spent.clear();
    this.spentByProcess = 0;
  }
}
