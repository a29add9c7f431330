import { PgBans } from './pg-bans.js';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js';
import { PgHistory } from './pg-history.js';

/** What the composition root gets: the stores of one pool. */
export interface PostgresStores {
  history: PgHistory;
  bans: PgBans;
  /** Closes both stores, and so the pool. */
  close(): Promise<void>;
}

/**
 * Opens the database (one pool, migrated) and the stores on it.
 * @example
 * const { history, bans } = await openPostgres(url, { onIdleError: (err) => log.warn({ err }, 'idle client') });
 */
export async function openPostgres(url: string, options: PgDatabaseOptions = {}): Promise<PostgresStores> {
  const database = await PgDatabase.open(url, options);
  const history = new PgHistory(database);
  const bans = new PgBans(database);
  return {
    history,
    bans,
    close: async () => {
      await Promise.all([history.close(), bans.close()]);
    },
  };
}
