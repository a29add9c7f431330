import type { Report, ReportState } from '../protocol/reports.js';
import type { AuditRecord } from './audit.js';

export type { Report, ReportState } from '../protocol/reports.js';

/** A report as made; the store adds `id` and `state`. */
export interface NewReport {
  room: string;
  messageId: number;
  /** The message's nick. */
  authorNick: string;
  /** The message's author key (chat/author.ts), kept for moderators' later tools; never sent. */
  author: string | null;
  /** `personOf` the reporter's session: one report per person and message, whichever tab or nick. */
  reporterPerson: string;
  reporterNick: string;
  reason: string;
  at: number;
}

/** How an open report ends: its new state, by whom (a moderator's nick or `admin`), when, and its audit entry. */
export interface Resolution {
  state: Exclude<ReportState, 'open'>;
  by: string;
  at: number;
  audit: AuditRecord;
}

/** Reports of messages, durable and shared by every node that opens the same database. */
export interface ReportStore {
  /**
   * Stores the report unless this person has reported this message already; `isNew` false: the earlier report,
   * unchanged.
   */
  add(report: NewReport): Promise<{ report: Report; isNew: boolean }>;
  get(id: number): Promise<Report | undefined>;
  /** Reports in `state`, newest first, at most `limit`. */
  list(state: ReportState, limit: number): Promise<Report[]>;
  /**
   * Ends an open report with its audit entry, in one transaction. Undefined when there is no such report or it is
   * not open (then nothing is written).
   */
  resolve(id: number, resolution: Resolution): Promise<Report | undefined>;
  close(): Promise<void>;
}

/** A row as both SQL stores keep it; PostgreSQL returns bigints as strings. */
export interface ReportRow {
  id: number | string;
  room: string;
  message_id: number | string;
  author_nick: string;
  reporter_nick: string;
  reason: string;
  at: number | string;
  state: string;
}

/** The columns a Report is read from (never `author` or `reporter_person`). */
export const REPORT_COLUMNS = 'id, room, message_id, author_nick, reporter_nick, reason, at, state';

export function toReport(row: ReportRow): Report {
  return {
    id: Number(row.id),
    room: row.room,
    messageId: Number(row.message_id),
    author: row.author_nick,
    reporter: row.reporter_nick,
    reason: row.reason,
    at: Number(row.at),
    state: row.state as ReportState,
  };
}

/** The values of a new row, in the order of the INSERTs of both stores. */
export function reportValues(r: NewReport): (string | number | null)[] {
  return [r.room, r.messageId, r.authorNick, r.author, r.reporterPerson, r.reporterNick, r.reason, r.at];
}

export const REPORT_INSERT_COLUMNS =
  'room, message_id, author_nick, author, reporter_person, reporter_nick, reason, at';
