import type { AuditRecord } from './audit.js';

/**
 * What one purge batch may delete. `room`: that room's messages stored before `before` (a room with an override).
 * `rooms without override`: every other room's messages stored before `before` (RETENTION_DAYS); the overrides are
 * read from the table in the same statement, so an override set meanwhile is never purged by the default.
 */
export type PurgeScope = { room: string; before: number } | { roomsWithoutOverride: true; before: number };

/**
 * Retention overrides per room (`room_retention`), and the purge of messages past their age. A purged message is
 * removed, not marked: history pages simply start later, and unread counts (computed from messages) drop with it.
 */
export interface RetentionStore {
  /** Every room with an override, and its days (0 = kept forever). */
  overrides(): Promise<Map<string, number>>;
  /**
   * Sets the room's override (`null` removes it: the room follows RETENTION_DAYS again) and stores `audit` in the
   * same transaction.
   */
  setOverride(room: string, days: number | null, audit: AuditRecord): Promise<void>;
  /**
   * Deletes at most `limit` messages of the scope, oldest first, in one short transaction, and says how many;
   * fewer than `limit` means the scope is done.
   */
  purge(scope: PurgeScope, limit: number): Promise<number>;
  close(): Promise<void>;
}

/** The audit target of a retention change: the days in decimal digits, or `default` when the override is removed. */
export const retentionTarget = (days: number | null): string => (days === null ? 'default' : String(days));
