import type Database from 'better-sqlite3';
import {
  AUDIT_COLUMNS,
  type AuditEntry,
  type AuditLog,
  type AuditRecord,
  type AuditRow,
  auditValues,
  toAuditEntry,
} from './audit.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Appends an audit entry on this connection. The stores that make changes (SqliteBans, SqliteHistory) call it
 * inside their own transaction, so the change and its entry commit together or not at all.
 */
export function auditWriter(db: Database.Database): (record: AuditRecord) => void {
  const insert = db.prepare(
    `INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
  );
  return (record) => {
    insert.run(...auditValues(record, Date.now()));
  };
}

/** The audit log in `DATA_DIR/chat.db`; ids rise in commit order (one writer at a time). */
export class SqliteAudit implements AuditLog {
  private readonly select;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(database: SqliteDatabase) {
    this.select = database.connection.prepare<[number, number], AuditRow>(
      'SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
    );
    this.release = database.retain();
  }

  async entries(limit: number, before = Number.MAX_SAFE_INTEGER): Promise<AuditEntry[]> {
    return this.select.all(before, limit).map(toAuditEntry);
  }

  async close(): Promise<void> {
    this.release();
  }
}
