import type { Socket as NetSocket } from 'node:net';
import type { Server } from 'socket.io';

type Packets = readonly unknown[];
/** engine.io's websocket transport: `send` writes each packet as its own frame; `socket` is the `ws` socket. */
interface WebSocketTransport {
  name: string;
  send(packets: Packets): void;
  socket?: { _socket?: NetSocket };
}

const patched = new WeakSet<object>();

/**
 * Engine.IO flushes a client's queued packets with one socket write per packet, so a client sent k packets
 * in one flush costs k `writev` system calls, and on loopback most of the server's CPU goes there. Corking
 * the TCP socket for the flush makes it one. Queues form exactly when the server is busy (a group commit
 * broadcasts several messages in one turn, or a client's previous write is still in flight), so this
 * saves the most when it matters. Same frames, same order, same callbacks: only the syscalls are merged.
 * engine.io has no hook for this, so its transport's `send` is wrapped once, on the prototype.
 */
export function batchWebSocketWrites(io: Server): void {
  io.engine.on('connection', (conn: { transport: unknown; on(event: 'upgrade', fn: (t: unknown) => void): void }) => {
    wrapSend(conn.transport);
    conn.on('upgrade', wrapSend);
  });
}

function wrapSend(transport: unknown): void {
  const candidate = transport as Partial<WebSocketTransport>;
  if (candidate.name !== 'websocket' || typeof candidate.send !== 'function') return;
  const proto = Object.getPrototypeOf(transport) as WebSocketTransport;
  if (patched.has(proto)) return;
  patched.add(proto);
  const send = proto.send;
  proto.send = function corkedSend(this: WebSocketTransport, packets: Packets): void {
    const raw = this.socket?._socket;
    if (packets.length < 2 || !raw) return send.call(this, packets);
    raw.cork();
    try {
      send.call(this, packets);
    } finally {
      raw.uncork();
    }
  };
}
