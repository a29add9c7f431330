import type { ServerOptions } from 'node:http';
import { REFUSED_ORIGIN_LOGS_PER_MINUTE } from './origins.js';

/** HTTP settings of one server; `server/config.ts` reads them from the environment (README, configuration). */
export interface HttpSettings {
  /** Time to receive a request's headers; a slower client (slowloris) is disconnected. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. Not applied to WebSocket connections once upgraded. */
  requestTimeoutMs: number;
  /** Open TCP connections (HTTP and WebSocket) the server accepts; later ones are closed at once. */
  maxConnections: number;
  /** Bearer token for `/metrics` and the details of `/healthz`; empty disables `/metrics`. */
  metricsToken: string;
  /** CSP `frame-ancestors` sources: who may show the pages in a frame. */
  frameAncestors: readonly string[];
  /** Serve `*.map` files and point to them with a `SourceMap` header; off, source maps are not served. */
  sourceMaps: boolean;
  /** Engine.IO heartbeat: a ping this often, and a connection whose pong does not come this soon is closed. */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** REFUSED_ORIGIN_LOGS_PER_MINUTE: distinct refused origins logged per minute (see origins.ts). */
  refusedOriginLogsPerMinute: number;
}

export const HTTP_DEFAULTS: HttpSettings = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 10_000,
  metricsToken: '',
  frameAncestors: ["'self'"],
  sourceMaps: false,
  pingIntervalMs: 25_000, // Engine.IO's defaults
  pingTimeoutMs: 20_000,
  refusedOriginLogsPerMinute: REFUSED_ORIGIN_LOGS_PER_MINUTE,
};

/**
 * Options for `http.createServer`. Node checks the two timeouts only every `connectionsCheckingInterval`
 * (30 s by default), so a held connection would live up to that much longer; a quarter of the header timeout
 * keeps it within 25 %.
 */
export function serverOptions(settings: HttpSettings): ServerOptions {
  return {
    headersTimeout: settings.headersTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.floor(settings.headersTimeoutMs / 4)),
  };
}
