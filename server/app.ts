import { createServer, type Server as HttpServer } from 'node:http';
import Koa from 'koa';
import { Server } from 'socket.io';
import { PresenceAnnouncer } from './chat/presence-announcer.js';
import { RoomRetention } from './chat/retention.js';
import { RETENTION_SWEEP_DEFAULTS, type RetentionSweepSettings, startRetentionSweep } from './chat/retention-sweep.js';
import { registerChat } from './chat/register.js';
import { createAuthenticator } from './chat/signed-identity.js';
import type { ChatNamespace } from './chat/chat-socket.js';
import { errorResponder } from './http/errors.js';
import { createOriginPolicy, refuseForeignUpgrades } from './http/origins.js';
import { routes } from './http/routes.js';
import { securityHeaders } from './http/security-headers.js';
import { HTTP_DEFAULTS, type HttpSettings, serverOptions } from './http/settings.js';
import { staticFiles } from './http/static.js';
import { randomToken } from './lib/random-token.js';
import { AddressConnections, refuseUpgrade } from './lib/address-connections.js';
import { ConnectionHooks } from './lib/connection-hooks.js';
import { dropDeadPeers, guardSlowClients } from './lib/backpressure.js';
import { recordClientAddresses } from './lib/client-address.js';
import { CLIENT_LIMIT_DEFAULTS, type ClientLimits } from './lib/client-limits.js';
import { limitPackets } from './lib/packet-budget.js';
import { oneSocketPerNamespace } from './lib/one-socket-per-namespace.js';
import { warnOnMissingInternals } from './lib/engine-internals.js';
import { dropHandshakeRequests } from './lib/lean-connections.js';
import { batchWebSocketWrites } from './lib/write-batching.js';
import type { Logger } from './lib/log.js';
import { createMetrics } from './lib/metrics.js';
import { NodeReports, nodeReport } from './lib/node-reports.js';
import { publicRoomsInUse } from './chat/rooms.js';
import { startDemoFeed } from './news/demo-feed.js';
import { NewsFeed, type NewsNamespace } from './news/feed.js';
import { registerNews } from './news/register.js';
import { stepDownWhenPresumedDead } from './lib/step-down.js';
import { MAX_PACKET_BYTES } from './protocol/limits.js';
import type { AppStores } from './app-stores.js';

export interface AppDeps extends AppStores {
  log: Logger;
  /** This process's id in the owners of nick claims, presence entries and session sockets (NODE_ID). */
  nodeId: string;
  corsOrigins: readonly string[];
  newsTopics: readonly string[];
  /** Demo items per second per topic; 0 turns the demo feed off. */
  newsRate: number;
  /** Bearer token for POST /api/news; empty disables it. */
  newsToken: string;
  /** Folders served as static files: the built client and the pages. */
  webDirs: readonly string[];
  /** How long a cut connection keeps its session, nick and missed messages. */
  recoveryWindowMs: number;
  /** How long a departed socket stays in presence, and a cleanly disconnected session lives (PRESENCE_GRACE_MS). */
  presenceGraceMs?: number;
  /** Rooms with more members get `presence:batch` once a second (PRESENCE_COALESCE_ABOVE). */
  presenceCoalesceAbove?: number;
  /** A room whose presence reaches more sockets in a second is batched too (PRESENCE_DELIVERIES_PER_SECOND). */
  presenceDeliveriesPerSecond?: number;
  /** Past this many presence deliveries a second in all rooms, every change is batched (PRESENCE_PROCESS_…). */
  presenceProcessDeliveriesPerSecond?: number;
  /** Tests: deliveries per event-loop turn when presence goes to many rooms (PRESENCE_DELIVERIES_PER_TURN, 250). */
  presenceDeliveriesPerTurn?: number;
  /** How often expired sessions are swept (default 1 s). */
  sessionSweepMs?: number;
  /** AUTH_SECRET: the HS256 key of the host site's tokens (signed identity); undefined turns it off. */
  authSecret?: string | undefined;
  /** GUESTS: whether visitors without a signed identity may chat (default true). */
  guests?: boolean;
  /** ADMIN_TOKEN: bearer token of the HTTP admin API (`/api/admin/…`); empty or undefined disables it. */
  adminToken?: string;
  /** Timeouts, connection cap, metrics token, frame-ancestors, source maps; defaults in HTTP_DEFAULTS. */
  http?: Partial<HttpSettings>;
  /** RETENTION_DAYS: how long messages of rooms without an override are kept; 0 (default) = forever. */
  retentionDays?: number;
  /** How often the retention sweep runs, and its batches; RETENTION_SWEEP_DEFAULTS. */
  retentionSweep?: Partial<RetentionSweepSettings>;
  /** Sockets and rooms per session, connections per address, packets per connection; CLIENT_LIMIT_DEFAULTS. */
  clientLimits?: Partial<ClientLimits>;
}

export interface App {
  httpServer: HttpServer;
  io: Server;
  feed: NewsFeed;
  /** Resolves when the app can serve: this node is a member (see Membership.start). */
  ready: Promise<void>;
  /** Stops accepting, disconnects every socket, closes the HTTP server, the history and the news sequence. */
  close(): Promise<void>;
}

/** A node id as the start of an Engine.IO session id (`<prefix>.<random>`): URL-safe, no dot. */
export const sessionIdPrefix = (nodeId: string): string => nodeId.replace(/[^A-Za-z0-9_-]/g, '-');

/** Koa and Socket.IO on one http.Server, /chat and /news on one connection, from parts built by compose.ts. */
export function createApp(deps: AppDeps): App {
  const { membership } = deps;
  const http = { ...HTTP_DEFAULTS, ...deps.http };
  const origins = createOriginPolicy(deps.corsOrigins, {
    log: deps.log,
    refusedLogsPerMinute: http.refusedOriginLogsPerMinute,
  });
  const koa = new Koa();
  // Errors past errorResponder (e.g. a client aborting a static download) go to our log, not Koa's stderr printer.
  koa.silent = true;
  koa.on('error', (err: Error) => deps.log.debug({ err }, 'http stream error'));
  // koa.callback() composes the middleware when called, so the server gets a handler that looks it up late.
  const httpServer = createServer(serverOptions(http), (req, res) => void handleHttp(req, res));
  httpServer.maxConnections = http.maxConnections;
  refuseForeignUpgrades(httpServer, origins);
  const clientLimits = { ...CLIENT_LIMIT_DEFAULTS, ...deps.clientLimits };
  const connections = new AddressConnections(
    clientLimits.maxConnectionsPerAddress,
    clientLimits.trustedProxies,
    deps.addressCounts,
    (err) => deps.log.warn({ err }, 'counting connections on every node failed'),
  );
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    pingInterval: http.pingIntervalMs,
    pingTimeout: http.pingTimeoutMs,
    cors: { origin: [...origins.allowList] },
    // CORS does not cover WebSocket, so the Origin check happens here for both transports.
    allowRequest: (req, callback) => {
      if (!origins.isAllowed(req)) return callback(null, false);
      connections.admits(req).then(
        (admitted) => {
          if (admitted) return callback(null, true);
          if (req.headers.upgrade !== undefined) refuseUpgrade(req.socket);
          callback('LIMIT_EXCEEDED', false); // the message of the polling 403 body
        },
        (err: unknown) => {
          deps.log.error({ err }, 'checking a handshake failed');
          callback(null, false);
        },
      );
    },
    adapter: deps.adapter,
    connectionStateRecovery: {
      maxDisconnectionDuration: deps.recoveryWindowMs,
      skipMiddlewares: true,
    },
  });
  // The Engine.IO session id starts with the node, so a balancer in front of several can route polling by `sid`.
  io.engine.generateId = () => `${sessionIdPrefix(deps.nodeId)}.${randomToken(15)}`;
  // A dozen guards below each watch new connections: more `connection` listeners than Node's leak warning expects.
  io.engine.setMaxListeners(20);
  const hooks = new ConnectionHooks(io); // one `packet` and one `close` listener per connection for the guards
  warnOnMissingInternals(io, deps.log); // the next three rely on private engine.io/ws fields
  // These two read the handshake request, so they come before dropHandshakeRequests empties it.
  recordClientAddresses(io, clientLimits.trustedProxies);
  connections.track(io, hooks);
  dropHandshakeRequests(io); // memory per idle connection (issue 5)
  batchWebSocketWrites(io); // one syscall per flush instead of per packet (issue 5)
  const slowClients = guardSlowClients(io); // a client that stops reading is cut, not buffered for without bound
  dropDeadPeers(hooks);
  stepDownWhenPresumedDead(io, hooks, membership);
  const chat = io.of('/chat') as ChatNamespace;
  const announcer = new PresenceAnnouncer(chat, {
    coalesceAbove: deps.presenceCoalesceAbove,
    deliveriesPerSecond: deps.presenceDeliveriesPerSecond,
    processDeliveriesPerSecond: deps.presenceProcessDeliveriesPerSecond,
    deliveriesPerTurn: deps.presenceDeliveriesPerTurn,
  });
  const news = io.of('/news') as NewsNamespace;
  const packets = { perSecond: clientLimits.packetsPerSecond, burst: clientLimits.packetBurst };
  limitPackets(io, hooks, [chat, news, io.of('/')], packets, () =>
    deps.log.info('a connection over its packet budget was cut'),
  );
  oneSocketPerNamespace(io, hooks, () =>
    deps.log.debug('a second CONNECT for a namespace on one connection was dropped'),
  );
  const roomRetention = new RoomRetention(deps.retention, deps.bus, deps.retentionDays ?? 0, deps.log);
  const feed = new NewsFeed(news, deps.newsTopics, deps.newsSequence, deps.bus);
  const socketCounts = () => ({ chat: chat.sockets.size, news: news.sockets.size, engine: io.engine.clientsCount });
  const metrics = createMetrics(socketCounts);
  const ownReport = () =>
    nodeReport({
      health: membership.health(),
      storage: deps.history.health(),
      sockets: socketCounts(),
      messagesPerMinute: metrics.recentMessages.total(),
    });
  const onReportError = (err: unknown) => deps.log.warn({ err }, "publishing this node's report failed");
  const nodeReports = new NodeReports(deps.bus, membership.nodeId, ownReport, onReportError);
  const authenticator = deps.authSecret === undefined ? undefined : createAuthenticator(deps.authSecret);

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
      health: () => membership.health(),
      admin: { token: deps.adminToken ?? '', moderation: { ...deps, nsp: chat, announcer }, audit: deps.audit },
      users: { ...deps, nsp: chat, sessionToken: authenticator && ((sub: string) => authenticator.sessionToken(sub)) },
      storage: () => deps.history.health(),
      roomRetention,
      trustedProxies: clientLimits.trustedProxies,
      console: {
        nodes: nodeReports,
        rooms: () => publicRoomsInUse(deps),
        retentionDays: (room) => roomRetention.days(room),
      },
      authenticator,
    }),
  );
  for (const middleware of staticFiles(deps.webDirs, origins, http.sourceMaps)) koa.use(middleware);
  const handleHttp = koa.callback();

  const chatDeps = { ...deps, metrics, authenticator, clientLimits, announcer, roomRetention };
  const stopSessions = registerChat(chat, chatDeps);
  registerNews(news, feed, { log: deps.log, metrics }, deps.limits.news);
  const onFeedError = (err: unknown) => deps.log.error({ err }, 'demo news item failed');
  // One node of a deployment runs the demo feed: the one holding its lease (the only one, in one process).
  const leadsDemoFeed = deps.newsRate > 0 ? membership.lead('demo-feed') : () => false;
  const stopFeed = startDemoFeed(feed, deps.newsRate, onFeedError, leadsDemoFeed);
  // One node of a deployment purges (the holder of its lease); every node re-reads the overrides at each sweep.
  const stopSweep = startRetentionSweep(
    { retention: roomRetention, store: deps.retention, leads: membership.lead('retention'), log: deps.log },
    { ...RETENTION_SWEEP_DEFAULTS, ...deps.retentionSweep },
  );
  const ready = Promise.all([membership.start(), roomRetention.ready()]).then(() => undefined);
  nodeReports.start();

  return {
    httpServer,
    io,
    feed,
    ready,
    async close() {
      stopFeed();
      await nodeReports.stop();
      slowClients.stop();
      await stopSweep();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve()); // also closes httpServer; resolves through the callback
        httpServer.closeAllConnections();
      });
      await stopSessions();
      announcer.stop();
      await membership.close();
      await deps.closeStores();
    },
  };
}
