import type { AuditRecord } from './audit.js';

/** A nick barred from a room: it may neither join nor send there until `until`. */
export interface Ban {
  room: string;
  /** The nick as the moderator wrote it (shown in notices). */
  nick: string;
  /** `nickKey(nick)`: the ban holds for every look-alike of the nick. */
  nickKey: string;
  /** Ms since the epoch; null = no end. */
  until: number | null;
  /** The moderator's nick, or `admin`. */
  by: string;
  /** Why, as the moderator wrote it; shown to the room and the banned person. */
  reason?: string;
  /** When it was made, ms since the epoch (bans made before this was recorded: when the database was upgraded). */
  at: number;
}

/**
 * Bans of nicks from rooms, durable (they survive restarts) and shared by every node that opens the same
 * database. Expiry is data: a ban past `until` is simply not `active` any more.
 */
export interface BanStore {
  /**
   * Adds the ban, replacing one of the same room and nick key. Resolves once stored, with `audit` (if given) in
   * the same transaction.
   */
  ban(ban: Ban, audit?: AuditRecord): Promise<void>;
  /**
   * Ends the ban of that nick key in that room; false when there was none. `audit` is stored in the same
   * transaction, and only when a ban ended.
   */
  unban(room: string, nickKey: string, audit?: AuditRecord): Promise<boolean>;
  /** The ban in force at `now`, if any. */
  active(room: string, nickKey: string, now: number): Promise<Ban | undefined>;
  /** Every ban of `room` in force at `now`, newest first (CachedBans reads it once per room to answer `active`). */
  list(room: string, now: number): Promise<Ban[]>;
  close(): Promise<void>;
}

/** A row as both SQL stores keep it. */
export interface BanRow {
  room: string;
  nick: string;
  nick_key: string;
  until: number | string | null;
  by_nick: string;
  reason: string | null;
  banned_at: number | string;
}

export function toBan(row: BanRow): Ban {
  const until = row.until === null ? null : Number(row.until);
  const { room, nick } = row;
  const ban: Ban = { room, nick, nickKey: row.nick_key, until, by: row.by_nick, at: Number(row.banned_at) };
  if (row.reason !== null) ban.reason = row.reason;
  return ban;
}
