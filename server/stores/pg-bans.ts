import type { Pool } from 'pg';
import { type Ban, type BanRow, type BanStore, toBan } from './bans.js';
import type { PgDatabase } from './pg-database.js';

/**
 * Bans in PostgreSQL (the database of the history, on its pool), so every node of a cluster reads the same bans.
 * While PostgreSQL is down, checks fail within the pool's timeouts and answer INTERNAL.
 */
export class PgBans implements BanStore {
  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  async ban(ban: Ban): Promise<void> {
    await this.pool.query(
      `INSERT INTO bans (room, nick_key, nick, until, by_nick, reason) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (room, nick_key) DO UPDATE SET nick = $3, until = $4, by_nick = $5, reason = $6`,
      [ban.room, ban.nickKey, ban.nick, ban.until, ban.by, ban.reason ?? null],
    );
  }

  async unban(room: string, nickKey: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM bans WHERE room = $1 AND nick_key = $2', [room, nickKey]);
    return (rowCount ?? 0) > 0;
  }

  async active(room: string, nickKey: string, now: number): Promise<Ban | undefined> {
    const { rows } = await this.pool.query<BanRow>(
      'SELECT * FROM bans WHERE room = $1 AND nick_key = $2 AND (until IS NULL OR until > $3)',
      [room, nickKey, now],
    );
    return rows[0] && toBan(rows[0]);
  }

  async close(): Promise<void> {
    await this.release();
  }
}
