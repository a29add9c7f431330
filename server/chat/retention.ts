import type { Bus } from '../lib/bus.js';
import type { Logger } from '../lib/log.js';
import type { AuditActor } from '../stores/audit.js';
import { type RetentionStore, retentionTarget } from '../stores/retention.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The bus topic on which a node says it changed a room's override, so every node's map follows at once. */
const RETENTION_CHANGED = 'retention:changed';

interface RetentionChange {
  room: string;
  /** null: the override was removed. */
  days: number | null;
}

/** A room's retention as `GET /api/admin/rooms/:room/retention` shows it. */
export interface RoomRetentionState {
  room: string;
  /** The days in effect (0 = forever): the room's override, else RETENTION_DAYS. */
  days: number;
  override: boolean;
}

/**
 * How long each room's messages are kept: RETENTION_DAYS, unless the room has an override. The overrides are a
 * small map in memory (loaded at start), so every history read can ask for its cutoff without a query. A change
 * through any node reaches every node's map over the bus; every node also re-reads the table at each sweep
 * interval (`reload`), which bounds how long a lost notice (Redis pub/sub is at most once) can leave it stale.
 */
export class RoomRetention {
  private overrides = new Map<string, number>();
  /** Counts the changes applied, so a reload that read the table before one of them does not undo it. */
  private changes = 0;
  private readonly loaded: Promise<void>;

  constructor(
    private readonly store: RetentionStore,
    private readonly bus: Bus,
    readonly defaultDays: number,
    private readonly log: Logger,
  ) {
    bus.subscribe<RetentionChange>(RETENTION_CHANGED, ({ room, days }) => this.apply(room, days));
    this.loaded = this.reload();
  }

  /** Re-reads every override; a failure keeps the map it had (and is logged). */
  async reload(): Promise<void> {
    const changesBefore = this.changes;
    try {
      const overrides = await this.store.overrides();
      if (this.changes === changesBefore) this.overrides = overrides;
    } catch (err) {
      this.log.warn({ err }, 'reading the retention overrides failed');
    }
  }

  /** Resolves once the overrides of the start are loaded (or failed to load). */
  ready(): Promise<void> {
    return this.loaded;
  }

  /** The days in effect for the room (0 = forever). */
  async days(room: string): Promise<number> {
    await this.loaded;
    return this.overrides.get(room) ?? this.defaultDays;
  }

  async state(room: string): Promise<RoomRetentionState> {
    const days = await this.days(room);
    return { room, days, override: this.overrides.has(room) };
  }

  /** The oldest `ts` the room still shows (ms since the epoch); 0 when it keeps everything. */
  async since(room: string, now = Date.now()): Promise<number> {
    return cutoffOf(await this.days(room), now);
  }

  /** Every room with an override and its days, for the sweep. */
  overridden(): ReadonlyMap<string, number> {
    return this.overrides;
  }

  /** Sets (or with null removes) the room's override, with its audit entry in the same transaction. */
  async set(room: string, days: number | null, actor: AuditActor): Promise<void> {
    const audit = { actor, action: 'set-retention' as const, room, target: retentionTarget(days), reason: null };
    await this.store.setOverride(room, days, audit);
    this.apply(room, days); // at once, whatever the bus does
    await this.bus.publish<RetentionChange>(RETENTION_CHANGED, { room, days });
  }

  private apply(room: string, days: number | null): void {
    const next = new Map(this.overrides);
    if (days === null) next.delete(room);
    else next.set(room, days);
    this.overrides = next;
    this.changes++;
  }
}

/** The cutoff of a given number of days before `now`; 0 days keeps everything (cutoff 0). */
export const cutoffOf = (days: number, now: number): number => (days === 0 ? 0 : now - days * DAY_MS);
