import type { Bus } from '../lib/bus.js';
import type { AuditRecord } from './audit.js';
import type { Ban, BanStore } from './bans.js';

/** The bus topic on which a node says it changed a ban, so every node's cache forgets it. */
const BAN_CHANGED = 'ban:changed';

interface BanChange {
  room: string;
  nickKey: string;
}

/** How long a room's looked-up bans are reused: the bound on staleness if an invalidation is lost. */
export const BAN_CACHE_MAX_AGE_MS = 5000;
/** Rooms kept at most; past it the cache starts over (a burst of many rooms cannot grow it without bound). */
const MAX_ROOMS = 10_000;

interface RoomBans {
  /** The room's bans in force when fetched, by nick key (usually none). */
  byNickKey: Map<string, Ban>;
  fetchedAt: number;
}

/**
 * A BanStore in front of the database, so `room:join` and `message:send` do not cost a query each. It keeps each
 * room's bans (a short list, usually empty), not one entry per nick: 18,000 people joining 180 rooms cost 180
 * queries and 180 entries, not 18,000 of each. A ban or unban through this node forgets the room at once and
 * tells every node over the bus, which forget theirs; a lost notice (Redis pub/sub is at most once) is bounded by
 * BAN_CACHE_MAX_AGE_MS. A lookup that was on its way when any room was forgotten answers once and is not kept.
 */
export class CachedBans implements BanStore {
  private readonly rooms = new Map<string, RoomBans>();
  /** Counts invalidations, so a fetch that one overtook can tell (it is then used once, not kept). */
  private invalidations = 0;

  constructor(
    private readonly store: BanStore,
    private readonly bus: Bus,
    private readonly maxAgeMs = BAN_CACHE_MAX_AGE_MS,
  ) {
    bus.subscribe<BanChange>(BAN_CHANGED, ({ room }) => this.forget(room));
  }

  async ban(ban: Ban, audit?: AuditRecord): Promise<void> {
    await this.store.ban(ban, audit);
    await this.changed(ban.room, ban.nickKey);
  }

  async unban(room: string, nickKey: string, audit?: AuditRecord): Promise<boolean> {
    const existed = await this.store.unban(room, nickKey, audit);
    await this.changed(room, nickKey);
    return existed;
  }

  async active(room: string, nickKey: string, now: number): Promise<Ban | undefined> {
    let entry = this.rooms.get(room);
    if (!entry || Date.now() - entry.fetchedAt >= this.maxAgeMs) entry = await this.fetch(room, now);
    // Cached with its `until`, so a ban that ends while cached ends on time.
    const ban = entry.byNickKey.get(nickKey);
    return ban && (ban.until === null || ban.until > now) ? ban : undefined;
  }

  /** Not cached: operators list bans rarely, and should see every node's latest. */
  list(room: string, now: number): Promise<Ban[]> {
    return this.store.list(room, now);
  }

  private async fetch(room: string, now: number): Promise<RoomBans> {
    const invalidations = this.invalidations;
    const fetchedAt = Date.now();
    const bans = await this.store.list(room, now);
    const entry = { byNickKey: new Map(bans.map((ban) => [ban.nickKey, ban])), fetchedAt };
    if (this.invalidations === invalidations) {
      if (this.rooms.size >= MAX_ROOMS) this.rooms.clear();
      this.rooms.set(room, entry);
    }
    return entry;
  }

  /** A node (this one included) changed a ban of this room. */
  private forget(room: string): void {
    this.rooms.delete(room);
    this.invalidations++;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async changed(room: string, nickKey: string): Promise<void> {
    this.forget(room); // at once, whatever the bus does
    await this.bus.publish<BanChange>(BAN_CHANGED, { room, nickKey });
  }
}
