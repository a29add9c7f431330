import { Redis, type RedisOptions } from 'ioredis';
import type { AppStores } from '../app-stores.js';
import type { Logger } from '../lib/log.js';
import type { AuditLog } from '../stores/audit.js';
import type { BanStore } from '../stores/bans.js';
import { CachedBans } from '../stores/cached-bans.js';
import { CachedSessions } from '../stores/cached-sessions.js';
import type { Budgets } from '../lib/rate-limit.js';
import type { HistoryStore } from '../stores/history.js';
import type { NewsSequence } from '../stores/news-sequence.js';
import { RedisAddressCounts } from '../stores/redis/address-connections.js';
import { RedisNewsSequence } from '../stores/redis/news-sequence.js';
import { RedisNickRegistry } from '../stores/redis/nicks.js';
import { RedisPresence } from '../stores/redis/presence.js';
import { redisLimits } from '../stores/redis/rate-limits.js';
import { RedisSessionStore } from '../stores/redis/sessions.js';
import { clusterAdapter } from './cluster-adapter.js';
import { RecoveryGate } from '../lib/recovery-gate.js';
import type { ConversationStore } from '../stores/conversations.js';
import type { ReadStateStore } from '../stores/read-state.js';
import type { UserDataStore } from '../stores/user-data.js';
import type { ReportStore } from '../stores/reports.js';
import type { RetentionStore } from '../stores/retention.js';
import { RECOVERY_STREAM_MAX_LEN } from './defaults.js';
import { LeasedNodes } from './leased-nodes.js';
import { LiveSockets } from './live-sockets.js';
import { RedisBus } from './redis-bus.js';
import { SessionRecords } from './session-records.js';

/** Every key this app writes to Redis starts with it (the adapter's session records aside: `sio:session:`). */
const KEY_PREFIX = 'parley:';

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

/** What a cluster shares through PostgreSQL: opened by the caller, closed with the rest. */
export interface SharedDatabase {
  history: HistoryStore;
  bans: BanStore;
  audit: AuditLog;
  conversations: ConversationStore;
  readState: ReadStateStore;
  userData: UserDataStore;
  reports: ReportStore;
  retention: RetentionStore;
  /** Closes the six, and the connection pool behind them. */
  close(): Promise<void>;
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

/** The three connections of a node: commands, the bus's subscriber, the adapter's stream reader. */
async function connectRedis(url: string, log: Logger) {
  const redis = new Redis(url, COMMANDS);
  let lastError = '';
  redis.on('error', (err: Error) => {
    if (err.message !== lastError) log.warn({ err }, 'Redis connection failed');
    lastError = err.message;
  });
  redis.on('ready', () => (lastError = ''));
  // The subscriber blocks a connection; the adapter duplicates its own for reading the stream. Both queue while
  // Redis is away: the adapter retries its reads at once, which would spin without a queue.
  const queueing = { ...COMMANDS, enableOfflineQueue: true, commandTimeout: undefined };
  const subscriber = new Redis(url, queueing);
  const adapterClient = new Redis(url, queueing);
  for (const client of [subscriber, adapterClient]) client.on('error', () => undefined); // reported by `redis`
  const clients = [redis, subscriber, adapterClient];
  const disconnect = async () => {
    const ready = clients.filter((client) => client.status === 'ready');
    await Promise.all(ready.map((client) => client.quit().catch(() => undefined)));
    for (const client of clients) client.disconnect();
  };
  try {
    await Promise.all([connected(redis, url), connected(subscriber, url)]);
  } catch (err) {
    await disconnect();
    throw err;
  }
  return { redis, subscriber, adapterClient, disconnect };
}

/**
 * The stores of a cluster node: Redis for what nodes share live (nicks, sessions, presence, news sequence,
 * budgets, connection counts, the /chat adapter's stream), the bus over Redis pub/sub, membership by leases.
 * Each node caches bans and its own sockets' sessions, told of the other nodes' changes over the bus.
 */
export async function composeCluster(
  settings: ClusterSettings,
  shared: SharedDatabase,
  log: Logger,
): Promise<AppStores> {
  const { redis, subscriber, adapterClient, disconnect } = await connectRedis(settings.redisUrl, log);
  const { nodeId, recoveryWindowMs } = settings;
  const onError = (err: unknown) => log.warn({ err }, 'a cluster task failed');
  const bus = await RedisBus.open(redis, subscriber, `${KEY_PREFIX}bus`, log).catch(async (err: unknown) => {
    await disconnect();
    throw err;
  });
  const membership = new LeasedNodes({
    ...{ redis, prefix: KEY_PREFIX, nodeId, log, leaseMs: settings.leaseMs },
    probes: { postgres: () => shared.history.latest('', 1) },
  });
  const records = new SessionRecords(redis, recoveryWindowMs, nodeId, log);
  const liveSockets = new LiveSockets(redis, bus, nodeId, onError);
  const newsSequence: NewsSequence = new RedisNewsSequence(redis, KEY_PREFIX);
  const recoveryGate = new RecoveryGate();
  return {
    history: shared.history,
    bans: new CachedBans(shared.bans, bus),
    audit: shared.audit,
    conversations: shared.conversations,
    readState: shared.readState,
    userData: shared.userData,
    reports: shared.reports,
    retention: shared.retention,
    nicks: new RedisNickRegistry(redis, KEY_PREFIX, true),
    presence: new RedisPresence(redis, KEY_PREFIX),
    sessions: new CachedSessions(new RedisSessionStore(redis, KEY_PREFIX), bus, nodeId),
    newsSequence,
    limits: redisLimits(redis, KEY_PREFIX, settings.budgets),
    adapter: clusterAdapter({
      ...{ redis: adapterClient, prefix: KEY_PREFIX, records, liveSockets, membership, recoveryWindowMs, onError },
      recoveryGate,
      maxLen: settings.streamMaxLen ?? RECOVERY_STREAM_MAX_LEN,
    }),
    recoveryGate,
    bus,
    membership,
    addressCounts: new RedisAddressCounts(redis, KEY_PREFIX, nodeId, membership),
    async closeStores() {
      await bus.close();
      await Promise.all([shared.close(), newsSequence.close()]);
      await disconnect();
    },
  };
}
