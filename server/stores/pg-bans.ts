import pg from 'pg';
import { type Ban, type BanRow, type BanStore, toBan } from './bans.js';

const SCHEMA = `CREATE TABLE IF NOT EXISTS bans (
  room text NOT NULL,
  nick_key text NOT NULL,
  nick text NOT NULL,
  until bigint,
  by_nick text NOT NULL,
  PRIMARY KEY (room, nick_key)
)`;

/**
 * Nodes starting together would race on CREATE TABLE IF NOT EXISTS (PostgreSQL then reports a duplicate type or
 * key), so the schema is created under a transaction-scoped advisory lock: one node creates, the others find it.
 */
async function createSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('parley:bans:schema'))");
    await client.query(SCHEMA);
    await client.query('ALTER TABLE bans ADD COLUMN IF NOT EXISTS reason text'); // added after 0.1
    await client.query('COMMIT');
    client.release();
  } catch (err) {
    client.release(true); // a connection in a failed transaction is not given back to the pool
    throw err;
  }
}

export interface PgBansOptions {
  /** Reported through the pool's `error` event: an idle client whose server went away. */
  onIdleError?: (err: Error) => void;
}

/**
 * Bans in PostgreSQL (the DATABASE_URL of the history), so every node of a cluster reads the same bans. A small
 * pool of its own with the history's timeouts: while PostgreSQL is down, checks fail fast and answer INTERNAL.
 */
export class PgBans implements BanStore {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string, options: PgBansOptions = {}): Promise<PgBans> {
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: 2000,
      statement_timeout: 3000,
      query_timeout: 4000,
      keepAlive: true,
      application_name: 'parley-bans',
    });
    pool.on('error', (err) => options.onIdleError?.(err)); // without a listener an idle client's error kills the process
    try {
      await createSchema(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PgBans(pool);
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
    await this.pool.end();
  }
}
