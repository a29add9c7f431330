import type { Server } from 'socket.io';
import type { EngineConnection } from './engine-internals.js';
import type { ConnectionHooks, EnginePacket } from './connection-hooks.js';

/** Socket.IO packet types (socket.io-parser): the first character of a text packet. */
const CONNECT = '0';
const DISCONNECT = '1';
const CONNECT_ERROR = '4';

/**
 * The namespace of a Socket.IO text packet of `type`, or undefined when the packet is of another type. The
 * format is socket.io-parser's: `<type>[/<nsp>,]<payload>`; no namespace means `/`.
 */
export function namespaceOf(data: unknown, type: string): string | undefined {
  if (typeof data !== 'string' || data[0] !== type) return undefined;
  if (data[1] !== '/') return '/';
  const comma = data.indexOf(',', 1);
  return comma === -1 ? data.slice(1) : data.slice(1, comma);
}

/**
 * A connection holds at most one socket per namespace. Socket.IO refuses a CONNECT for a namespace whose
 * socket is open, but not for one whose CONNECT is still in the async middleware, so a single POST of 150
 * `40/chat,` packets used to become 150 live sockets (hardening round 2, item 1). Here a CONNECT claims its
 * namespace on the connection synchronously, as engine.io hands over the packet and before Socket.IO decodes
 * it; the claim ends with the socket (a DISCONNECT either way) or with its refusal (CONNECT_ERROR). A further
 * CONNECT while the claim holds is dropped unanswered: socket.io-client itself sends one when `connect()` is
 * called on a socket that is still connecting (`manager.socket(nsp)` connects on its own), and it must then see
 * the first CONNECT's answer, not a refusal.
 *
 * Dropping relies on engine.io emitting `packet` with the packet object it then dispatches on `type` (engine.io
 * is pinned exactly; test/chat/one-socket-per-namespace.test.ts goes red if that changes).
 */
export function oneSocketPerNamespace(
  io: Server,
  hooks: ConnectionHooks,
  onDropped: () => void = () => undefined,
): void {
  // The hook and the `packetCreate` listener (`this` is the connection) are shared by every connection, and its
  // claims are kept beside it: no closures per connection (issue 24).
  const claims = new WeakMap<EngineConnection, Set<string>>();
  hooks.onPacket((conn, packet) => {
    if (packet.type !== 'message') return;
    const claimed = claims.get(conn)!;
    const released = namespaceOf(packet.data, DISCONNECT);
    if (released !== undefined) return void claimed.delete(released);
    const nsp = namespaceOf(packet.data, CONNECT);
    if (nsp === undefined) return;
    if (!claimed.has(nsp)) return void claimed.add(nsp);
    packet.type = 'noop'; // engine.io's dispatch ignores it: Socket.IO never sees this CONNECT
    onDropped();
  });
  function onPacketCreate(this: EngineConnection, packet: EnginePacket): void {
    if (packet.type !== 'message') return;
    const ended = namespaceOf(packet.data, CONNECT_ERROR) ?? namespaceOf(packet.data, DISCONNECT);
    if (ended !== undefined) claims.get(this)!.delete(ended);
  }
  io.engine.on('connection', (conn: EngineConnection) => {
    claims.set(conn, new Set());
    conn.on('packetCreate', onPacketCreate);
  });
}
