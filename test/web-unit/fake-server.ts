import type { ChatClientToServer, ChatServerToClient, ConnectErrorCode } from '../../server/protocol/events.js';
import type { ChatSocket, SocketAuth } from '../../web/connection/chat-connection.js';
import { FakeManager, type Packet, type PacketSink, PacketType } from './fake-manager.js';

/** A handler's answer that leaves the request unanswered: an ack lost on the way, or a server that hangs. */
export const NO_REPLY = Symbol('no reply');

/** An acknowledged event's parameters before the reply callback, and what the callback takes. */
type Parts<F> = F extends (...args: [...infer A, infer R]) => void
  ? R extends (res: infer T) => void
    ? { args: A; reply: T }
    : never
  : never;
/** The client events that take an ack (all but `typing`), from the contract. */
export type AckedEvent = {
  [K in keyof ChatClientToServer]: [Parts<ChatClientToServer[K]>] extends [never] ? never : K;
}[keyof ChatClientToServer];
export type RequestArgs<K extends AckedEvent> = Parts<ChatClientToServer[K]>['args'];
export type ReplyTo<K extends AckedEvent> = Parts<ChatClientToServer[K]>['reply'];
type Answer<K extends AckedEvent> = ReplyTo<K> | typeof NO_REPLY;
/** How the fake answers one event: typed by `ChatClientToServer`, so a change of the contract breaks it here. */
export type Handler<K extends AckedEvent> = (...args: RequestArgs<K>) => Answer<K> | Promise<Answer<K>>;
export type Handlers = { [K in AckedEvent]: Handler<K> };

/** One event the client sent, as the server read it (the ack callback left out). */
export interface Received {
  event: keyof ChatClientToServer;
  args: unknown[];
}

/** Taken before any test fakes the timers: one macrotask lets every microtask in flight finish. */
const realSetImmediate = setImmediate;
const nextMacrotask = () => new Promise<void>((resolve) => realSetImmediate(() => resolve()));

/**
 * The server side of one client's /chat socket, played by the test (after centrifuge-js's src/fakeServer.ts): it
 * answers each request with a handler (`on`), emits events (`emit`), and cuts, restores or refuses the
 * connection. It knows the contract only through the types of `server/protocol/events.ts`; a subclass gives
 * the default answers (`FakeChatServer`: a small in-memory chat). One client at a time: `socket()` replaces the
 * previous one, as a reloaded page does.
 */
export abstract class FakeServer implements PacketSink {
  reachable = true;
  /** Every event the client sent, in order (requests and `typing`). */
  readonly received: Received[] = [];
  /** The `auth` of every CONNECT (with `pid` and `offset` when the client asks for a recovery). */
  readonly handshakes: Record<string, unknown>[] = [];
  private manager: FakeManager | undefined;
  private connected = false;
  /** Cut (not left): what the client misses is kept, as connection state recovery does, until a new connection. */
  private cutOff = false;
  private missed: Packet[] = [];
  private pid: string | undefined;
  private recoverNext = false;
  private readonly refusals: ConnectErrorCode[] = [];
  private readonly overrides = new Map<string, (...args: unknown[]) => unknown>();
  private sessions = 0;
  private offset = 0;
  /** Counts connections: the reply to a request of a connection that has since been cut is lost with it. */
  private connection = 0;

  /** The answer to each acked event unless a test says otherwise (`on`). */
  protected abstract readonly defaults: Handlers;

  /** An accepted CONNECT; `recovered`: Socket.IO restored the connection's state (rooms, missed events). */
  protected abstract accepted(auth: Record<string, unknown>, recovered: boolean): void;

  /** The seam's socket factory (`ChatControllerConfig.socket`): a real client socket whose server is this. */
  socket(auth: SocketAuth): ChatSocket {
    const { socket, manager } = FakeManager.socket(this, auth);
    this.manager = manager;
    this.connected = false;
    this.connection++;
    return socket;
  }

  /** Answers `event` with `handler` instead of the default (which `answer` still reaches). */
  on<K extends AckedEvent>(event: K, handler: Handler<K>): this {
    this.overrides.set(event, handler as (...args: unknown[]) => unknown);
    return this;
  }

  /** The default answer, for handlers that change only some requests. */
  answer<K extends AckedEvent>(event: K, ...args: RequestArgs<K>): Answer<K> | Promise<Answer<K>> {
    return this.handler(event, this.defaults)(...args) as Answer<K> | Promise<Answer<K>>;
  }

  /** The arguments of each `event` the client sent, oldest first. */
  sent<K extends keyof ChatClientToServer>(event: K): unknown[][] {
    return this.received.filter((r) => r.event === event).map((r) => r.args);
  }

  /**
   * An event to the client. Like the real server (see docs/protocol.md, connection state recovery) every event
   * but `typing` carries a trailing offset and is kept for a cut connection; `typing` is volatile.
   */
  emit<K extends keyof ChatServerToClient>(event: K, ...args: Parameters<ChatServerToClient[K]>): void {
    const volatile = event === 'typing';
    const data: unknown[] = volatile ? [event, ...args] : [event, ...args, `offset-${++this.offset}`];
    const packet: Packet = { type: PacketType.EVENT, nsp: '/chat', data };
    if (this.connected) this.send(packet);
    else if (this.cutOff && !volatile) this.missed.push(packet);
  }

  /** Cuts the connection (network loss); the client's Manager finds the server again at `restore`. */
  drop(): void {
    this.reachable = false;
    this.connected = false;
    this.cutOff = true;
    this.connection++;
    this.manager?.cut();
  }

  /** The server can be reached again; `recovered`: the reconnect gets its state back (rooms, missed events). */
  restore({ recovered = false } = {}): void {
    this.reachable = true;
    this.recoverNext = recovered;
    this.manager?.reconnected();
  }

  /** The next CONNECT is refused with this `connect_error` code. */
  refuseNext(code: ConnectErrorCode): void {
    this.refusals.push(code);
  }

  /** The server disconnects the namespace (`io server disconnect`): the client does not reconnect by itself. */
  kick(): void {
    this.send({ type: PacketType.DISCONNECT, nsp: '/chat' });
    this.connected = false;
    this.connection++;
  }

  /** Waits until everything in flight, both ways, has been handled (a request waiting on a timer is not). */
  async settle(): Promise<void> {
    await nextMacrotask();
  }

  receive(packet: Packet, from: FakeManager): void {
    if (from !== this.manager) return; // an earlier client (a page reloaded)
    if (packet.type === PacketType.CONNECT) this.handshake((packet.data ?? {}) as Record<string, unknown>);
    else if (packet.type === PacketType.DISCONNECT) this.left();
    else if (packet.type === PacketType.EVENT) this.request(packet);
  }

  /** The client disconnected on purpose (its element left the page): nothing is kept for it. */
  private left(): void {
    this.connected = false;
    this.cutOff = false;
    this.connection++;
  }

  private handshake(auth: Record<string, unknown>): void {
    this.handshakes.push(auth);
    const refusal = this.refusals.shift();
    if (refusal) {
      const data = { message: `refused (${refusal})`, data: { code: refusal } };
      return this.manager?.deliver({ type: PacketType.CONNECT_ERROR, nsp: '/chat', data });
    }
    const recovered = this.recoverNext && this.pid !== undefined && auth.pid === this.pid;
    this.recoverNext = false;
    if (!recovered) {
      this.pid = `pid-${++this.sessions}`;
      this.missed = [];
    }
    this.connected = true;
    this.cutOff = false;
    this.connection++;
    this.send({ type: PacketType.CONNECT, nsp: '/chat', data: { sid: `sid-${++this.sessions}`, pid: this.pid } });
    for (const packet of this.missed.splice(0)) this.send(packet); // the recovery's replay
    this.accepted(auth, recovered);
  }

  private request(packet: Packet): void {
    const [event, ...args] = packet.data as [keyof ChatClientToServer, ...unknown[]];
    this.received.push({ event, args });
    // `typing` has no ack; an acked event sent without a callback is ignored (docs/protocol.md, Replies).
    if (packet.id === undefined || event === 'typing') return;
    const handler = this.overrides.get(event) ?? this.handler(event, this.defaults);
    const connection = this.connection;
    void Promise.resolve(handler(...args)).then((reply) => {
      if (reply === NO_REPLY || connection !== this.connection || !this.connected) return;
      this.send({ type: PacketType.ACK, nsp: '/chat', id: packet.id, data: [reply] });
    });
  }

  /** The handlers map is typed per event; a request's event is only known at run time. */
  private handler(event: string, handlers: Handlers): (...args: unknown[]) => unknown {
    return (handlers as unknown as Record<string, (...args: unknown[]) => unknown>)[event] ?? (() => NO_REPLY);
  }

  private send(packet: Packet): void {
    if (this.connected) this.manager?.deliver(packet);
  }
}
