import type { AuditAction, AuditActor, AuditEntry } from '../protocol/admin.js';

export type { AuditAction, AuditActor, AuditEntry } from '../protocol/admin.js';

/**
 * What a moderation action records. It is handed to the store that makes the change (`BanStore.ban`/`unban`,
 * `HistoryStore.remove`), which writes it in the same transaction as the change, and only when something changed;
 * the store adds `id` and `at`.
 */
export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

/**
 * The audit log: append-only (nothing here updates or deletes a row), written by the stores that make the changes
 * it records. This is its reading side, for the admin API.
 */
export interface AuditLog {
  /** Newest first: at most `limit` entries, of ids below `before` when given. */
  entries(limit: number, before?: number): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

/** A row as both SQL stores keep it (`audit_log`); PostgreSQL returns bigints as strings. */
export interface AuditRow {
  id: number | string;
  at: number | string;
  /** `moderator` (with nick and sub) or `admin-api`. */
  actor_kind: string;
  actor_nick: string | null;
  actor_sub: string | null;
  action: string;
  room: string | null;
  target: string;
  reason: string | null;
}

/** The columns of a new row, in the order of AUDIT_COLUMNS. */
export const AUDIT_COLUMNS = ['at', 'actor_kind', 'actor_nick', 'actor_sub', 'action', 'room', 'target', 'reason'];

export function auditValues(record: AuditRecord, at: number): (string | number | null)[] {
  const { actor } = record;
  const [kind, nick, sub] = actor === 'admin-api' ? [actor, null, null] : ['moderator', actor.nick, actor.sub];
  return [at, kind, nick, sub, record.action, record.room, record.target, record.reason];
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  // A kind other than `moderator` is the actor's name itself (`admin-api`; a later release may add others).
  const actor =
    row.actor_kind === 'moderator'
      ? { nick: row.actor_nick ?? '', sub: row.actor_sub ?? '' }
      : (row.actor_kind as AuditActor);
  return {
    id: Number(row.id),
    at: Number(row.at),
    actor,
    action: row.action as AuditAction,
    room: row.room,
    target: row.target,
    reason: row.reason,
  };
}
