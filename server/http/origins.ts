import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../lib/log.js';

/** Default of REFUSED_ORIGIN_LOGS_PER_MINUTE: distinct refused origins logged per minute. */
export const REFUSED_ORIGIN_LOGS_PER_MINUTE = 20;
const MINUTE_MS = 60_000;

/**
 * A `warn` line for each origin refused, once per origin and minute: a page whose origin is missing from
 * CORS_ORIGINS shows a blank widget, and only the server can tell its owner why. At most `perMinute` distinct
 * origins a minute are logged (then one line saying more were refused), so made-up Origin headers cannot
 * flood the log; what is remembered is bounded the same way.
 */
function refusalReporter(log: Logger | undefined, allowed: readonly string[], perMinute: number) {
  let windowStart = 0;
  const logged = new Set<string>();
  let overflowed = false;
  return (origin: string, path: string | undefined): void => {
    if (!log || perMinute === 0) return;
    const now = Date.now();
    if (now - windowStart >= MINUTE_MS) {
      windowStart = now;
      logged.clear();
      overflowed = false;
    }
    if (logged.has(origin)) return;
    if (logged.size >= perMinute) {
      if (!overflowed) log.warn({ perMinute }, 'more origins were refused this minute; not logged one by one');
      overflowed = true;
      return;
    }
    logged.add(origin);
    const allowedOrigins = allowed.length === 0 ? ['(own origin only)'] : allowed;
    log.warn(
      { origin, path, allowedOrigins },
      `refused a page from ${origin}: add it to CORS_ORIGINS to embed the chat`,
    );
  };
}

export interface OriginPolicyOptions {
  /** Where refused origins are reported (see refusalReporter); none in tests that do not ask. */
  log?: Logger | undefined;
  /** REFUSED_ORIGIN_LOGS_PER_MINUTE. */
  refusedLogsPerMinute?: number | undefined;
}

/**
 * Which browser origins may connect and load the bundle: the server's own, plus `CORS_ORIGINS`.
 * Requests without an Origin header (non-browser clients, same-origin GETs) are not cross-origin.
 */
export function createOriginPolicy(allowed: readonly string[], options: OriginPolicyOptions = {}) {
  const allowList = new Set(allowed);
  const report = refusalReporter(options.log, allowed, options.refusedLogsPerMinute ?? REFUSED_ORIGIN_LOGS_PER_MINUTE);
  const sameHost = (origin: string, host: string | undefined) => {
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      return false;
    }
  };
  return {
    allowList,
    /** Whether the request's origin may connect or load the bundle; a refusal is reported (logged). */
    isAllowed(req: IncomingMessage): boolean {
      const origin = req.headers.origin;
      if (origin === undefined) return true;
      if (allowList.has(origin) || sameHost(origin, req.headers.host)) return true;
      report(origin, req.url?.split('?')[0]);
      return false;
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
