import type { Pool } from 'pg';
import type { AuditRecord } from './audit.js';
import { type Ban, type BanRow, type BanStore, toBan } from './bans.js';
import { appendAudit } from './pg-audit.js';
import { type PgDatabase, inTransaction } from './pg-database.js';

const UPSERT = `INSERT INTO bans (room, nick_key, nick, until, by_nick, reason, banned_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7)
  ON CONFLICT (room, nick_key) DO UPDATE SET nick = $3, until = $4, by_nick = $5, reason = $6, banned_at = $7`;
const REMOVE = 'DELETE FROM bans WHERE room = $1 AND nick_key = $2';

/**
 * Bans in PostgreSQL (the database of the history, on its pool), so every node of a cluster reads the same bans.
 * While PostgreSQL is down, checks fail within the pool's timeouts and answer INTERNAL. A ban or unban and its
 * audit entry are one transaction.
 */
export class PgBans implements BanStore {
  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  async ban(ban: Ban, audit?: AuditRecord): Promise<void> {
    const params = [ban.room, ban.nickKey, ban.nick, ban.until, ban.by, ban.reason ?? null, ban.at];
    if (!audit) {
      await this.pool.query(UPSERT, params);
      return;
    }
    await inTransaction(this.pool, async (client) => {
      await client.query(UPSERT, params);
      await appendAudit(client, audit);
    });
  }

  async unban(room: string, nickKey: string, audit?: AuditRecord): Promise<boolean> {
    if (!audit) return ((await this.pool.query(REMOVE, [room, nickKey])).rowCount ?? 0) > 0;
    return inTransaction(this.pool, async (client) => {
      const ended = ((await client.query(REMOVE, [room, nickKey])).rowCount ?? 0) > 0;
      if (ended) await appendAudit(client, audit);
      return ended;
    });
  }

  async active(room: string, nickKey: string, now: number): Promise<Ban | undefined> {
    const { rows } = await this.pool.query<BanRow>(
      'SELECT * FROM bans WHERE room = $1 AND nick_key = $2 AND (until IS NULL OR until > $3)',
      [room, nickKey, now],
    );
    return rows[0] && toBan(rows[0]);
  }

  async list(room: string, now: number): Promise<Ban[]> {
    const { rows } = await this.pool.query<BanRow>(
      'SELECT * FROM bans WHERE room = $1 AND (until IS NULL OR until > $2) ORDER BY banned_at DESC, nick_key',
      [room, now],
    );
    return rows.map(toBan);
  }

  async close(): Promise<void> {
    await this.release();
  }
}
