import type { Pool } from 'pg';
import type { AuditRecord } from './audit.js';
import { appendAudit } from './pg-audit.js';
import { type PgDatabase, inTransaction } from './pg-database.js';
import type { PurgeScope, RetentionStore } from './retention.js';

const PURGE_ROOM = `DELETE FROM messages WHERE id IN (
  SELECT id FROM messages WHERE room = $1 AND ts < $2 ORDER BY ts LIMIT $3)`;

const PURGE_OTHERS = `DELETE FROM messages WHERE id IN (
  SELECT m.id FROM messages m WHERE m.ts < $1
    AND NOT EXISTS (SELECT 1 FROM room_retention r WHERE r.room = m.room)
  ORDER BY m.ts LIMIT $2)`;

/**
 * Retention in PostgreSQL, shared by every node of a cluster (one node sweeps: the holder of the `retention`
 * lease). Each purge batch is one statement, so its own short transaction: sends in the same rooms never wait
 * for a whole sweep, only for the row locks of one batch.
 */
export class PgRetention implements RetentionStore {
  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  async overrides(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ room: string; days: number }>('SELECT room, days FROM room_retention');
    return new Map(rows.map((row) => [row.room, Number(row.days)]));
  }

  async setOverride(room: string, days: number | null, audit: AuditRecord): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      if (days === null) await client.query('DELETE FROM room_retention WHERE room = $1', [room]);
      else
        await client.query(
          `INSERT INTO room_retention (room, days) VALUES ($1, $2)
           ON CONFLICT (room) DO UPDATE SET days = excluded.days`,
          [room, days],
        );
      await appendAudit(client, audit);
    });
  }

  async purge(scope: PurgeScope, limit: number): Promise<number> {
    const { rowCount } =
      'room' in scope
        ? await this.pool.query(PURGE_ROOM, [scope.room, scope.before, limit])
        : await this.pool.query(PURGE_OTHERS, [scope.before, limit]);
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.release();
  }
}
