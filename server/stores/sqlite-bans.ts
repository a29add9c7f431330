import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Ban, type BanRow, type BanStore, toBan } from './bans.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS bans (
    room TEXT NOT NULL,
    nick_key TEXT NOT NULL,
    nick TEXT NOT NULL,
    until INTEGER,
    by_nick TEXT NOT NULL,
    PRIMARY KEY (room, nick_key)
  );
`;

/** Bans in their own SQLite file, `<dataDir>/bans.db` (synchronous=FULL: an acknowledged ban is on disk). */
export class SqliteBans implements BanStore {
  private readonly db: Database.Database;
  private readonly upsert;
  private readonly remove;
  private readonly select;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'bans.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    const columns = new Set((this.db.pragma('table_info(bans)') as { name: string }[]).map((c) => c.name));
    if (!columns.has('reason')) this.db.exec('ALTER TABLE bans ADD COLUMN reason TEXT'); // added after 0.1
    this.upsert = this.db.prepare<[string, string, string, number | null, string, string | null]>(
      'INSERT OR REPLACE INTO bans (room, nick_key, nick, until, by_nick, reason) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.remove = this.db.prepare<[string, string]>('DELETE FROM bans WHERE room = ? AND nick_key = ?');
    this.select = this.db.prepare<[string, string, number], BanRow>(
      'SELECT * FROM bans WHERE room = ? AND nick_key = ? AND (until IS NULL OR until > ?)',
    );
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
    this.db.close();
  }
}
