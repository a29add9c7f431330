import { SqliteNewsSequence } from './news-sequence.js';
import { SqliteAudit } from './sqlite-audit.js';
import { SqliteBans } from './sqlite-bans.js';
import { SqliteConversations } from './sqlite-conversations.js';
import { SqliteDatabase } from './sqlite-database.js';
import { SqliteHistory } from './sqlite-history.js';
import { SqliteReadState } from './sqlite-read-state.js';
import { SqliteReports } from './sqlite-reports.js';
import { SqliteRetention } from './sqlite-retention.js';
import type { SqliteSettings } from './sqlite-settings.js';
import { SqliteUserData } from './sqlite-user-data.js';

/** What the composition root gets: the stores of one connection. */
export interface SqliteStores {
  history: SqliteHistory;
  bans: SqliteBans;
  /** The audit log's reading side; SqliteBans and SqliteHistory write it. */
  audit: SqliteAudit;
  newsSequence: SqliteNewsSequence;
  conversations: SqliteConversations;
  readState: SqliteReadState;
  /** A signed user's data, for export and erasure. */
  userData: SqliteUserData;
  reports: SqliteReports;
  retention: SqliteRetention;
  /** Closes the seven stores, and so the connection. */
  close(): Promise<void>;
}

/**
 * Opens `DATA_DIR/chat.db` (migrated) and the stores on it.
 * @example
 * const { history, bans, newsSequence } = openSqlite(config.DATA_DIR, { busyTimeoutMs: 20 });
 */
export function openSqlite(dataDir: string, settings: Partial<SqliteSettings> = {}): SqliteStores {
  const database = SqliteDatabase.open(dataDir, settings);
  const history = new SqliteHistory(database);
  const bans = new SqliteBans(database);
  const audit = new SqliteAudit(database);
  const newsSequence = new SqliteNewsSequence(database);
  const conversations = new SqliteConversations(database);
  const readState = new SqliteReadState(database);
  const userData = new SqliteUserData(database);
  const reports = new SqliteReports(database);
  const retention = new SqliteRetention(database);
  return {
    history,
    bans,
    audit,
    newsSequence,
    conversations,
    readState,
    userData,
    reports,
    retention,
    close: async () => {
      await Promise.all(
        [history, bans, audit, newsSequence, conversations, readState, userData, reports, retention].map((store) =>
          store.close(),
        ),
      );
    },
  };
}
