import type { Message } from '../protocol/events.js';
import type { AuditRecord } from './audit.js';
import type { Ban } from './bans.js';

/** A signed user as the tables know it. */
export interface DataSubject {
  /** `sub:<sub>` (history.ts SIGNED_AUTHOR_PREFIX): the author of the user's messages. */
  author: string;
  /**
   * The person of the user's memberships and read markers (chat/person.ts), derived from the `sub` under
   * AUTH_SECRET; undefined without it (then there are none).
   */
  person: string | undefined;
}

/** A membership of a private conversation, as an export lists it. */
export interface Membership {
  room: string;
  nick: string;
  granted: boolean;
  joinedAt: number;
}

export interface ReadMarker {
  room: string;
  readId: number;
}

/** How many rows of each kind a subject has, bans aside (they are found by nick, see `nicksOf`). */
export interface SubjectCounts {
  messages: number;
  memberships: number;
  readState: number;
  /** Reports the person made. */
  reports: number;
}

/** A report the person made, as an export lists it. */
export interface FiledReport {
  room: string;
  messageId: number;
  reason: string;
  at: number;
  state: string;
}

/** A `reports` row's exported columns as both drivers give them (bigints as text in pg). */
export interface FiledReportRow {
  room: string;
  message_id: number | string;
  reason: string;
  at: number | string;
  state: string;
}

export const toFiledReport = (row: FiledReportRow): FiledReport => ({
  room: row.room,
  messageId: Number(row.message_id),
  reason: row.reason,
  at: Number(row.at),
  state: row.state,
});

/** A message that an erasure turned into a tombstone. */
export interface ErasedMessage {
  room: string;
  id: number;
}

/**
 * What is stored about one signed user, for the admin API's export and erasure (chat/user-data.ts). Reads page
 * by id, so an export of a long history never holds it in memory; the erasure is one transaction.
 */
export interface UserDataStore {
  counts(subject: DataSubject): Promise<SubjectCounts>;
  /** The user's messages (tombstones included) with ids above `afterId`, oldest first, at most `limit`. */
  messages(author: string, afterId: number, limit: number): Promise<Message[]>;
  /** Every nick the user's messages and memberships were under, as written. */
  nicksOf(subject: DataSubject): Promise<string[]>;
  /** The ban rows (in force or not) of these nick keys, in every room. */
  bansOf(nickKeys: string[]): Promise<Ban[]>;
  memberships(person: string): Promise<Membership[]>;
  readMarkers(person: string): Promise<ReadMarker[]>;
  /** The reports the person made, oldest first. */
  reportsBy(person: string): Promise<FiledReport[]>;
  /** Stores the entry of an export in a transaction of its own: an export changes nothing else. */
  recordExport(audit: AuditRecord): Promise<void>;
  /**
   * In one transaction with `audit`: every message of the user not yet deleted becomes a tombstone (as
   * `HistoryStore.remove` leaves one), the user's memberships, read markers and reports (made by the user, or of
   * the user's messages, which are gone) are deleted, and private rooms the user owned are left without an owner. Returns the messages it turned into tombstones, by id.
   */
  erase(subject: DataSubject, audit: AuditRecord): Promise<ErasedMessage[]>;
  close(): Promise<void>;
}

/** A `conversation_members` row as both drivers give it (`granted` 0/1 in SQLite, `joined_at` text in pg). */
export interface MembershipRow {
  room: string;
  nick: string;
  granted: number | boolean;
  joined_at: number | string;
}

export const toMembership = (row: MembershipRow): Membership => ({
  room: row.room,
  nick: row.nick,
  granted: Boolean(row.granted),
  joinedAt: Number(row.joined_at),
});

export const toReadMarker = (row: { room: string; read_id: number | string }): ReadMarker => ({
  room: row.room,
  readId: Number(row.read_id),
});
