import { type Ban, type BanRow, type BanStore, toBan } from './bans.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Bans in the SQLite database (`<dataDir>/chat.db`, synchronous=FULL: an acknowledged ban is on disk). A ban
 * waits for a write lock another process holds as long as a send does (SQLITE_BUSY_TIMEOUT_MS), then fails.
 */
export class SqliteBans implements BanStore {
  private readonly upsert;
  private readonly remove;
  private readonly select;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(database: SqliteDatabase) {
    const db = database.connection;
    this.upsert = db.prepare<[string, string, string, number | null, string, string | null]>(
      'INSERT OR REPLACE INTO bans (room, nick_key, nick, until, by_nick, reason) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.remove = db.prepare<[string, string]>('DELETE FROM bans WHERE room = ? AND nick_key = ?');
    this.select = db.prepare<[string, string, number], BanRow>(
      'SELECT * FROM bans WHERE room = ? AND nick_key = ? AND (until IS NULL OR until > ?)',
    );
    this.release = database.retain();
  }

  async ban(ban: Ban): Promise<void> {
    this.upsert.run(ban.room, ban.nickKey, ban.nick, ban.until, ban.by, ban.reason ?? null);
  }

  async unban(room: string, nickKey: string): Promise<boolean> {
    return this.remove.run(room, nickKey).changes > 0;
  }

  async active(room: string, nickKey: string, now: number): Promise<Ban | undefined> {
    const row = this.select.get(room, nickKey, now);
    return row && toBan(row);
  }

  async close(): Promise<void> {
    this.release();
  }
}
