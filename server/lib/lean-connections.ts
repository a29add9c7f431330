import type { Server } from 'socket.io';

/**
 * Frees the HTTP request that opened each Engine.IO connection once it is open. Engine.IO keeps it for the
 * connection's lifetime (with its headers and parser state); the product reads it only while connecting
 * (`allowRequest`, and `socket.handshake` built at namespace connect, of which only `auth` is used, and `auth`
 * comes from the CONNECT packet, not the request). Recipe from https://socket.io/docs/v4/memory-usage/.
 * Listeners run in order and Socket.IO's own comes first, so Socket.IO has seen the request by then.
 */
export function dropHandshakeRequests(io: Server): void {
  io.engine.on('connection', (conn: { request: unknown }) => {
    conn.request = null;
  });
}
