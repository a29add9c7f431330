import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import type { Namespace, ServerOptions } from 'socket.io';
import { Adapter } from 'socket.io-adapter';
import type { AppStores } from '../app.js';
import type { Logger } from '../lib/log.js';
import type { BanStore } from '../stores/bans.js';
import { CachedBans } from '../stores/cached-bans.js';
import { type Budgets, redisLimits } from '../lib/rate-limit.js';
import type { HistoryStore } from '../stores/history.js';
import { RedisNewsSequence } from '../stores/redis/news-sequence.js';
import { RedisNickRegistry } from '../stores/redis/nicks.js';
import { RedisPresence } from '../stores/redis/presence.js';
import { RedisSessionStore } from '../stores/redis/sessions.js';
import { RedisAddressCounts } from '../stores/redis/address-connections.js';
import { ClusterNode } from './cluster-node.js';
import { RedisRelay } from './relay.js';
import { RememberedSessions } from './remembered-sessions.js';
import { LiveSockets } from './live-sockets.js';
import { SESSION_KEY_PREFIX, SessionRecords } from './session-records.js';

/** Every key this app writes to Redis starts with it (the adapter's session records aside: `sio:session:`). */
export const KEY_PREFIX = 'parley:';

/**
 * Default of RECOVERY_STREAM_MAX_LEN: the /chat broadcasts the Redis stream keeps (XADD MAXLEN ~, so about this
 * many), shared by all nodes. What bounds Redis memory for recovery, as RECOVERY_BUFFER_BYTES does in one process.
 */
export const RECOVERY_STREAM_MAX_LEN = 10_000;

export interface ClusterSettings {
  redisUrl: string;
  nodeId: string;
  recoveryWindowMs: number;
  /** Replaces budgets of the contract's defaults (REQUESTS_PER_ADDRESS; tests). */
  budgets?: Budgets;
  /** Broadcasts the stream keeps (RECOVERY_STREAM_MAX_LEN). */
  streamMaxLen?: number;
  /** NODE_LEASE_MS: how long a node's lease lasts without renewal (default LEASE_TTL_MS). */
  leaseMs?: number;
}

/**
 * Commands fail at once while Redis is unreachable (no offline queue), so a request answers INTERNAL instead
 * of waiting or being granted locally; ioredis keeps reconnecting every second at most.
 */
const COMMANDS: RedisOptions = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  connectTimeout: 2000,
  commandTimeout: 3000,
  retryStrategy: (times) => Math.min(times * 100, 1000),
};

async function connected(redis: Redis, url: string): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis at ${url} did not answer within 5 s`)), 5000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The adapter of every namespace: `/chat` goes through the Redis stream (every node sees every broadcast, and
 * connection state recovery works across nodes); `/news` keeps the in-memory adapter, its items go over the
 * relay instead. A /chat socket's session record is written ahead whenever its rooms change, and restored only
 * once its socket is gone.
 */
function clusterAdapter(
  redis: Redis,
  records: SessionRecords,
  liveSockets: LiveSockets,
  maxLen: number,
): NonNullable<ServerOptions['adapter']> {
  const streams = createAdapter(redis, {
    streamName: `${KEY_PREFIX}stream`,
    maxLen,
    channelPrefix: `${KEY_PREFIX}sio`,
    sessionKeyPrefix: SESSION_KEY_PREFIX,
    blockTimeInMs: 1000,
  });
  return function adapterFor(nsp: Namespace) {
    if (nsp.name !== '/chat') return new Adapter(nsp);
    const adapter = streams(nsp) as Adapter;
    liveSockets.attach(nsp);
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset) => {
      // A rejection makes Socket.IO give the client a new connection, as for an unknown session.
      if (await liveSockets.isConnected(pid)) throw new Error('session not recovered: its socket is connected');
      return restore(pid, offset);
    };
    const touch = (id: string) => {
      const socket = nsp.sockets.get(id);
      if (socket) records.touch(socket);
    };
    const [addAll, del] = [adapter.addAll.bind(adapter), adapter.del.bind(adapter)];
    adapter.addAll = (id, rooms) => {
      const done = addAll(id, rooms);
      touch(id);
      return done;
    };
    adapter.del = (id, room) => {
      const done = del(id, room);
      touch(id);
      return done;
    };
    return adapter;
  };
}

/**
 * Redis-backed stores, the stream adapter and this node; history and bans are the caller's (PostgreSQL, shared
 * by every node). Each node caches bans and tells the others over the relay when it changes one, so a ban issued
 * on one node holds on all at once.
 */
export async function composeCluster(
  settings: ClusterSettings,
  history: HistoryStore,
  sharedBans: BanStore,
  log: Logger,
): Promise<Omit<AppStores, 'history'>> {
  const redis = new Redis(settings.redisUrl, COMMANDS);
  let lastError = '';
  redis.on('error', (err: Error) => {
    if (err.message !== lastError) log.warn({ err }, 'Redis connection failed');
    lastError = err.message;
  });
  redis.on('ready', () => (lastError = ''));
  // The relay's subscriber blocks a connection; the adapter duplicates its own for reading the stream. Both
  // queue while Redis is away: the adapter retries its reads at once, which would spin without a queue.
  const queueing = { ...COMMANDS, enableOfflineQueue: true, commandTimeout: undefined };
  const subscriber = new Redis(settings.redisUrl, queueing);
  const adapterClient = new Redis(settings.redisUrl, queueing);
  for (const client of [subscriber, adapterClient]) client.on('error', () => undefined); // reported by `redis`
  const disconnect = async () => {
    const ready = [redis, subscriber, adapterClient].filter((client) => client.status === 'ready');
    await Promise.all(ready.map((client) => client.quit().catch(() => undefined)));
    for (const client of [redis, subscriber, adapterClient]) client.disconnect();
  };
  try {
    // The subscriber must be ready before it subscribes: ioredis writes SUBSCRIBE while still connecting, then
    // its ready check (INFO) fails in subscriber mode and the reconnect loses the subscription; that node
    // would never deliver relayed news or typing.
    await Promise.all([connected(redis, settings.redisUrl), connected(subscriber, settings.redisUrl)]);
  } catch (err) {
    await disconnect();
    throw err;
  }
  const redisSessions = new RedisSessionStore(redis, KEY_PREFIX);
  const sessions = new RememberedSessions(redisSessions);
  const nicks = new RedisNickRegistry(redis, KEY_PREFIX, true);
  const presence = new RedisPresence(redis, KEY_PREFIX);
  const records = new SessionRecords(redis, settings.recoveryWindowMs, settings.nodeId, log);
  const relay = new RedisRelay(redis, subscriber, `${KEY_PREFIX}relay`, log);
  const liveSockets = new LiveSockets(redis, relay, settings.nodeId);
  const addressCounts = new RedisAddressCounts(redis, KEY_PREFIX, settings.nodeId);
  const bans = new CachedBans(sharedBans, (room, nickKey) => relay.publish({ kind: 'ban', change: { room, nickKey } }));
  const cluster = new ClusterNode({
    ...{ redis, prefix: KEY_PREFIX, nodeId: settings.nodeId, log, relay, records, liveSockets, addressCounts },
    ...{ nicks, presence, sessions, redisSessions, history, bans, recoveryWindowMs: settings.recoveryWindowMs },
    leaseMs: settings.leaseMs,
    disconnect,
  });
  return {
    bans,
    nicks,
    presence,
    sessions,
    newsSequence: new RedisNewsSequence(redis, KEY_PREFIX),
    limits: redisLimits(redis, KEY_PREFIX, settings.budgets),
    adapter: clusterAdapter(adapterClient, records, liveSockets, settings.streamMaxLen ?? RECOVERY_STREAM_MAX_LEN),
    cluster,
    addressCounts,
  };
}
