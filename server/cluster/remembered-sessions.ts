import type { AddressLimit, DetachResult, Session, SessionStore, SocketRef } from '../stores/sessions.js';

/**
 * A SessionStore that remembers the nick of every session it has seen, so a node can put back its own
 * sockets' sessions when Redis comes back empty. Forgets a session once it has been swept.
 */
export class RememberedSessions implements SessionStore {
  readonly nicks = new Map<string, { nick: string; key: string }>();

  constructor(private readonly store: SessionStore) {}

  create(socket: SocketRef): Promise<Session>;
  create(socket: SocketRef, limit: AddressLimit): Promise<Session | 'full'>;
  async create(socket: SocketRef, limit?: AddressLimit): Promise<Session | 'full'> {
    const created = limit ? await this.store.create(socket, limit) : await this.store.create(socket);
    return created === 'full' ? created : this.seen(created);
  }

  async get(token: string): Promise<Session | undefined> {
    return this.seen(await this.store.get(token));
  }

  async attach(token: string, socket: SocketRef, maxSockets?: number): Promise<Session | 'full' | undefined> {
    const attached = await this.store.attach(token, socket, maxSockets);
    return attached === 'full' ? attached : this.seen(attached);
  }

  open(token: string, socket: SocketRef): Promise<Session>;
  open(token: string, socket: SocketRef, maxSockets: number): Promise<Session | 'full'>;
  async open(token: string, socket: SocketRef, maxSockets?: number): Promise<Session | 'full'> {
    const opened =
      maxSockets === undefined
        ? await this.store.open(token, socket)
        : await this.store.open(token, socket, maxSockets);
    return opened === 'full' ? opened : this.seen(opened);
  }

  async detach(token: string, socketId: string, graceMs: number): Promise<DetachResult> {
    const result = await this.store.detach(token, socketId, graceMs);
    this.seen(result.session);
    return result;
  }

  async setNick(token: string, nick: string, nickKey: string): Promise<Session | undefined> {
    return this.seen(await this.store.setNick(token, nick, nickKey));
  }

  async takeExpired(): Promise<Session[]> {
    const expired = await this.store.takeExpired();
    for (const session of expired) this.nicks.delete(session.token);
    return expired;
  }

  async removeNode(node: string, graceMs: number): Promise<Session[]> {
    return this.store.removeNode(node, graceMs);
  }

  private seen<T extends Session | undefined>(session: T): T {
    if (session?.nick !== undefined && session.nickKey !== undefined) {
      this.nicks.set(session.token, { nick: session.nick, key: session.nickKey });
    }
    return session;
  }
}
