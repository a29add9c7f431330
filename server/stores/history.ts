import type { Message } from '../protocol/events.js';
import type { AuditRecord } from './audit.js';

export interface NewMessage {
  room: string;
  nick: string;
  /**
   * Who sent it, for the right to edit and delete, which follows the person and never the nick: `sub:<sub>` for a
   * signed user, `guest:<hash of the session token>` for a guest (see chat/author.ts). Never sent to clients.
   */
  author: string;
  text: string;
  clientId?: string;
}

/** A stored message and its author (undefined for rows stored before authors were recorded). */
export interface FoundMessage {
  message: Message;
  author: string | undefined;
}

/** Authors of signed users start with this; their messages carry `signed: true`. */
export const SIGNED_AUTHOR_PREFIX = 'sub:';

export interface AppendResult {
  message: Message;
  /** False when this nick already sent this clientId: `message` is the stored original. */
  isNew: boolean;
}

/**
 * Whether sends can be stored now, for /healthz. `problem` names why not: `locked` (another process holds the
 * write lock), `gone` (the database file was removed), `full` (disk or database full), `failing` (the last write
 * failed for another reason: an I/O error, a read-only file, PostgreSQL unreachable).
 */
export interface StorageHealth {
  ok: boolean;
  store: 'sqlite' | 'postgres';
  problem?: 'locked' | 'gone' | 'full' | 'failing';
  /** The engine's error code of the last failed write, e.g. `SQLITE_FULL`. */
  error?: string;
}

/**
 * Durable message history. `append` resolves only once the message is committed, so an ack sent after
 * it means "stored". Pages come back oldest first.
 */
export interface HistoryStore {
  append(input: NewMessage): Promise<AppendResult>;
  /**
   * Pages of a room. `since` (ms since the epoch, default 0) is the retention cutoff: messages stored before it are
   * never returned, even before the sweep has purged them (chat/retention.ts computes it per room).
   */
  latest(room: string, limit: number, since?: number): Promise<Message[]>;
  before(room: string, id: number, limit: number, since?: number): Promise<Message[]>;
  after(room: string, id: number, limit: number, since?: number): Promise<Message[]>;
  /** The message with this id in this room, deleted or not, with its author; undefined when there is none. */
  find(room: string, id: number): Promise<FoundMessage | undefined>;
  /** Replaces the text of a message that is not deleted; resolves false when there is no such message. */
  edit(room: string, id: number, text: string, editedAt: number): Promise<boolean>;
  /**
   * Marks a message deleted and removes its text; false when there is no such message, or it was deleted already.
   * `audit` (a moderator's delete) is stored in the same transaction, and only when this call deleted it.
   */
  remove(room: string, id: number, audit?: AuditRecord): Promise<boolean>;
  /** Quick (never waits for a lock or the network): reads may still work while this says not ok. */
  health(): StorageHealth;
  close(): Promise<void>;
}
