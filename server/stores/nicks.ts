/**
 * Session tokens of signed users (one session per `sub`, see chat/signed-identity.ts) start with this; guest
 * tokens are base64url and never contain a dot. A signed session's claim does not give way to `seize`.
 */
export const SIGNED_SESSION_PREFIX = 'u.';

export const isSignedSession = (session: string): boolean => session.startsWith(SIGNED_SESSION_PREFIX);

/** What `seize` did: whether `owner` holds the key now, and the guest session it was taken from, if any. */
export interface Seizure {
  won: boolean;
  displaced?: NickOwner;
}

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
  /**
   * For a signed session: claims the key even when a guest session holds it (that one is `displaced`); when
   * another signed session holds it, nothing changes and `won` is false.
   */
  seize(key: string, owner: NickOwner): Promise<Seizure>;
  /** Frees the key if this session holds it. */
  release(key: string, session: string): Promise<void>;
  owner(key: string): Promise<NickOwner | undefined>;
  /**
   * Puts back a live session's claim after the registry lost its state (a shared registry restarted empty);
   * false when someone else claimed the key meanwhile.
   */
  reassert(key: string, owner: NickOwner): Promise<boolean>;
}

export class MemoryNickRegistry implements NickRegistry {
  private readonly owners = new Map<string, NickOwner>();

  async claim(key: string, owner: NickOwner): Promise<boolean> {
    const current = this.owners.get(key);
    if (current !== undefined && current.session !== owner.session) return false;
    this.owners.set(key, { ...owner });
    return true;
  }

  async seize(key: string, owner: NickOwner): Promise<Seizure> {
    const current = this.owners.get(key);
    if (current && current.session !== owner.session && isSignedSession(current.session)) return { won: false };
    this.owners.set(key, { ...owner });
    return current && current.session !== owner.session ? { won: true, displaced: current } : { won: true };
  }

  async release(key: string, session: string): Promise<void> {
    if (this.owners.get(key)?.session === session) this.owners.delete(key);
  }

  async owner(key: string): Promise<NickOwner | undefined> {
    const owner = this.owners.get(key);
    return owner && { ...owner };
  }

  reassert(key: string, owner: NickOwner): Promise<boolean> {
    return this.claim(key, owner);
  }
}
