import type { Bus } from '../lib/bus.js';
import {
  type AddressLimit,
  type DetachResult,
  type NickOfSession,
  type Session,
  type SessionStore,
  type SocketRef,
  copySession,
} from './sessions.js';

/** How long a copy is used before it is read again: the bound on staleness if a change notice is lost. */
export const SESSION_COPY_MAX_AGE_MS = 30_000;

/** The bus topic on which a node says that it changed a session, so the others drop their copy. */
const CHANGED = 'session:changed';

interface SessionChanged {
  token: string;
  node: string;
}

/**
 * A SessionStore that keeps, in this process, the sessions of this node's sockets in front of the shared store:
 * an event from a socket whose session did not change costs no round trip. Every change goes through the store
 * and is told to the other nodes over the bus (a rename, a sign-in or a tab on another node), which drop their
 * copy and read it again when next asked. One process runs it too, over the in-process bus: a cluster of one.
 *
 * Only sessions with a socket on this node are kept, so the copies are bounded by this node's sockets and a
 * kept session never expires under it (a session expires only once it has no socket at all). Pub/sub is at most
 * once: a copy is read again after SESSION_COPY_MAX_AGE_MS, so a lost notice is stale for that long at most.
 */
export class CachedSessions implements SessionStore {
  private readonly local = new Map<string, { session: Session; keptAt: number }>();
  /**
   * Tokens with a store call on its way → whether another node's change arrived meanwhile. Pub/sub and commands
   * use different connections, so a change's notice can overtake an older answer, which must not be kept then.
   */
  private readonly inFlight = new Map<string, { calls: number; overtaken: boolean }>();

  constructor(
    private readonly store: SessionStore,
    private readonly bus: Bus,
    private readonly nodeId: string,
    private readonly maxAgeMs = SESSION_COPY_MAX_AGE_MS,
  ) {
    bus.subscribe<SessionChanged>(CHANGED, ({ token, node }) => {
      if (node === nodeId) return;
      this.local.delete(token);
      const call = this.inFlight.get(token);
      if (call) call.overtaken = true;
    });
  }

  create(socket: SocketRef): Promise<Session>;
  create(socket: SocketRef, limit: AddressLimit): Promise<Session | 'full'>;
  async create(socket: SocketRef, limit?: AddressLimit): Promise<Session | 'full'> {
    const created = limit ? await this.store.create(socket, limit) : await this.store.create(socket);
    if (created !== 'full') this.keep(created); // a new token: nobody else has a copy
    return created;
  }

  async get(token: string): Promise<Session | undefined> {
    const kept = this.local.get(token);
    if (kept && performance.now() - kept.keptAt < this.maxAgeMs) return copySession(kept.session);
    const { result: session, overtaken } = await this.call(token, () => this.store.get(token));
    if (!overtaken && session) this.keep(session);
    return session;
  }

  async attach(token: string, socket: SocketRef, maxSockets?: number): Promise<Session | 'full' | undefined> {
    const { result, overtaken } = await this.call(token, () => this.store.attach(token, socket, maxSockets));
    if (result !== 'full') await this.changed(token, result, overtaken);
    return result;
  }

  open(token: string, socket: SocketRef): Promise<Session>;
  open(token: string, socket: SocketRef, maxSockets: number): Promise<Session | 'full'>;
  async open(token: string, socket: SocketRef, maxSockets?: number): Promise<Session | 'full'> {
    const { result, overtaken } = await this.call(token, () =>
      maxSockets === undefined ? this.store.open(token, socket) : this.store.open(token, socket, maxSockets),
    );
    if (result !== 'full') await this.changed(token, result, overtaken);
    return result;
  }

  async detach(token: string, socketId: string, graceMs: number): Promise<DetachResult> {
    const { result, overtaken } = await this.call(token, () => this.store.detach(token, socketId, graceMs));
    await this.changed(token, result.session, overtaken);
    return result;
  }

  async setNick(token: string, nick: string, nickKey: string): Promise<Session | undefined> {
    const { result, overtaken } = await this.call(token, () => this.store.setNick(token, nick, nickKey));
    await this.changed(token, result, overtaken);
    return result;
  }

  async takeExpired(): Promise<Session[]> {
    // A node that slept through its sockets' reaping may still hold a copy: tell every node, not only this one.
    const expired = await this.store.takeExpired();
    for (const session of expired) await this.changed(session.token, undefined, true);
    return expired;
  }

  async removeNode(node: string, graceMs: number): Promise<Session[]> {
    const orphaned = await this.store.removeNode(node, graceMs);
    for (const session of orphaned) await this.changed(session.token, session, true);
    return orphaned;
  }

  reassert(token: string, socket: SocketRef, nick?: NickOfSession): Promise<void> {
    return this.store.reassert(token, socket, nick);
  }

  private async call<T>(token: string, task: () => Promise<T>): Promise<{ result: T; overtaken: boolean }> {
    const call = this.inFlight.get(token) ?? { calls: 0, overtaken: false };
    call.calls++;
    this.inFlight.set(token, call);
    try {
      const result = await task();
      return { result, overtaken: call.overtaken };
    } finally {
      if (--call.calls === 0) this.inFlight.delete(token);
    }
  }

  /** This node changed the session: keep the store's answer (unless overtaken) and tell the other nodes. */
  private async changed(token: string, session: Session | undefined, overtaken: boolean): Promise<void> {
    if (session && !overtaken) this.keep(session);
    else this.local.delete(token);
    await this.bus.publish<SessionChanged>(CHANGED, { token, node: this.nodeId });
  }

  /** Kept only while it has a socket on this node. */
  private keep(session: Session): void {
    if (Object.values(session.sockets).includes(this.nodeId)) {
      this.local.set(session.token, { session: copySession(session), keptAt: performance.now() });
    } else this.local.delete(session.token);
  }
}
