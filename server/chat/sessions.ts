import { randomBytes } from 'node:crypto';

export interface Session {
  /** Opaque, 144 random bits; whoever presents it in `auth.token` is this session. */
  readonly token: string;
  nick?: string;
  nickKey?: string;
  /** Ids of the /chat sockets connected as this session (tabs sharing the token). */
  readonly socketIds: Set<string>;
  expiry?: NodeJS.Timeout;
}

/**
 * Sessions of this process. A session outlives its sockets for the recovery window after a cut
 * connection, so the nick stays reserved for the client that will come back with the token.
 */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();

  create(): Session {
    const session: Session = { token: randomBytes(18).toString('base64url'), socketIds: new Set() };
    this.sessions.set(session.token, session);
    return session;
  }

  get(token: unknown): Session | undefined {
    return typeof token === 'string' ? this.sessions.get(token) : undefined;
  }

  attach(session: Session, socketId: string): void {
    clearTimeout(session.expiry);
    session.expiry = undefined;
    session.socketIds.add(socketId);
  }

  /**
   * Removes a socket. When it was the session's last one, `onExpire` runs after `graceMs` (0 for a clean
   * disconnect) unless a socket attaches again first.
   */
  detach(session: Session, socketId: string, graceMs: number, onExpire: (session: Session) => void): void {
    session.socketIds.delete(socketId);
    if (session.socketIds.size > 0) return;
    const expire = () => {
      if (session.socketIds.size > 0) return;
      this.sessions.delete(session.token);
      onExpire(session);
    };
    if (graceMs === 0) expire();
    else session.expiry = setTimeout(expire, graceMs).unref();
  }

  /** Stops pending expiries (server shutdown). */
  clear(): void {
    for (const session of this.sessions.values()) clearTimeout(session.expiry);
    this.sessions.clear();
  }
}
