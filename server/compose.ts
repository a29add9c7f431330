import type { AppStores } from './app.js';
import { composeCluster } from './cluster/compose-cluster.js';
import { type Config, addressBudgetsOf } from './config.js';
import { chatRecoveryAdapter } from './lib/chat-recovery-adapter.js';
import type { Logger } from './lib/log.js';
import type { BanStore } from './stores/bans.js';
import { memoryLimits } from './lib/rate-limit.js';
import type { HistoryStore } from './stores/history.js';
import { CachedBans } from './stores/cached-bans.js';
import { type NewsSequence, SqliteNewsSequence } from './stores/news-sequence.js';
import { MemoryNickRegistry } from './stores/nicks.js';
import { type PostgresStores, openPostgres } from './stores/pg-database.js';
import { MemoryPresence } from './stores/presence.js';
import { MemorySessionStore } from './stores/sessions.js';
import { SqliteDatabase, type SqliteStores, openSqlite } from './stores/sqlite-database.js';

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

/**
 * The database openHistory opened for this configuration (one pg Pool, or one SQLite connection), from which
 * openBans and the news sequence take their stores; composeStores calls openHistory first.
 */
const opened = new WeakMap<Config, PostgresStores | SqliteStores>();

function openedFor(config: Config): PostgresStores | SqliteStores {
  const stores = opened.get(config);
  if (!stores) throw new Error('the database is not open (openHistory comes first)');
  return stores;
}

async function openHistory(config: Config, log: Logger): Promise<HistoryStore> {
  if (config.DATABASE_URL === undefined) {
    try {
      const stores = openSqlite(config.DATA_DIR, {
        busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
        writeTimeoutMs: config.SQLITE_WRITE_TIMEOUT_MS,
      });
      opened.set(config, stores);
      return stores.history;
    } catch (err) {
      throw new StoreUnavailableError(
        `cannot open the message store in DATA_DIR=${config.DATA_DIR}: ${(err as Error).message}`,
      );
    }
  }
  try {
    const stores = await openPostgres(config.DATABASE_URL, {
      onIdleError: (err) => log.warn({ err }, 'an idle PostgreSQL connection failed'),
    });
    opened.set(config, stores);
    return stores.history;
  } catch (err) {
    throw new StoreUnavailableError(
      `cannot reach the message store at DATABASE_URL=${redactUrl(config.DATABASE_URL)}: ${(err as Error).message}`,
    );
  }
}

/** Bans go where the history goes: PostgreSQL when DATABASE_URL is set (shared by a cluster), else DATA_DIR. */
function openBans(config: Config, _log: Logger): Promise<BanStore> {
  if (config.DATABASE_URL === undefined) {
    try {
      // One process holds the file: its own bans and unbans are the only changes, so the cache is never stale.
      return Promise.resolve(new CachedBans(openedFor(config).bans));
    } catch (err) {
      throw new StoreUnavailableError(
        `cannot open the ban store in DATA_DIR=${config.DATA_DIR}: ${(err as Error).message}`,
      );
    }
  }
  try {
    const shared = openedFor(config).bans;
    // One process: never stale, as above. In cluster mode composeCluster puts its own cache, told of the other
    // nodes' changes over the relay, in front of the shared store instead.
    return Promise.resolve(config.REDIS_URL === undefined ? new CachedBans(shared) : shared);
  } catch (err) {
    throw new StoreUnavailableError(
      `cannot reach the ban store at DATABASE_URL=${redactUrl(config.DATABASE_URL)}: ${(err as Error).message}`,
    );
  }
}

/** SQLite's from the open database; with PostgreSQL (and no Redis) it is still kept in DATA_DIR/chat.db. */
function openNewsSequence(config: Config): NewsSequence {
  const stores = openedFor(config);
  if ('newsSequence' in stores) return stores.newsSequence;
  return new SqliteNewsSequence(SqliteDatabase.open(config.DATA_DIR, { busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS }));
}

/**
 * Builds every stateful part from the configuration: PostgreSQL history when DATABASE_URL is set, otherwise
 * SQLite in DATA_DIR; the rest is embedded (one process). With REDIS_URL (cluster mode) the rest is in Redis.
 */
export async function composeStores(config: Config, log: Logger): Promise<AppStores> {
  const history = await openHistory(config, log);
  let bans: BanStore;
  try {
    bans = await openBans(config, log);
  } catch (err) {
    await history.close();
    throw err;
  }
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
      return { history, ...(await composeCluster(settings, history, bans, log)) };
    } catch (err) {
      await Promise.all([history.close(), bans.close()]);
      throw new StoreUnavailableError(
        `cannot reach Redis at REDIS_URL=${redactUrl(config.REDIS_URL)}: ${(err as Error).message}`,
      );
    }
  }
  let newsSequence;
  try {
    newsSequence = openNewsSequence(config);
  } catch (err) {
    await Promise.all([history.close(), bans.close()]);
    throw new StoreUnavailableError(
      `cannot open the news sequence in DATA_DIR=${config.DATA_DIR}: ${(err as Error).message}`,
    );
  }
  return {
    history,
    bans,
    nicks: new MemoryNickRegistry(),
    presence: new MemoryPresence(),
    sessions: new MemorySessionStore(),
    newsSequence,
    limits: memoryLimits(addressBudgetsOf(config)),
    adapter: chatRecoveryAdapter(config.RECOVERY_BUFFER_BYTES),
  };
}
