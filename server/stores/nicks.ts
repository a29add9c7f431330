/**
 * Who holds which nick across the deployment, keyed by `nickKey()`. The owner is a session token, so two
 * tabs of one session share a nick. Async so a shared (e.g. Redis) registry can replace the in-memory one.
 */
export interface NickRegistry {
  /** True when the key was free or already held by this owner; it is then held by this owner. */
  claim(key: string, owner: string): Promise<boolean>;
  /** Frees the key if this owner holds it. */
  release(key: string, owner: string): Promise<void>;
}

export class MemoryNickRegistry implements NickRegistry {
  private readonly owners = new Map<string, string>();

  async claim(key: string, owner: string): Promise<boolean> {
    const current = this.owners.get(key);
    if (current !== undefined && current !== owner) return false;
    this.owners.set(key, owner);
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.owners.get(key) === owner) this.owners.delete(key);
  }
}
