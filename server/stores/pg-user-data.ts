import type { Pool } from 'pg';
import type { Message } from '../protocol/events.js';
import type { AuditRecord } from './audit.js';
import { type Ban, type BanRow, toBan } from './bans.js';
import { type MessageRow, toMessage } from './message-row.js';
import { appendAudit } from './pg-audit.js';
import { type PgDatabase, inTransaction } from './pg-database.js';
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

const COUNTS = `SELECT (SELECT count(*) FROM messages WHERE author = $1) AS messages,
  (SELECT count(*) FROM conversation_members WHERE person = $2) AS memberships,
  (SELECT count(*) FROM read_state WHERE person = $2) AS read_state,
  (SELECT count(*) FROM reports WHERE reporter_person = $2) AS reports`;

/**
 * A signed user's data in PostgreSQL. Old row versions (the text before a tombstone) stay in the table's files
 * until VACUUM reuses their space; no query returns them.
 */
export class PgUserData implements UserDataStore {
  private readonly pool: Pool;
  private readonly release: () => Promise<void>;

  /** Holds the database open until `close`. */
  constructor(database: PgDatabase) {
    this.pool = database.pool;
    this.release = database.retain();
  }

  async counts(subject: DataSubject): Promise<SubjectCounts> {
    // No person: '' is no person key (those are 22 base64url characters).
    const { rows } = await this.pool.query<Record<'messages' | 'memberships' | 'read_state' | 'reports', string>>(
      COUNTS,
      [subject.author, subject.person ?? ''],
    );
    const row = rows[0]!;
    return {
      messages: Number(row.messages),
      memberships: Number(row.memberships),
      readState: Number(row.read_state),
      reports: Number(row.reports),
    };
  }

  async messages(author: string, afterId: number, limit: number): Promise<Message[]> {
    // The primary key's order, filtered: each page goes on where the last stopped.
    const { rows } = await this.pool.query<MessageRow>(
      'SELECT * FROM messages WHERE id > $1 AND author = $2 ORDER BY id LIMIT $3',
      [afterId, author, limit],
    );
    return rows.map(toMessage);
  }

  async nicksOf(subject: DataSubject): Promise<string[]> {
    const { rows } = await this.pool.query<{ nick: string }>(
      'SELECT nick FROM messages WHERE author = $1 UNION SELECT nick FROM conversation_members WHERE person = $2',
      [subject.author, subject.person ?? ''],
    );
    return rows.map((row) => row.nick);
  }

  async bansOf(nickKeys: string[]): Promise<Ban[]> {
    const { rows } = await this.pool.query<BanRow>(
      'SELECT * FROM bans WHERE nick_key = ANY($1) ORDER BY room, nick_key',
      [nickKeys],
    );
    return rows.map(toBan);
  }

  async memberships(person: string): Promise<Membership[]> {
    const { rows } = await this.pool.query<MembershipRow>(
      'SELECT room, nick, granted, joined_at FROM conversation_members WHERE person = $1 ORDER BY room',
      [person],
    );
    return rows.map(toMembership);
  }

  async readMarkers(person: string): Promise<ReadMarker[]> {
    const { rows } = await this.pool.query<{ room: string; read_id: string }>(
      'SELECT room, read_id FROM read_state WHERE person = $1 ORDER BY room',
      [person],
    );
    return rows.map(toReadMarker);
  }

  async reportsBy(person: string): Promise<FiledReport[]> {
    const { rows } = await this.pool.query<FiledReportRow>(
      'SELECT room, message_id, reason, at, state FROM reports WHERE reporter_person = $1 ORDER BY id',
      [person],
    );
    return rows.map(toFiledReport);
  }

  async recordExport(audit: AuditRecord): Promise<void> {
    await inTransaction(this.pool, (client) => appendAudit(client, audit));
  }

  async erase(subject: DataSubject, audit: AuditRecord): Promise<ErasedMessage[]> {
    const erased = await inTransaction(this.pool, async (client) => {
      // As HistoryStore.remove leaves a message; the clientId stays, so a late retry is still recognised.
      const { rows } = await client.query<{ room: string; id: string }>(
        `UPDATE messages SET text = '', edited_at = NULL, deleted = true WHERE author = $1 AND NOT deleted
         RETURNING room, id`,
        [subject.author],
      );
      await client.query('DELETE FROM reports WHERE author = $1', [subject.author]);
      const { person } = subject;
      if (person !== undefined) {
        await client.query('DELETE FROM reports WHERE reporter_person = $1', [person]);
        await client.query('DELETE FROM conversation_members WHERE person = $1', [person]);
        await client.query('DELETE FROM read_state WHERE person = $1', [person]);
        await client.query('UPDATE conversations SET owner = NULL WHERE owner = $1', [person]);
      }
      await appendAudit(client, audit);
      return rows;
    });
    return erased.map(({ room, id }) => ({ room, id: Number(id) })).sort((a, b) => a.id - b.id);
  }

  async close(): Promise<void> {
    await this.release();
  }
}
