import type { Server } from 'socket.io';
import { type EngineConnection, webSocketOf, writeBufferOf } from './engine-internals.js';
import type { ConnectionHooks } from './connection-hooks.js';

export type { EngineConnection } from './engine-internals.js';

/**
 * A /news subscriber with more than this waiting in the server for it skips items until it catches up.
 * Big enough for healthy readers to take bursts of ~150 items, small enough that a stalled one costs little.
 */
export const NEWS_SKIP_BUFFERED_BYTES = 64 * 1024;

/**
 * /chat messages are not volatile, so a client that stops reading would otherwise hold everything sent to it
 * in server memory. A connection with more than STALLED_CLIENT_BUFFERED_BYTES waiting is cut once the kernel
 * has taken none of it for STALLED_CLIENT_MS (the reader stopped); one with more than MAX_CLIENT_BUFFERED_BYTES
 * is cut at once (it reads, but slower than it is sent to). Either way it comes back through connection state
 * recovery (or `room:history` with `after`) and catches up.
 */
export const STALLED_CLIENT_BUFFERED_BYTES = 1024 * 1024;
export const STALLED_CLIENT_MS = 1000;
export const MAX_CLIENT_BUFFERED_BYTES = 8 * 1024 * 1024;
export const BUFFER_CHECK_INTERVAL_MS = 250;

/**
 * Bytes this server holds for a client and has not handed to the kernel: the `ws` send buffer (socket
 * write queue plus frames waiting for the permessage-deflate queue) and Engine.IO's write buffer.
 * Counting stops once `atLeast` is reached, so a long backlog is not walked on every check.
 */
export function bufferedBytes(conn: EngineConnection, atLeast = Infinity): number {
  let total = webSocketOf(conn)?.bufferedAmount ?? 0;
  const packets = writeBufferOf(conn); // Engine.IO keeps packets here while the transport is busy
  for (let i = 0; i < packets.length && total < atLeast; i++) {
    const data = packets[i]!.data;
    total += typeof data === 'string' ? data.length : data instanceof Buffer ? data.length : 16;
  }
  return total;
}

/** Bytes the kernel has taken for this connection so far (Node counts queued bytes as written too). */
function bytesTakenByKernel(conn: EngineConnection): number | undefined {
  const raw = webSocketOf(conn)?._socket;
  return raw ? raw.bytesWritten - raw.writableLength : undefined;
}

/** Closes a connection at once, dropping what is queued for it (a clean close would wait for the stalled reader). */
function cutOff(conn: EngineConnection): void {
  const ws = webSocketOf(conn);
  if (ws?.terminate)
    ws.terminate(); // frees the send buffer now; engine.io then closes with "transport close"
  else conn.close(true); // polling: discard the write buffer and close
}

export interface SlowClientGuard {
  stop(): void;
}

interface Backlog {
  taken: number | undefined;
  since: number;
}

/**
 * Every BUFFER_CHECK_INTERVAL_MS, cuts connections that hold a backlog their reader is not taking (see
 * STALLED_CLIENT_BUFFERED_BYTES) or one over MAX_CLIENT_BUFFERED_BYTES. Memory per client is thereby bounded
 * by the hard limit plus what one interval of traffic adds.
 *
 * Only connections that may hold a backlog are checked (walking all 18,000 of a busy node four times a second
 * was 4% of its CPU): a WebSocket joins them when a flush leaves bytes the kernel has not taken, since only
 * then can packets pile up behind it (engine.io queues while a write is in flight, and flushes again, with this
 * check, when it completes); it leaves them once nothing is queued for it. A polling connection stays among
 * them (its packets wait for the client's next request, with no flush to tell), until it upgrades and drains.
 */
export function guardSlowClients(io: Server): SlowClientGuard {
  const suspects = new Set<EngineConnection>();
  const backlogs = new Map<EngineConnection, Backlog>();
  const watchIfBacklogged = (conn: EngineConnection) => {
    const ws = webSocketOf(conn);
    if (!ws || ws.bufferedAmount > 0) suspects.add(conn);
  };
  io.engine.on('connection', watchIfBacklogged);
  io.engine.on('drain', watchIfBacklogged); // engine.io's server emits it after every flush to a transport
  const forget = (conn: EngineConnection) => {
    suspects.delete(conn);
    backlogs.delete(conn);
  };
  const drop = (conn: EngineConnection) => {
    forget(conn);
    cutOff(conn);
  };
  const timer = setInterval(() => {
    const now = Date.now();
    for (const conn of suspects) {
      if (conn.readyState === 'closed') {
        forget(conn);
        continue;
      }
      const buffered = bufferedBytes(conn, MAX_CLIENT_BUFFERED_BYTES + 1);
      if (buffered === 0 && webSocketOf(conn)) {
        forget(conn);
      } else if (buffered <= STALLED_CLIENT_BUFFERED_BYTES) {
        backlogs.delete(conn);
      } else if (buffered > MAX_CLIENT_BUFFERED_BYTES) {
        drop(conn);
      } else {
        const taken = bytesTakenByKernel(conn); // undefined for polling: then only the time over the limit counts
        const backlog = backlogs.get(conn);
        const progressed = taken !== undefined && backlog?.taken !== undefined && taken > backlog.taken;
        if (!backlog || progressed) backlogs.set(conn, { taken, since: now });
        else if (now - backlog.since >= STALLED_CLIENT_MS) drop(conn);
      }
    }
  }, BUFFER_CHECK_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * A WebSocket whose peer stopped answering (a phone that lost its network, a silent attacker) is closed by
 * Engine.IO at the ping timeout, but `ws` then waits 30 s more for the peer's closing frame, which never comes:
 * each such socket held its descriptor 75 s in all (hardening round 2). A peer that missed its pong is gone, so
 * its TCP connection is destroyed at once.
 */
export function dropDeadPeers(hooks: ConnectionHooks): void {
  hooks.onClose((conn, reason) => {
    if (reason === 'ping timeout') webSocketOf(conn)?.terminate();
  });
}
