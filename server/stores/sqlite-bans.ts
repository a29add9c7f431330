import type { AuditRecord } from './audit.js';
import { type Ban, type BanRow, type BanStore, toBan } from './bans.js';
import { auditWriter } from './sqlite-audit.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Bans in the SQLite database (`<dataDir>/chat.db`, synchronous=FULL: an acknowledged ban is on disk). A ban
 * waits for a write lock another process holds as long as a send does (SQLITE_BUSY_TIMEOUT_MS), then fails.
 * A ban or unban and its audit entry are one transaction.
 */
export class SqliteBans implements BanStore {
  private readonly store;
  private readonly end;
  private readonly select;
  private readonly selectRoom;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(database: SqliteDatabase) {
    const db = database.connection;
    const audit = auditWriter(db);
    const upsert = db.prepare<[string, string, string, number | null, string, string | null, number]>(
      `INSERT OR REPLACE INTO bans (room, nick_key, nick, until, by_nick, reason, banned_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const remove = db.prepare<[string, string]>('DELETE FROM bans WHERE room = ? AND nick_key = ?');
    this.store = db.transaction((ban: Ban, record?: AuditRecord) => {
      upsert.run(ban.room, ban.nickKey, ban.nick, ban.until, ban.by, ban.reason ?? null, ban.at);
      if (record) audit(record);
    });
    this.end = db.transaction((room: string, nickKey: string, record?: AuditRecord) => {
      const ended = remove.run(room, nickKey).changes > 0;
      if (ended && record) audit(record);
      return ended;
    });
    this.select = db.prepare<[string, string, number], BanRow>(
      'SELECT * FROM bans WHERE room = ? AND nick_key = ? AND (until IS NULL OR until > ?)',
    );
    this.selectRoom = db.prepare<[string, number], BanRow>(
      'SELECT * FROM bans WHERE room = ? AND (until IS NULL OR until > ?) ORDER BY banned_at DESC, nick_key',
    );
    this.release = database.retain();
  }

  async ban(ban: Ban, audit?: AuditRecord): Promise<void> {
    this.store(ban, audit);
  }

  async unban(room: string, nickKey: string, audit?: AuditRecord): Promise<boolean> {
    return this.end(room, nickKey, audit);
  }

  async active(room: string, nickKey: string, now: number): Promise<Ban | undefined> {
    const row = this.select.get(room, nickKey, now);
    return row && toBan(row);
  }

  async list(room: string, now: number): Promise<Ban[]> {
    return this.selectRoom.all(room, now).map(toBan);
  }

  async close(): Promise<void> {
    this.release();
  }
}
