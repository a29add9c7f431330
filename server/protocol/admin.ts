/**
 * The wire contract of the HTTP admin API's read routes (`/api/admin/…`, docs/protocol.md). Type-only, so an
 * admin console in the browser can import it.
 */

/** Who took a moderation action: a moderator's socket (its nick then, and its token's `sub`), or the admin API. */
export type AuditActor = { nick: string; sub: string } | 'admin-api';

/**
 * What was done. `delete`: a moderator's delete of a message; `kick`: a moderator took a person out of a private
 * room; `resolve-report`: a report was resolved; `set-retention`: a room's retention changed; `erase` and
 * `export`: a signed user's data was erased or exported.
 */
export type AuditAction = 'ban' | 'unban' | 'delete' | 'kick' | 'resolve-report' | 'set-retention' | 'erase' | 'export';

/** One row of the audit log, as `GET /api/admin/audit` returns it. Never message text. */
export interface AuditEntry {
  /** Positive integer, rising in the order entries were committed. */
  id: number;
  /** When the action was stored, in ms since the epoch. */
  at: number;
  actor: AuditActor;
  action: AuditAction;
  /** The room acted in; null for an action that is not about one room (`erase`, `export`). */
  room: string | null;
  /**
   * `ban`, `unban`: the nick as the actor wrote it; `delete`: the message id, in decimal digits; `set-retention`:
   * the room's new days in decimal digits, or `default` when its override was removed.
   */
  target: string;
  /** `ban`: the reason given, else null. */
  reason: string | null;
}

/** `GET /api/admin/audit?limit=&before=`: newest first. */
export interface AuditPage {
  entries: AuditEntry[];
}

/** One ban in force, as `GET /api/admin/rooms/:room/bans` lists it. */
export interface ListedBan {
  /** The nick as the moderator wrote it. */
  nick: string;
  /** When the ban ends, in ms since the epoch; null = no end. */
  until: number | null;
  reason: string | null;
  /** The moderator's nick, or `admin` for the admin API. */
  by: string;
  /** When the ban was made, in ms since the epoch. */
  at: number;
}

export interface BanList {
  bans: ListedBan[];
}

/**
 * The first line of `GET /api/admin/users/:sub/export`: how many lines of each type follow, counted when the
 * export started (a message sent while it streams may show in the lines and not in the counts).
 */
export interface ExportHeader {
  type: 'export';
  sub: string;
  /** When the export started, in ms since the epoch. */
  at: number;
  counts: { messages: number; bans: number; memberships: number; readState: number; reports: number };
}

/**
 * A message the user sent, deleted or not. The store keeps the current text and the time of the last edit, not
 * earlier versions: `text` is the text now, `editedAt` the last edit's time. A deleted one has `text: ''`.
 */
export interface ExportedMessage {
  type: 'message';
  room: string;
  id: number;
  /** When it was sent, in ms since the epoch. */
  at: number;
  /** The nick it was sent under. */
  nick: string;
  text: string;
  editedAt?: number;
  deleted: boolean;
}

/** A ban of a nick the user's messages or memberships were under (bans are by nick, not by user). */
export interface ExportedBan extends ListedBan {
  type: 'ban';
  room: string;
}

/** A private conversation the user is a member of. */
export interface ExportedMembership {
  type: 'membership';
  room: string;
  /** The nick the member list shows. */
  nick: string;
  /** Through the `rooms` claim of the user's token. */
  granted: boolean;
  /** When the user became a member, in ms since the epoch. */
  joinedAt: number;
}

/** The user's read marker in a room: the id of the last message read. */
export interface ExportedReadState {
  type: 'readState';
  room: string;
  readId: number;
}

/** A report the user made of someone's message (`message:report`). */
export interface ExportedReport {
  type: 'report';
  room: string;
  messageId: number;
  reason: string;
  /** When it was made, in ms since the epoch. */
  at: number;
  state: string;
}

/**
 * One line of an export (NDJSON): the header first, then messages, bans, memberships, read state and reports, in
 * that order.
 */
export type ExportLine =
  ExportHeader | ExportedMessage | ExportedBan | ExportedMembership | ExportedReadState | ExportedReport;

/** `DELETE /api/admin/users/:sub`: how many of the user's messages became tombstones. */
export interface ErasureResult {
  ok: true;
  messages: number;
}

/** `GET /api/admin/rooms/:room/retention`: how long the room keeps its messages. */
export interface RetentionState {
  room: string;
  /** The days in effect: the room's override, else RETENTION_DAYS; 0 = forever. */
  days: number;
  /** Whether the room has an override (a `PUT` with a number); false: it follows RETENTION_DAYS. */
  override: boolean;
}

/** `PUT /api/admin/rooms/:room/retention` with `{ days }`, and its 200 reply (the days as given). */
export interface RetentionSet {
  room: string;
  /** An integer from 0 (forever) to 36500; null removes the override, so the room follows RETENTION_DAYS again. */
  days: number | null;
}
