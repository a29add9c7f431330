import type { Bus } from '../lib/bus.js';
import type { AuditRecord } from './audit.js';
import type { Ban, BanStore } from './bans.js';

/** The bus topic on which a node says it changed a ban, so every node's cache forgets it. */
const BAN_CHANGED = 'ban:changed';

interface BanChange {
  room: string;
  nickKey: string;
}

/** How long a looked-up ban (or its absence) is reused: the bound on staleness if an invalidation is lost. */
export const BAN_CACHE_MAX_AGE_MS = 5000;
/** Entries kept at most; past it the cache starts over (a burst of many rooms × nicks cannot grow it without bound). */
const MAX_ENTRIES = 50_000;

/**
 * A BanStore in front of a shared one (PostgreSQL), so `room:join` and `message:send` do not cost a query each.
 * A ban or unban through this node forgets its entry at once and tells every node over the bus, which forget
 * theirs; a lost notice (Redis pub/sub is at most once) is bounded by BAN_CACHE_MAX_AGE_MS.
 */
export class CachedBans implements BanStore {
  private readonly entries = new Map<string, { ban: Ban | undefined; fetchedAt: number }>();

  constructor(
    private readonly store: BanStore,
    private readonly bus: Bus,
    private readonly maxAgeMs = BAN_CACHE_MAX_AGE_MS,
  ) {
    bus.subscribe<BanChange>(BAN_CHANGED, ({ room, nickKey }) => this.forget(room, nickKey));
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
    const key = entryKey(room, nickKey);
    let entry = this.entries.get(key);
    if (!entry || Date.now() - entry.fetchedAt >= this.maxAgeMs) {
      // Cached with its `until`, so a ban that ends while cached ends on time.
      entry = { ban: await this.store.active(room, nickKey, now), fetchedAt: Date.now() };
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, entry);
    }
    const { ban } = entry;
    return ban && (ban.until === null || ban.until > now) ? ban : undefined;
  }

  /** Not cached: operators list bans rarely, and should see every node's latest. */
  list(room: string, now: number): Promise<Ban[]> {
    return this.store.list(room, now);
  }

  /** A node (this one included) changed this ban. */
  private forget(room: string, nickKey: string): void {
    this.entries.delete(entryKey(room, nickKey));
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async changed(room: string, nickKey: string): Promise<void> {
    this.forget(room, nickKey); // at once, whatever the bus does
    await this.bus.publish<BanChange>(BAN_CHANGED, { room, nickKey });
  }
}

const entryKey = (room: string, nickKey: string): string => `${room}\u0000${nickKey}`;
