import type { Server, Socket } from 'socket.io';

/** Engine.IO's connection object behind a Socket.IO socket (both namespaces of a client share it). */
export type EngineConnection = Socket['conn'];

/**
 * A /news subscriber with more than this waiting in the server for it skips items until it catches up.
 * Big enough for healthy readers to take bursts of ~150 items, small enough that a stalled one costs little.
 */
export const NEWS_SKIP_BUFFERED_BYTES = 64 * 1024;

/**
 * A connection with more than this waiting in the server is cut. /chat messages are not volatile, so a client
 * that stops reading would otherwise hold everything sent to it in server memory. It comes back through
 * connection state recovery (or `room:history` with `after`) and catches up.
 */
export const MAX_CLIENT_BUFFERED_BYTES = 1024 * 1024;
export const BUFFER_CHECK_INTERVAL_MS = 250;

interface PacketLike {
  data?: unknown;
}
/** Engine.IO keeps packets here while the transport is busy (between a write and its callback); not typed. */
interface WithWriteBuffer {
  writeBuffer?: PacketLike[];
}
/** The `ws` WebSocket of the websocket transport; not part of engine.io's typings. */
interface WithWebSocket {
  socket?: { bufferedAmount?: number; terminate?: () => void };
}

const webSocketOf = (conn: EngineConnection) => (conn.transport as unknown as WithWebSocket).socket;

/**
 * Bytes this server holds for a client and has not handed to the kernel: the `ws` send buffer (socket
 * write queue plus frames waiting for the permessage-deflate queue) and Engine.IO's write buffer.
 * Counting stops once `atLeast` is reached, so a long backlog is not walked on every check.
 */
export function bufferedBytes(conn: EngineConnection, atLeast = Infinity): number {
  let total = webSocketOf(conn)?.bufferedAmount ?? 0;
  const packets = (conn as unknown as WithWriteBuffer).writeBuffer ?? [];
  for (let i = 0; i < packets.length && total < atLeast; i++) {
    const data = packets[i]!.data;
    total += typeof data === 'string' ? data.length : data instanceof Buffer ? data.length : 16;
  }
  return total;
}

/** Closes a connection at once, dropping what is queued for it (a clean close would wait for the stalled reader). */
function cutOff(conn: EngineConnection): void {
  const ws = webSocketOf(conn);
  if (ws?.terminate) ws.terminate(); // frees the send buffer now; engine.io then closes with "transport close"
  else conn.close(true); // polling: discard the write buffer and close
}

export interface SlowClientGuard {
  /** Connections cut so far. */
  readonly cut: number;
  stop(): void;
}

/**
 * Every `intervalMs`, cuts the connections that hold more than `limitBytes` of unsent data. Memory per client
 * is thereby bounded by the limit plus what one interval of traffic adds.
 */
export function guardSlowClients(io: Server, limitBytes = MAX_CLIENT_BUFFERED_BYTES, intervalMs = BUFFER_CHECK_INTERVAL_MS): SlowClientGuard {
  const connections = new Set<EngineConnection>();
  let cut = 0;
  io.engine.on('connection', (conn: EngineConnection) => {
    connections.add(conn);
    conn.once('close', () => connections.delete(conn));
  });
  const timer = setInterval(() => {
    for (const conn of connections) {
      if (bufferedBytes(conn, limitBytes + 1) > limitBytes) {
        connections.delete(conn);
        cut++;
        cutOff(conn);
      }
    }
  }, intervalMs);
  timer.unref();
  return {
    get cut() {
      return cut;
    },
    stop: () => clearInterval(timer),
  };
}
