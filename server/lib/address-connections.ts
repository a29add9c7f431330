import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server } from 'socket.io';
import { clientAddress } from './client-address.js';
import type { EngineConnection } from './engine-internals.js';

/** What a refused handshake answers, on both transports: Engine.IO's error JSON (code 4 is its "Forbidden"). */
export const LIMIT_EXCEEDED_BODY = JSON.stringify({ code: 4, message: 'LIMIT_EXCEEDED' });

/**
 * Caps the Engine.IO connections of one client address on this process (MAX_CONNECTIONS_PER_IP). A handshake
 * over the cap is refused with 403 and LIMIT_EXCEEDED_BODY: by `allowRequest` for polling (Engine.IO answers
 * it), and by an `upgrade` listener for WebSocket, since Engine.IO's own WebSocket refusal is a 400.
 */
export class AddressConnections {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly trustedProxies: number,
  ) {}

  /** For `allowRequest`: true while the request's address is under the cap. */
  allows(req: IncomingMessage): boolean {
    return (this.open.get(clientAddress(req, this.trustedProxies)) ?? 0) < this.max;
  }

  /**
   * Counts each connection from its handshake to its close. Handshakes that passed `allows` at the same time
   * can overshoot (Engine.IO awaits between the check and the connection): those are closed at once.
   */
  track(io: Server, httpServer: HttpServer, path = '/socket.io/'): void {
    io.engine.on('connection', (conn: EngineConnection) => {
      if (!conn.request) return;
      const address = clientAddress(conn.request, this.trustedProxies);
      const count = (this.open.get(address) ?? 0) + 1;
      this.open.set(address, count);
      conn.once('close', () => {
        const left = (this.open.get(address) ?? 1) - 1;
        if (left > 0) this.open.set(address, left);
        else this.open.delete(address);
      });
      if (count > this.max) conn.close();
    });
    httpServer.prependListener('upgrade', (req: IncomingMessage, socket: Duplex) => {
      // A WebSocket that upgrades a polling connection (it carries `sid`) is not a new connection.
      if (!req.url?.startsWith(path) || new URL(req.url, 'http://x').searchParams.has('sid')) return;
      if (this.allows(req)) return;
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\n' +
          `Content-Length: ${Buffer.byteLength(LIMIT_EXCEEDED_BODY)}\r\n\r\n${LIMIT_EXCEEDED_BODY}`,
      );
      socket.destroy();
    });
  }
}
