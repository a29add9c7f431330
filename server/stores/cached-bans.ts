import type { Ban, BanStore } from './bans.js';

/** How long a looked-up ban (or its absence) is reused: the bound on staleness if an invalidation is lost. */
export const BAN_CACHE_MAX_AGE_MS = 5000;
/** Entries kept at most; past it the cache starts over (a burst of many rooms × nicks cannot grow it without bound). */
const MAX_ENTRIES = 50_000;

/**
 * A BanStore in front of a shared one (PostgreSQL), so `room:join` and `message:send` do not cost a query each.
 * A ban or unban through this node forgets its entry at once and tells the other nodes (`publish`, over the
 * cluster relay), which `forget` theirs; a lost notification is bounded by BAN_CACHE_MAX_AGE_MS.
 */
export class CachedBans implements BanStore {
  private readonly entries = new Map<string, { ban: Ban | undefined; fetchedAt: number }>();

  constructor(
    private readonly store: BanStore,
    private readonly publish: (room: string, nickKey: string) => Promise<void> = async () => undefined,
    private readonly maxAgeMs = BAN_CACHE_MAX_AGE_MS,
  ) {}

  async ban(ban: Ban): Promise<void> {
    await this.store.ban(ban);
    await this.changed(ban.room, ban.nickKey);
  }

  async unban(room: string, nickKey: string): Promise<boolean> {
    const existed = await this.store.unban(room, nickKey);
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

  /** Another node changed this ban. */
  forget(room: string, nickKey: string): void {
    this.entries.delete(entryKey(room, nickKey));
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async changed(room: string, nickKey: string): Promise<void> {
    this.forget(room, nickKey);
    await this.publish(room, nickKey);
  }
}

const entryKey = (room: string, nickKey: string): string => `${room}\u0000${nickKey}`;
