import { randomToken } from '../lib/random-token.js';

/**
 * A session as plain data, the same in every store: whoever presents `token` in `auth.token` is this
 * session. It outlives its sockets for the recovery window after a cut connection, so the nick stays
 * reserved for the client that comes back with the token.
 */
export interface Session {
  /** Opaque, 144 random bits, base64url. */
  readonly token: string;
  nick?: string;
  nickKey?: string;
  /** Socket id → id of the process (node) holding that socket; tabs sharing the token are several sockets. */
  sockets: Record<string, string>;
  /** Set while no socket is attached: when the session ends, in ms since the epoch. */
  expiresAt?: number;
  /** The client address that created it, when it was created under an AddressLimit. */
  address?: string;
}

/** At most `max` live sessions created from one client address (MAX_SESSIONS_PER_ADDRESS). */
export interface AddressLimit {
  address: string;
  max: number;
}

export interface SocketRef {
  id: string;
  node: string;
}

/** A session's nick as kept with it. */
export interface NickOfSession {
  nick: string;
  key: string;
}

export interface DetachResult {
  /** True when this was the session's last socket: it now expires at `session.expiresAt`. */
  lastSocketGone: boolean;
  session?: Session;
}

/**
 * Sessions, async so that a store shared by several processes can stand in for the in-memory one. Expiry is
 * data (`expiresAt`), never a timer: whoever sweeps calls `takeExpired`, which hands each ended session to
 * exactly one caller.
 */
export interface SessionStore {
  /**
   * A new session with this socket attached and a fresh token. Under a `limit`, `'full'` (and nothing is
   * created) when its address already has `limit.max` live sessions; the count and the creation are one step,
   * and a session counts until it is taken by `takeExpired`.
   */
  create(socket: SocketRef): Promise<Session>;
  create(socket: SocketRef, limit: AddressLimit): Promise<Session | 'full'>;
  /** The live session of a token; undefined when unknown or past its expiry. */
  get(token: string): Promise<Session | undefined>;
  /**
   * Adds a socket and cancels a pending expiry; undefined when the session is unknown or has expired, `'full'`
   * (and nothing changes) when it already holds `maxSockets` other sockets. Check and add are one atomic step.
   */
  attach(token: string, socket: SocketRef, maxSockets?: number): Promise<Session | 'full' | undefined>;
  /**
   * Attaches the socket to the session with this token, creating the session when there is none, and cancels a
   * pending expiry. For signed users, whose token is derived from their user id (chat/signed-identity.ts).
   * With `maxSockets`, `'full'` (and nothing changes) when the session already holds that many other sockets;
   * the check and the attach are one atomic step.
   */
  open(token: string, socket: SocketRef): Promise<Session>;
  open(token: string, socket: SocketRef, maxSockets: number): Promise<Session | 'full'>;
  /** Removes a socket; the store decides whether it was the last one, and then sets the expiry `graceMs` ahead. */
  detach(token: string, socketId: string, graceMs: number): Promise<DetachResult>;
  setNick(token: string, nick: string, nickKey: string): Promise<Session | undefined>;
  /** Removes and returns every session whose expiry has passed. */
  takeExpired(): Promise<Session[]>;
  /**
   * Detaches every socket held through `node` (a process that died); sessions left without sockets expire
   * `graceMs` later. Returns those sessions.
   */
  removeNode(node: string, graceMs: number): Promise<Session[]>;
  /**
   * Puts back a live socket's session (and its nick) after the store lost its state (a shared store restarted
   * empty); a session the store still has only gets the socket back.
   */
  reassert(token: string, socket: SocketRef, nick?: NickOfSession): Promise<void>;
}

export function newSessionToken(): string {
  return randomToken(18);
}

/** A copy to hand out or keep: changing it changes nothing else. */
export const copySession = (session: Session): Session => ({ ...session, sockets: { ...session.sockets } });

/** The embedded store: one process, a Map. `now` is injectable so tests control expiry. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  create(socket: SocketRef): Promise<Session>;
  create(socket: SocketRef, limit: AddressLimit): Promise<Session | 'full'>;
  async create(socket: SocketRef, limit?: AddressLimit): Promise<Session | 'full'> {
    const session: Session = { token: newSessionToken(), sockets: { [socket.id]: socket.node } };
    if (limit) {
      const count = this.perAddress.get(limit.address) ?? 0;
      if (count >= limit.max) return 'full';
      this.perAddress.set(limit.address, count + 1);
      session.address = limit.address;
    }
    this.sessions.set(session.token, session);
    return copySession(session);
  }

  async get(token: string): Promise<Session | undefined> {
    const session = this.live(token);
    return session && copySession(session);
  }

  async attach(token: string, socket: SocketRef, maxSockets = Infinity): Promise<Session | 'full' | undefined> {
    const session = this.live(token);
    if (!session) return undefined;
    if (!(socket.id in session.sockets) && Object.keys(session.sockets).length >= maxSockets) return 'full';
    session.sockets[socket.id] = socket.node;
    delete session.expiresAt;
    return copySession(session);
  }

  open(token: string, socket: SocketRef): Promise<Session>;
  open(token: string, socket: SocketRef, maxSockets: number): Promise<Session | 'full'>;
  async open(token: string, socket: SocketRef, maxSockets = Infinity): Promise<Session | 'full'> {
    let session = this.sessions.get(token);
    if (session && !(socket.id in session.sockets) && Object.keys(session.sockets).length >= maxSockets) return 'full';
    if (!session) this.sessions.set(token, (session = { token, sockets: {} }));
    session.sockets[socket.id] = socket.node;
    delete session.expiresAt;
    return copySession(session);
  }

  async detach(token: string, socketId: string, graceMs: number): Promise<DetachResult> {
    const session = this.sessions.get(token);
    if (!session || !(socketId in session.sockets)) return { lastSocketGone: false };
    delete session.sockets[socketId];
    const lastSocketGone = Object.keys(session.sockets).length === 0;
    if (lastSocketGone) session.expiresAt = this.now() + graceMs;
    return { lastSocketGone, session: copySession(session) };
  }

  async setNick(token: string, nick: string, nickKey: string): Promise<Session | undefined> {
    const session = this.live(token);
    if (!session) return undefined;
    session.nick = nick;
    session.nickKey = nickKey;
    return copySession(session);
  }

  async takeExpired(): Promise<Session[]> {
    const now = this.now();
    const expired: Session[] = [];
    for (const session of this.sessions.values()) {
      if (session.expiresAt !== undefined && session.expiresAt <= now) {
        this.sessions.delete(session.token);
        if (session.address !== undefined) this.uncount(session.address);
        expired.push(session);
      }
    }
    return expired;
  }

  async removeNode(node: string, graceMs: number): Promise<Session[]> {
    const orphaned: Session[] = [];
    for (const session of this.sessions.values()) {
      const before = Object.keys(session.sockets).length;
      for (const [id, holder] of Object.entries(session.sockets)) if (holder === node) delete session.sockets[id];
      if (before > 0 && Object.keys(session.sockets).length === 0) {
        session.expiresAt = this.now() + graceMs;
        orphaned.push(copySession(session));
      }
    }
    return orphaned;
  }

  async reassert(token: string, socket: SocketRef, nick?: NickOfSession): Promise<void> {
    const session = this.sessions.get(token) ?? { token, sockets: {} };
    this.sessions.set(token, session);
    session.sockets[socket.id] = socket.node;
    delete session.expiresAt;
    if (nick && session.nick === undefined) [session.nick, session.nickKey] = [nick.nick, nick.key];
  }

  private uncount(address: string): void {
    const count = (this.perAddress.get(address) ?? 1) - 1;
    if (count > 0) this.perAddress.set(address, count);
    else this.perAddress.delete(address);
  }

  private live(token: string): Session | undefined {
    const session = this.sessions.get(token);
    if (!session || (session.expiresAt !== undefined && session.expiresAt <= this.now())) return undefined;
    return session;
  }
}
