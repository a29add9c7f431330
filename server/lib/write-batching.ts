import type { Server } from 'socket.io';
import type { EngineConnection, WebSocketTransport } from './engine-internals.js';
import { transportOf } from './engine-internals.js';

const patched = new WeakSet<object>();

/**
 * Engine.IO flushes a client's queued packets with one socket write per packet, so a client sent k packets
 * in one flush costs k `writev` system calls, and on loopback most of the server's CPU goes there. Corking
 * the TCP socket for the flush makes it one. Queues form exactly when the server is busy (a group commit
 * broadcasts several messages in one turn, or a client's previous write is still in flight), so this
 * saves the most when it matters. Same frames, same order, same callbacks: only the syscalls are merged.
 * engine.io has no hook for this, so its transport's `send` is wrapped once, on the prototype; the fields
 * it reads are private (see engine-internals.ts).
 */
export function batchWebSocketWrites(io: Server): void {
  io.engine.on('connection', (conn: EngineConnection) => {
    wrapSend(conn);
    conn.on('upgrade', wrapUpgraded); // shared by every connection; Engine.IO emits `upgrade` once
  });
}

function wrapUpgraded(this: EngineConnection): void {
  wrapSend(this);
}

function wrapSend(conn: EngineConnection): void {
  const transport = transportOf(conn);
  if (transport.name !== 'websocket' || typeof transport.send !== 'function') return;
  const proto = Object.getPrototypeOf(transport) as WebSocketTransport;
  if (patched.has(proto)) return;
  patched.add(proto);
  const send = proto.send;
  proto.send = function corkedSend(this: WebSocketTransport, packets: readonly unknown[]): void {
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
