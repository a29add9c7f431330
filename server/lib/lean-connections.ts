import type { Server } from 'socket.io';
import type { EngineConnection, EngineRequest } from './engine-internals.js';

/**
 * Frees what each Engine.IO connection keeps of the HTTP request that opened it (recipe from
 * https://socket.io/docs/v4/memory-usage/): Engine.IO holds the request as `conn.request` for the
 * connection's lifetime, and for a WebSocket also from a `close` listener on the TCP socket (engine.io's
 * WebSocketResponse), so the headers are emptied as well as the reference dropped. The product reads the
 * request only while connecting (`allowRequest`); `socket.handshake` is built at namespace connect, and of
 * it only `auth` is used, which comes from the CONNECT packet. Listeners run in order and Socket.IO's own
 * comes first, so Socket.IO has seen the request by then.
 */
export function dropHandshakeRequests(io: Server): void {
  io.engine.on('connection', (conn: EngineConnection) => {
    const req = conn.request as EngineRequest | null;
    (conn as { request: EngineRequest | null }).request = null;
    if (!req) return;
    req.headers = {};
    req.rawHeaders = [];
    req._query = undefined; // engine.io's parsed query string
    req.websocket = undefined; // the `ws` socket; engine.io's transport holds it
  });
}
