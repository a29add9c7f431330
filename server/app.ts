import { createServer, type Server as HttpServer } from 'node:http';
import Koa from 'koa';
import { Server } from 'socket.io';
import { registerChat } from './chat/register.js';
import type { ChatNamespace } from './chat/context.js';
import { errorResponder } from './http/errors.js';
import { createOriginPolicy, refuseForeignUpgrades } from './http/origins.js';
import { routes } from './http/routes.js';
import { securityHeaders } from './http/security-headers.js';
import { HTTP_DEFAULTS, type HttpSettings, serverOptions } from './http/settings.js';
import { staticFiles } from './http/static.js';
import { ChatRecoveryAdapter } from './lib/chat-recovery-adapter.js';
import { guardSlowClients } from './lib/backpressure.js';
import { dropHandshakeRequests } from './lib/lean-connections.js';
import { batchWebSocketWrites } from './lib/write-batching.js';
import type { Logger } from './lib/log.js';
import { createMetrics } from './lib/metrics.js';
import { startDemoFeed } from './news/demo-feed.js';
import { NewsFeed, type NewsNamespace } from './news/feed.js';
import { registerNews } from './news/register.js';
import { MAX_PACKET_BYTES, RECOVERY_WINDOW_MS } from './protocol/limits.js';
import type { HistoryStore } from './stores/history.js';
import type { NickRegistry } from './stores/nicks.js';
import type { PresenceRegistry } from './stores/presence.js';

export interface AppDeps {
  log: Logger;
  history: HistoryStore;
  nicks: NickRegistry;
  presence: PresenceRegistry;
  corsOrigins: readonly string[];
  newsTopics: readonly string[];
  /** Demo items per second per topic; 0 turns the demo feed off. */
  newsRate: number;
  /** Bearer token for POST /api/news; empty disables it. */
  newsToken: string;
  /** Folders served as static files: the built client and the pages. */
  webDirs: readonly string[];
  recoveryWindowMs?: number;
  /** Timeouts, connection cap, metrics token, frame-ancestors, source maps; defaults in HTTP_DEFAULTS. */
  http?: Partial<HttpSettings>;
}

export interface App {
  httpServer: HttpServer;
  io: Server;
  feed: NewsFeed;
  /** Stops accepting, disconnects every socket, closes the HTTP server and the stores. */
  close(): Promise<void>;
}

/** The composition root: Koa and Socket.IO on one http.Server, /chat and /news on one connection. */
export function createApp(deps: AppDeps): App {
  const origins = createOriginPolicy(deps.corsOrigins);
  const http = { ...HTTP_DEFAULTS, ...deps.http };
  const koa = new Koa();
  // Errors past errorResponder (e.g. a client aborting a static download) go to our log, not Koa's stderr printer.
  koa.silent = true;
  koa.on('error', (err: Error) => deps.log.debug({ err }, 'http stream error'));
  // koa.callback() composes the middleware when called, so the server gets a handler that looks it up late.
  const httpServer = createServer(serverOptions(http), (req, res) => void handleHttp(req, res));
  httpServer.maxConnections = http.maxConnections;
  refuseForeignUpgrades(httpServer, origins);
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    cors: { origin: [...origins.allowList] },
    // CORS does not cover WebSocket, so the Origin check happens here for both transports.
    allowRequest: (req, callback) => callback(null, origins.isAllowed(req)),
    adapter: ChatRecoveryAdapter,
    connectionStateRecovery: {
      maxDisconnectionDuration: deps.recoveryWindowMs ?? RECOVERY_WINDOW_MS,
      skipMiddlewares: true,
    },
  });
  dropHandshakeRequests(io); // memory per idle connection (issue 5)
  batchWebSocketWrites(io); // one syscall per flush instead of per packet (issue 5)
  const slowClients = guardSlowClients(io); // a client that stops reading is cut, not buffered for without bound
  const chat: ChatNamespace = io.of('/chat');
  const news: NewsNamespace = io.of('/news');
  const feed = new NewsFeed(news, deps.newsTopics);
  const socketCounts = () => ({ chat: chat.sockets.size, news: news.sockets.size, engine: io.engine.clientsCount });
  const metrics = createMetrics(socketCounts);

  koa.use(securityHeaders(http.frameAncestors));
  koa.use(errorResponder(deps.log));
  koa.use(
    routes({
      feed,
      newsToken: deps.newsToken,
      startedAt: Date.now(),
      socketCounts,
      metrics: metrics.registry,
      metricsToken: http.metricsToken,
    }),
  );
  for (const middleware of staticFiles(deps.webDirs, origins, http.sourceMaps)) koa.use(middleware);
  const handleHttp = koa.callback();

  const stopSessions = registerChat(chat, {
    ...deps,
    metrics,
    recoveryWindowMs: deps.recoveryWindowMs ?? RECOVERY_WINDOW_MS,
  });
  registerNews(news, feed, { log: deps.log, metrics });
  const stopFeed = startDemoFeed(feed, deps.newsRate);

  return {
    httpServer,
    io,
    feed,
    async close() {
      stopFeed();
      stopSessions();
      slowClients.stop();
      await new Promise<void>((resolve) => {
        io.close(() => resolve()); // also closes httpServer
        httpServer.closeAllConnections();
      });
      await deps.history.close();
    },
  };
}
