import type { Pool } from 'pg';
import { appendAudit } from './pg-audit.js';
import { type PgDatabase, inTransaction } from './pg-database.js';
import {
  type NewReport,
  REPORT_COLUMNS,
  REPORT_INSERT_COLUMNS,
  type Report,
  type ReportRow,
  type ReportState,
  type ReportStore,
  type Resolution,
  reportValues,
  toReport,
} from './reports.js';

const PLACEHOLDERS = REPORT_INSERT_COLUMNS.split(', ').map((_, i) => `$${i + 1}`);
// A repeat leaves the row as it was; the UPDATE of nothing still returns it, in the same statement.
const ADD = `WITH added AS (
    INSERT INTO reports (${REPORT_INSERT_COLUMNS}) VALUES (${PLACEHOLDERS.join(', ')})
    ON CONFLICT (message_id, reporter_person) DO NOTHING
    RETURNING ${REPORT_COLUMNS}, true AS is_new
  )
  SELECT * FROM added
  UNION ALL
  SELECT ${REPORT_COLUMNS}, false AS is_new FROM reports WHERE message_id = $2 AND reporter_person = $5
    AND NOT EXISTS (SELECT 1 FROM added)`;
const RESOLVE = `UPDATE reports SET state = $1, resolved_at = $2, resolved_by = $3 WHERE id = $4 AND state = 'open'
  RETURNING ${REPORT_COLUMNS}`;

/** Reports in PostgreSQL, shared by every node of a cluster; a resolution and its audit entry are one transaction. */
export class PgReports implements ReportStore {
  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  async add(report: NewReport): Promise<{ report: Report; isNew: boolean }> {
    const { rows } = await this.pool.query<ReportRow & { is_new: boolean }>(ADD, reportValues(report));
    // Two first reports of one pair at once: the loser's INSERT waits, does nothing, and its snapshot may predate
    // the winner's row; the row is there for a read that starts now.
    const row = rows[0] ?? (await this.find(report));
    return { report: toReport(row), isNew: rows[0]?.is_new ?? false };
  }

  private async find(report: NewReport): Promise<ReportRow> {
    const { rows } = await this.pool.query<ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM reports WHERE message_id = $1 AND reporter_person = $2`,
      [report.messageId, report.reporterPerson],
    );
    if (!rows[0]) throw new Error('a stored report is missing');
    return rows[0];
  }

  async get(id: number): Promise<Report | undefined> {
    const { rows } = await this.pool.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM reports WHERE id = $1`, [id]);
    return rows[0] && toReport(rows[0]);
  }

  async list(state: ReportState, limit: number): Promise<Report[]> {
    const { rows } = await this.pool.query<ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM reports WHERE state = $1 ORDER BY id DESC LIMIT $2`,
      [state, limit],
    );
    return rows.map(toReport);
  }

  async resolve(id: number, r: Resolution): Promise<Report | undefined> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<ReportRow>(RESOLVE, [r.state, r.at, r.by, id]);
      if (!rows[0]) return undefined;
      await appendAudit(client, r.audit);
      return toReport(rows[0]);
    });
  }

  async close(): Promise<void> {
    await this.release();
  }
}
