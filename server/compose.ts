import { fileURLToPath } from 'node:url';
import type { AppDeps } from './app.js';
import type { AppStores } from './app-stores.js';
import { composeCluster } from './cluster/compose-cluster.js';
import { type Config, addressBudgetsOf, clientLimitsOf, retentionSweepOf } from './config.js';
import { LocalBus } from './lib/bus.js';
import { chatRecoveryAdapter } from './lib/chat-recovery-adapter.js';
import { RecoveryGate } from './lib/recovery-gate.js';
import { type Logger, createLogger } from './lib/log.js';
import { SingleNode } from './lib/membership.js';
import { memoryLimits } from './lib/rate-limit.js';
import { CachedBans } from './stores/cached-bans.js';
import { type NewsSequence, SqliteNewsSequence } from './stores/news-sequence.js';
import { MemoryNickRegistry } from './stores/nicks.js';
import { type PostgresStores, openPostgres } from './stores/pg-stores.js';
import { MemoryPresence } from './stores/presence.js';
import { MemorySessionStore } from './stores/sessions.js';
import { SqliteDatabase } from './stores/sqlite-database.js';
import { type SqliteStores, openSqlite } from './stores/sqlite-stores.js';

// The composition root: the one place that reads the configuration into parts, and the only importer of the
// cluster (Redis) implementations. main.ts, the tests' helpers and the cluster tests all start from appDeps.

/** A start-up failure that names the setting to fix; main.ts prints it and exits 1. */
export class StoreUnavailableError extends Error {}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** History, bans and the audit log, and SQLite's news sequence: one open database with one migration list (stores/*-database.ts). */
type Database = PostgresStores | SqliteStores;

/** PostgreSQL when DATABASE_URL is set (shared by a cluster), else SQLite in DATA_DIR. */
async function openDatabase(config: Config, log: Logger): Promise<Database> {
  if (config.DATABASE_URL === undefined) {
    try {
      return openSqlite(config.DATA_DIR, {
        busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
        writeTimeoutMs: config.SQLITE_WRITE_TIMEOUT_MS,
      });
    } catch (err) {
      throw new StoreUnavailableError(
        `cannot open the message store in DATA_DIR=${config.DATA_DIR}: ${(err as Error).message}`,
      );
    }
  }
  try {
    return await openPostgres(config.DATABASE_URL, {
      onIdleError: (err) => log.warn({ err }, 'an idle PostgreSQL connection failed'),
    });
  } catch (err) {
    throw new StoreUnavailableError(
      `cannot reach the message store at DATABASE_URL=${redactUrl(config.DATABASE_URL)}: ${(err as Error).message}`,
    );
  }
}

/** SQLite's from the open database; with PostgreSQL (and no Redis) it is still kept in DATA_DIR/chat.db. */
function openNewsSequence(config: Config, database: Database): NewsSequence {
  if ('newsSequence' in database) return database.newsSequence;
  try {
    return new SqliteNewsSequence(
      SqliteDatabase.open(config.DATA_DIR, { busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS }),
    );
  } catch (err) {
    throw new StoreUnavailableError(
      `cannot open the news sequence in DATA_DIR=${config.DATA_DIR}: ${(err as Error).message}`,
    );
  }
}

/** The built client and the pages, beside server/ (or dist/, when bundled). */
const WEB_DIRS = ['dist/web', 'web/public'].map((dir) => fileURLToPath(new URL(`../${dir}`, import.meta.url)));

/**
 * Everything createApp needs, from the configuration: the stores (see composeStores) and the settings.
 * `overrides` replace parts (tests: a logger, limits out of a test's way, a store of their own).
 */
export async function appDeps(config: Config, overrides: Partial<AppDeps> = {}): Promise<AppDeps> {
  const log = overrides.log ?? createLogger(config.LOG_LEVEL);
  const stores = await composeStores(config, log, overrides);
  const closeStores = () => stores.closeStores(); // the composed stores, whatever `overrides` replaced
  return { ...settingsOf(config), ...stores, ...overrides, log, closeStores };
}

function settingsOf(config: Config): Omit<AppDeps, keyof AppStores | 'log'> {
  return {
    nodeId: config.NODE_ID,
    corsOrigins: config.CORS_ORIGINS,
    newsTopics: config.NEWS_TOPICS,
    newsRate: config.NEWS_RATE,
    newsToken: config.NEWS_TOKEN,
    webDirs: WEB_DIRS,
    recoveryWindowMs: config.RECOVERY_WINDOW_MS,
    presenceGraceMs: config.PRESENCE_GRACE_MS,
    authSecret: config.AUTH_SECRET,
    guests: config.GUESTS === 'on',
    adminToken: config.ADMIN_TOKEN,
    clientLimits: clientLimitsOf(config),
    retentionDays: config.RETENTION_DAYS,
    retentionSweep: retentionSweepOf(config),
    presenceCoalesceAbove: config.PRESENCE_COALESCE_ABOVE,
    presenceDeliveriesPerSecond: config.PRESENCE_DELIVERIES_PER_SECOND,
    presenceProcessDeliveriesPerSecond: config.PRESENCE_PROCESS_DELIVERIES_PER_SECOND,
    http: {
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      maxConnections: config.HTTP_MAX_CONNECTIONS,
      metricsToken: config.METRICS_TOKEN,
      frameAncestors: config.FRAME_ANCESTORS,
      sourceMaps: config.SOURCE_MAPS,
      refusedOriginLogsPerMinute: config.REFUSED_ORIGIN_LOGS_PER_MINUTE,
    },
  };
}

/**
 * Builds every stateful part from the configuration: PostgreSQL history, bans and audit log when DATABASE_URL is
 * set, otherwise SQLite in DATA_DIR. Without REDIS_URL the rest is embedded: one process, a cluster of one (the
 * in-process bus, a single node). With REDIS_URL the rest is in Redis (cluster/compose-cluster.ts).
 * A history, bans or audit store in `given` is used instead of the database's.
 */
export async function composeStores(
  config: Config,
  log: Logger,
  given: Partial<Pick<AppStores, 'history' | 'bans' | 'audit'>> = {},
): Promise<AppStores> {
  const database = await openDatabase(config, log);
  const history = given.history ?? database.history;
  const bans = given.bans ?? database.bans;
  const audit = given.audit ?? database.audit;
  const { conversations, readState, userData, reports, retention } = database;
  const closeDatabase = () =>
    Promise.all([history.close(), bans.close(), audit.close(), database.close()]).then(() => undefined);
  if (config.REDIS_URL !== undefined) {
    const settings = {
      redisUrl: config.REDIS_URL,
      nodeId: config.NODE_ID,
      recoveryWindowMs: config.RECOVERY_WINDOW_MS,
      budgets: addressBudgetsOf(config),
      streamMaxLen: config.RECOVERY_STREAM_MAX_LEN,
      leaseMs: config.NODE_LEASE_MS,
    };
    try {
      return await composeCluster(
        settings,
        { history, bans, audit, conversations, readState, userData, reports, retention, close: closeDatabase },
        log,
      );
    } catch (err) {
      await closeDatabase();
      throw new StoreUnavailableError(
        `cannot reach Redis at REDIS_URL=${redactUrl(config.REDIS_URL)}: ${(err as Error).message}`,
      );
    }
  }
  let newsSequence: NewsSequence;
  try {
    newsSequence = openNewsSequence(config, database);
  } catch (err) {
    await closeDatabase();
    throw err;
  }
  const bus = new LocalBus((err, topic) => log.error({ err, topic }, 'a bus message failed'));
  const recoveryGate = new RecoveryGate();
  return {
    history,
    bans: new CachedBans(bans, bus),
    audit,
    conversations,
    readState,
    userData,
    reports,
    retention,
    nicks: new MemoryNickRegistry(),
    presence: new MemoryPresence(),
    sessions: new MemorySessionStore(), // in this process already: a cache in front would only hold a second copy
    newsSequence,
    limits: memoryLimits(addressBudgetsOf(config)),
    adapter: chatRecoveryAdapter(config.RECOVERY_BUFFER_BYTES, recoveryGate),
    recoveryGate,
    bus,
    membership: new SingleNode(config.NODE_ID),
    async closeStores() {
      await Promise.all([closeDatabase(), newsSequence.close()]);
    },
  };
}
