import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Which browser origins may connect and load the bundle: the server's own, plus `CORS_ORIGINS`.
 * Requests without an Origin header (non-browser clients, same-origin GETs) are not cross-origin.
 */
export function createOriginPolicy(allowed: readonly string[]) {
  const allowList = new Set(allowed);
  return {
    allowList,
    isAllowed(req: IncomingMessage): boolean {
      const origin = req.headers.origin;
      if (origin === undefined) return true;
      if (allowList.has(origin)) return true;
      const host = req.headers.host;
      try {
        return host !== undefined && new URL(origin).host === host;
      } catch {
        return false;
      }
    },
  };
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>;

/**
 * Engine.IO refuses a WebSocket upgrade that `allowRequest` rejects with `400 Bad Request`; the contract says
 * 403, as for polling. This listener runs first and answers 403 for a foreign Origin; Engine.IO's own listener
 * then finds the socket closed and writes nothing.
 */
export function refuseForeignUpgrades(server: Server, origins: OriginPolicy, path = '/socket.io/'): void {
  server.prependListener('upgrade', (req: IncomingMessage, socket: Duplex) => {
    if (!req.url?.startsWith(path) || origins.isAllowed(req)) return;
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });
}
