import type { Message } from '../protocol/events.js';
import type { AuditRecord } from './audit.js';
import { type Ban, type BanRow, toBan } from './bans.js';
import { type MessageRow, toMessage } from './message-row.js';
import { auditWriter } from './sqlite-audit.js';
import type { SqliteDatabase } from './sqlite-database.js';
import {
  type DataSubject,
  type ErasedMessage,
  type FiledReport,
  type FiledReportRow,
  type Membership,
  type MembershipRow,
  type ReadMarker,
  type SubjectCounts,
  type UserDataStore,
  toFiledReport,
  toMembership,
  toReadMarker,
} from './user-data.js';

/** Bans looked up per statement; SQLite allows 32766 parameters, and nobody has used this many nicks. */
const KEYS_PER_QUERY = 500;

function prepare(db: SqliteDatabase['connection']) {
  return {
    countMessages: db.prepare<[string], number>('SELECT count(*) FROM messages WHERE author = ?').pluck(),
    countMembers: db.prepare<[string], number>('SELECT count(*) FROM conversation_members WHERE person = ?').pluck(),
    countMarkers: db.prepare<[string], number>('SELECT count(*) FROM read_state WHERE person = ?').pluck(),
    countReports: db.prepare<[string], number>('SELECT count(*) FROM reports WHERE reporter_person = ?').pluck(),
    reports: db.prepare<[string], FiledReportRow>(
      'SELECT room, message_id, reason, at, state FROM reports WHERE reporter_person = ? ORDER BY id',
    ),
    dropReportsOf: db.prepare<[string]>('DELETE FROM reports WHERE author = ?'),
    dropReportsBy: db.prepare<[string]>('DELETE FROM reports WHERE reporter_person = ?'),
    // The rowid range, filtered: each page goes on where the last stopped, so an export reads the table once.
    page: db.prepare<[number, string, number], MessageRow>(
      'SELECT * FROM messages WHERE id > ? AND author = ? ORDER BY id LIMIT ?',
    ),
    nicks: db
      .prepare<[string, string], string>(
        `SELECT nick FROM messages WHERE author = ?
         UNION SELECT nick FROM conversation_members WHERE person = ?`,
      )
      .pluck(),
    members: db.prepare<[string], MembershipRow>(
      'SELECT room, nick, granted, joined_at FROM conversation_members WHERE person = ? ORDER BY room',
    ),
    markers: db.prepare<[string], { room: string; read_id: number }>(
      'SELECT room, read_id FROM read_state WHERE person = ? ORDER BY room',
    ),
    // As HistoryStore.remove leaves a message; the clientId stays, so a late retry is still recognised.
    tombstone: db.prepare<[string], ErasedMessage>(
      `UPDATE messages SET text = '', edited_at = NULL, deleted = 1 WHERE author = ? AND deleted = 0
       RETURNING room, id`,
    ),
    dropMembers: db.prepare<[string]>('DELETE FROM conversation_members WHERE person = ?'),
    dropMarkers: db.prepare<[string]>('DELETE FROM read_state WHERE person = ?'),
    disown: db.prepare<[string]>('UPDATE conversations SET owner = NULL WHERE owner = ?'),
  };
}

/**
 * A signed user's data in `DATA_DIR/chat.db`. The connection runs with secure_delete (SqliteDatabase), so a
 * tombstone's old text is overwritten in the file; after an erasure the WAL, which still holds page images with
 * the text, is checkpointed and truncated (when another process reads at that moment, it stays until the next
 * checkpoint that can finish).
 */
export class SqliteUserData implements UserDataStore {
  private readonly db;
  private readonly sql;
  private readonly eraseAll;
  private readonly audit;
  private readonly release: () => void;

  /** Holds the database open until `close`. */
  constructor(database: SqliteDatabase) {
    this.db = database.connection;
    this.sql = prepare(this.db);
    const audit = auditWriter(this.db);
    this.audit = audit;
    this.eraseAll = this.db.transaction((subject: DataSubject, record: AuditRecord) => {
      const erased = this.sql.tombstone.all(subject.author);
      this.sql.dropReportsOf.run(subject.author);
      if (subject.person !== undefined) {
        this.sql.dropReportsBy.run(subject.person);
        this.sql.dropMembers.run(subject.person);
        this.sql.dropMarkers.run(subject.person);
        this.sql.disown.run(subject.person);
      }
      audit(record);
      return erased;
    });
    this.release = database.retain();
  }

  async counts(subject: DataSubject): Promise<SubjectCounts> {
    const { person } = subject;
    return {
      messages: this.sql.countMessages.get(subject.author) ?? 0,
      memberships: person === undefined ? 0 : (this.sql.countMembers.get(person) ?? 0),
      readState: person === undefined ? 0 : (this.sql.countMarkers.get(person) ?? 0),
      reports: person === undefined ? 0 : (this.sql.countReports.get(person) ?? 0),
    };
  }

  async messages(author: string, afterId: number, limit: number): Promise<Message[]> {
    return this.sql.page.all(afterId, author, limit).map(toMessage);
  }

  async nicksOf(subject: DataSubject): Promise<string[]> {
    // No person: '' is no person key (those are 22 base64url characters).
    return this.sql.nicks.all(subject.author, subject.person ?? '');
  }

  async bansOf(nickKeys: string[]): Promise<Ban[]> {
    const bans: Ban[] = [];
    for (let i = 0; i < nickKeys.length; i += KEYS_PER_QUERY) {
      const keys = nickKeys.slice(i, i + KEYS_PER_QUERY);
      const rows = this.db
        .prepare<string[], BanRow>(
          `SELECT * FROM bans WHERE nick_key IN (${keys.map(() => '?').join(', ')}) ORDER BY room, nick_key`,
        )
        .all(...keys);
      bans.push(...rows.map(toBan));
    }
    return bans;
  }

  async memberships(person: string): Promise<Membership[]> {
    return this.sql.members.all(person).map(toMembership);
  }

  async readMarkers(person: string): Promise<ReadMarker[]> {
    return this.sql.markers.all(person).map(toReadMarker);
  }

  async reportsBy(person: string): Promise<FiledReport[]> {
    return this.sql.reports.all(person).map(toFiledReport);
  }

  async recordExport(audit: AuditRecord): Promise<void> {
    this.audit(audit); // one statement: a transaction of its own
  }

  async erase(subject: DataSubject, audit: AuditRecord): Promise<ErasedMessage[]> {
    const erased = this.eraseAll(subject, audit);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return erased.sort((a, b) => a.id - b.id);
  }

  async close(): Promise<void> {
    this.release();
  }
}
