import { type Manager, Socket } from 'socket.io-client';
import type { ChatClientToServer, ChatServerToClient } from '../../server/protocol/events.js';
import type { ChatSocket, SocketAuth } from '../../web/connection/chat-connection.js';

/** Socket.IO protocol v5 packet types (socket.io-parser's `PacketType`): what the client socket and the fake trade. */
export const PacketType = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4 } as const;

export interface Packet {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** The server end of a FakeManager: it gets what the client socket sends, one packet at a time. */
export interface PacketSink {
  /** False while the server cannot be reached: the Manager stays down and reconnects once it is back. */
  readonly reachable: boolean;
  receive(packet: Packet, from: FakeManager): void;
}

type Listener = (...args: unknown[]) => void;

/**
 * Stands in for socket.io-client's Manager (one Engine.IO connection) under a real client `Socket`, so acks,
 * ack timeouts, the send buffer while offline, volatile drops and `recovered` are the library's own code.
 * Packets cross in microtasks, both ways, as over a network that is instant but never synchronous.
 *
 * The Socket reaches into its Manager through members that are not public API (`_packet`, `_readyState`,
 * `_reconnecting`, `_autoConnect`, `_destroy`, `engine`, `setTimeoutFn`), so socket.io-client is pinned exactly
 * in package.json, and `manager-canary.test.ts` checks that the real Manager still has them.
 */
export class FakeManager {
  _autoConnect = false;
  _readyState: 'opening' | 'open' | 'closed' = 'closed';
  _reconnecting = false;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Counts connections: a packet still on its way when its connection was cut is lost with it. */
  private connection = 0;

  constructor(private readonly sink: PacketSink) {}

  /** The real Socket makes its client socket on this Manager; `auth` is read at every CONNECT. */
  static socket(sink: PacketSink, auth: SocketAuth): { socket: ChatSocket; manager: FakeManager } {
    const manager = new FakeManager(sink);
    // The one cast: the Socket types its Manager as the real class, whose private members cannot be declared here.
    const socket: ChatSocket = new Socket<ChatServerToClient, ChatClientToServer>(
      manager as unknown as Manager,
      '/chat',
      {
        auth,
      },
    );
    return { socket, manager };
  }

  /** What `volatile` emits look at: a transport that is open takes them, any other drops them. */
  get engine() {
    return { transport: { writable: this._readyState === 'open' }, _hasPingExpired: () => false };
  }

  // Read at call time, so vi.useFakeTimers() governs ack timeouts.
  setTimeoutFn = (fn: () => void, ms: number): ReturnType<typeof setTimeout> => setTimeout(fn, ms);
  clearTimeoutFn = (timer: ReturnType<typeof setTimeout>): void => clearTimeout(timer);

  on(event: string, fn: Listener): this {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    this.listeners.set(event, set.add(fn));
    return this;
  }

  off(event: string, fn: Listener): this {
    this.listeners.get(event)?.delete(fn);
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(...args);
  }

  /** Opens the connection if the server can be reached; else, like the real one, reports an error and retries. */
  open(): this {
    if (this._readyState !== 'closed') return this;
    if (!this.sink.reachable) {
      this._reconnecting = true;
      queueMicrotask(() => this.emit('error', new Error('xhr poll error')));
      return this;
    }
    this._readyState = 'opening';
    queueMicrotask(() => {
      this._readyState = 'open';
      this.emit('open');
    });
    return this;
  }

  /** The Socket's way out: every packet it sends. */
  _packet(packet: Packet): void {
    if (this._readyState !== 'open') return;
    const sent = structuredClone(packet); // what crosses a network is a copy
    this.transfer(() => this.sink.receive(sent, this));
  }

  /** The real Manager closes its connection once no socket uses it; the fake keeps it for the next connect(). */
  _destroy(): void {}

  // ---- driven by the server side ----------------------------------------------------------------------

  /** A packet from the server (CONNECT, EVENT, ACK, DISCONNECT, CONNECT_ERROR). */
  deliver(packet: Packet): void {
    const sent = structuredClone(packet);
    this.transfer(() => this.emit('packet', sent));
  }

  private transfer(arrive: () => void): void {
    const connection = this.connection;
    queueMicrotask(() => {
      if (this._readyState === 'open' && connection === this.connection) arrive();
    });
  }

  /** The connection was cut (network loss): the socket sees `transport close` and waits for `reconnected`. */
  cut(): void {
    if (this._readyState === 'closed') return;
    this._readyState = 'closed';
    this._reconnecting = true;
    this.connection++;
    this.emit('close', 'transport close');
  }

  /** The Manager's backoff found the server again: a new connection, on which the socket sends its CONNECT. */
  reconnected(): void {
    if (!this._reconnecting) return;
    this.emit('reconnect_attempt', 1);
    this._readyState = 'opening';
    queueMicrotask(() => {
      this._readyState = 'open';
      this.emit('open');
      this._reconnecting = false;
      this.emit('reconnect', 1);
    });
  }
}
