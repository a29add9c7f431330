import { PgAudit } from './pg-audit.js';
import { PgBans } from './pg-bans.js';
import { PgConversations } from './pg-conversations.js';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js';
import { PgHistory } from './pg-history.js';
import { PgReadState } from './pg-read-state.js';
import { PgUserData } from './pg-user-data.js';
import { PgReports } from './pg-reports.js';
import { PgRetention } from './pg-retention.js';

/** What the composition root gets: the stores of one pool. */
export interface PostgresStores {
  history: PgHistory;
  bans: PgBans;
  /** The audit log's reading side; PgBans and PgHistory write it. */
  audit: PgAudit;
  conversations: PgConversations;
  readState: PgReadState;
  /** A signed user's data, for export and erasure. */
  userData: PgUserData;
  reports: PgReports;
  retention: PgRetention;
  /** Closes the six stores, and so the pool. */
  close(): Promise<void>;
}

/**
 * Opens the database (one pool, migrated) and the stores on it.
 * @example
 * const { history, bans, audit } = await openPostgres(url, { onIdleError: (err) => log.warn({ err }, 'idle client') });
 */
export async function openPostgres(url: string, options: PgDatabaseOptions = {}): Promise<PostgresStores> {
  const database = await PgDatabase.open(url, options);
  const history = new PgHistory(database);
  const bans = new PgBans(database);
  const audit = new PgAudit(database);
  const conversations = new PgConversations(database);
  const readState = new PgReadState(database);
  const userData = new PgUserData(database);
  const reports = new PgReports(database);
  const retention = new PgRetention(database);
  return {
    history,
    bans,
    audit,
    conversations,
    readState,
    userData,
    reports,
    retention,
    close: async () => {
      await Promise.all(
        [history, bans, audit, conversations, readState, userData, reports, retention].map((store) => store.close()),
      );
    },
  };
}
