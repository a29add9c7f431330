import type { AuditRecord } from './audit.js';
import { type PurgeScope, type RetentionStore } from './retention.js';
import { auditWriter } from './sqlite-audit.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Retention in the SQLite database (`<dataDir>/chat.db`). better-sqlite3 is synchronous, so a purge batch blocks
 * the event loop while it runs: the sweep keeps batches small (RETENTION_BATCH_ROWS) and yields between them.
 * Rows are found by `messages_ts` (every room) or `messages_room_ts` (one room), never by a scan of the table.
 */
export class SqliteRetention implements RetentionStore {
  private readonly selectAll;
  private readonly change;
  private readonly purgeRoom;
  private readonly purgeOthers;
  private readonly database: SqliteDatabase;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(database: SqliteDatabase) {
    const db = database.connection;
    this.database = database;
    const audit = auditWriter(db);
    this.selectAll = db.prepare<[], { room: string; days: number }>('SELECT room, days FROM room_retention');
    const upsert = db.prepare<[string, number]>(
      'INSERT INTO room_retention (room, days) VALUES (?, ?) ON CONFLICT (room) DO UPDATE SET days = excluded.days',
    );
    const remove = db.prepare<[string]>('DELETE FROM room_retention WHERE room = ?');
    this.change = db.transaction((room: string, days: number | null, record: AuditRecord) => {
      if (days === null) remove.run(room);
      else upsert.run(room, days);
      audit(record);
    });
    this.purgeRoom = db.prepare<[string, number, number]>(
      `DELETE FROM messages WHERE id IN (
         SELECT id FROM messages WHERE room = ? AND ts < ? ORDER BY ts LIMIT ?)`,
    );
    this.purgeOthers = db.prepare<[number, number]>(
      `DELETE FROM messages WHERE id IN (
         SELECT id FROM messages WHERE ts < ? AND room NOT IN (SELECT room FROM room_retention) ORDER BY ts LIMIT ?)`,
    );
    this.release = database.retain();
  }

  async overrides(): Promise<Map<string, number>> {
    return new Map(this.selectAll.all().map((row) => [row.room, row.days]));
  }

  async setOverride(room: string, days: number | null, audit: AuditRecord): Promise<void> {
    this.change(room, days, audit);
  }

  /**
   * One statement, so one implicit transaction, committed without an fsync: the loop is blocked for the delete
   * alone, not for a flush per batch. A power cut may bring back the last batches; the next sweep deletes them again.
   */
  async purge(scope: PurgeScope, limit: number): Promise<number> {
    const result = this.database.withoutFsync(() =>
      'room' in scope ? this.purgeRoom.run(scope.room, scope.before, limit) : this.purgeOthers.run(scope.before, limit),
    );
    return result.changes;
  }

  async close(): Promise<void> {
    this.release();
  }
}
