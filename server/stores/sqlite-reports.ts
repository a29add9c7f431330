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
import { auditWriter } from './sqlite-audit.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Reports in `DATA_DIR/chat.db`. Adding is one statement (`INSERT OR IGNORE` on the UNIQUE pair), so a repeat
 * changes nothing; a resolution and its audit entry are one transaction.
 */
export class SqliteReports implements ReportStore {
  private readonly insert;
  private readonly selectPair;
  private readonly selectId;
  private readonly selectState;
  private readonly end;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(database: SqliteDatabase) {
    const db = database.connection;
    const audit = auditWriter(db);
    const values = REPORT_INSERT_COLUMNS.split(', ').map(() => '?');
    this.insert = db.prepare(`INSERT OR IGNORE INTO reports (${REPORT_INSERT_COLUMNS}) VALUES (${values.join(', ')})`);
    this.selectPair = db.prepare<[number, string], ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM reports WHERE message_id = ? AND reporter_person = ?`,
    );
    this.selectId = db.prepare<[number], ReportRow>(`SELECT ${REPORT_COLUMNS} FROM reports WHERE id = ?`);
    this.selectState = db.prepare<[string, number], ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM reports WHERE state = ? ORDER BY id DESC LIMIT ?`,
    );
    const update = db.prepare<[string, number, string, number]>(
      `UPDATE reports SET state = ?, resolved_at = ?, resolved_by = ? WHERE id = ? AND state = 'open'`,
    );
    this.end = db.transaction((id: number, r: Resolution): ReportRow | undefined => {
      if (update.run(r.state, r.at, r.by, id).changes === 0) return undefined;
      audit(r.audit);
      return this.selectId.get(id);
    });
    this.release = database.retain();
  }

  async add(report: NewReport): Promise<{ report: Report; isNew: boolean }> {
    const isNew = this.insert.run(...reportValues(report)).changes > 0;
    const row = this.selectPair.get(report.messageId, report.reporterPerson);
    if (!row) throw new Error('a stored report is missing'); // the UNIQUE pair was just inserted or found
    return { report: toReport(row), isNew };
  }

  async get(id: number): Promise<Report | undefined> {
    const row = this.selectId.get(id);
    return row && toReport(row);
  }

  async list(state: ReportState, limit: number): Promise<Report[]> {
    return this.selectState.all(state, limit).map(toReport);
  }

  async resolve(id: number, resolution: Resolution): Promise<Report | undefined> {
    const row = this.end(id, resolution);
    return row && toReport(row);
  }

  async close(): Promise<void> {
    this.release();
  }
}
