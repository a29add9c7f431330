import type { Pool, PoolClient } from 'pg';
import {
  AUDIT_COLUMNS,
  type AuditEntry,
  type AuditLog,
  type AuditRecord,
  type AuditRow,
  auditValues,
  toAuditEntry,
} from './audit.js';
import type { PgDatabase } from './pg-database.js';
import { AUDIT_LOCK_CLASS } from './pg-migrations.js';

/**
 * Appends an audit entry inside the caller's transaction (PgBans, PgHistory), so the change and its entry commit
 * together or not at all. The lock is held to the commit: the next entry's id is drawn only once this one is
 * visible, so a reader paging back with `before` never has an entry appear behind it (as in pg-history.ts).
 */
export async function appendAudit(client: PoolClient, record: AuditRecord): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, 0)', [AUDIT_LOCK_CLASS]);
  const placeholders = AUDIT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
  await client.query(
    `INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) VALUES (${placeholders})`,
    auditValues(record, Date.now()),
  );
}

/** The audit log in PostgreSQL, shared by every node of a cluster. */
export class PgAudit implements AuditLog {
  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  async entries(limit: number, before = Number.MAX_SAFE_INTEGER): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<AuditRow>(
      'SELECT * FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2',
      [before, limit],
    );
    return rows.map(toAuditEntry);
  }

  async close(): Promise<void> {
    await this.release();
  }
}
