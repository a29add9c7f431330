import type { Namespace, Server } from 'socket.io';
import type { EngineConnection } from './engine-internals.js';
import type { ConnectionHooks } from './connection-hooks.js';

/**
 * A token bucket: `burst` tokens, refilled at `perSecond`. Synchronous on purpose: it runs for every packet, and
 * the packet that empties it must be refused before the next one in the same TCP read is dispatched
 * (rate-limiter-flexible answers with a promise, a turn too late for that).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; false when there is none. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Counts every packet a client sends on its Engine.IO connection, whatever the namespace or event (a flood
 * of `typing` frames, or namespace CONNECTs in a loop, costs the same as requests). A connection over
 * `perSecond` sustained or `burst` at once is disconnected: its namespace sockets get a Socket.IO DISCONNECT
 * (the client sees `io server disconnect` and does not reconnect by itself), then the connection is closed,
 * so the rest of what it already sent is dropped unread (engine.io ignores packets of a closing socket).
 */
export function limitPackets(
  io: Server,
  hooks: ConnectionHooks,
  namespaces: readonly Namespace[],
  limit: { perSecond: number; burst: number },
  onFlood: () => void = () => undefined,
): void {
  // Each connection's bucket is kept beside it: no closure per connection (issue 24).
  const buckets = new WeakMap<EngineConnection, TokenBucket>();
  hooks.onPacket((conn) => {
    if (buckets.get(conn)?.take(performance.now()) !== false) return;
    buckets.delete(conn); // cut once: what it sent after is not counted
    onFlood();
    disconnect(conn, namespaces);
  });
  io.engine.on('connection', (conn: EngineConnection) => {
    buckets.set(conn, new TokenBucket(limit.perSecond, limit.burst, performance.now()));
  });
}

function disconnect(conn: EngineConnection, namespaces: readonly Namespace[]): void {
  // A rare event (once per flooding connection), so a scan beats keeping a map of every connection's sockets.
  for (const nsp of namespaces) {
    for (const socket of nsp.sockets.values()) {
      if (socket.conn === conn) return void socket.disconnect(true); // every namespace of the connection, then close
    }
  }
  conn.close();
}
