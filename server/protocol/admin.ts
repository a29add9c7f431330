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
  /** The room acted in; null for an action that is not about one room (none yet). */
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
