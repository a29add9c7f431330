/** Who holds a nick: the session that claimed it, and the process (node) through which it was claimed. */
export interface NickOwner {
  session: string;
  node: string;
}

/**
 * Who holds which nick across the deployment, keyed by `nickKey()`. The owner is a session, so two tabs of
 * one session share a nick; the node lets a shared registry free exactly a dead process's claims.
 * Async so a shared (e.g. Redis) registry can replace the in-memory one.
 */
export interface NickRegistry {
  /** True when the key was free or already held by this session; it is then held by `owner`. */
  claim(key: string, owner: NickOwner): Promise<boolean>;
  /** Frees the key if this session holds it. */
  release(key: string, session: string): Promise<void>;
  owner(key: string): Promise<NickOwner | undefined>;
  /** Frees every claim made through `node`; returns the freed keys. */
  removeNode(node: string): Promise<string[]>;
}

export class MemoryNickRegistry implements NickRegistry {
  private readonly owners = new Map<string, NickOwner>();

  async claim(key: string, owner: NickOwner): Promise<boolean> {
    const current = this.owners.get(key);
    if (current !== undefined && current.session !== owner.session) return false;
    this.owners.set(key, { ...owner });
    return true;
  }

  async release(key: string, session: string): Promise<void> {
    if (this.owners.get(key)?.session === session) this.owners.delete(key);
  }

  async owner(key: string): Promise<NickOwner | undefined> {
    const owner = this.owners.get(key);
    return owner && { ...owner };
  }

  async removeNode(node: string): Promise<string[]> {
    const freed = [...this.owners].filter(([, owner]) => owner.node === node).map(([key]) => key);
    for (const key of freed) this.owners.delete(key);
    return freed;
  }
}
