import type { Message } from '../protocol/events.js';

export interface NewMessage {
  room: string;
  nick: string;
  text: string;
  clientId?: string;
}

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
  latest(room: string, limit: number): Promise<Message[]>;
  before(room: string, id: number, limit: number): Promise<Message[]>;
  after(room: string, id: number, limit: number): Promise<Message[]>;
  /** The message with this id in this room, deleted or not; undefined when there is none. */
  find(room: string, id: number): Promise<Message | undefined>;
  /** Replaces the text of a message that is not deleted; resolves false when there is no such message. */
  edit(room: string, id: number, text: string, editedAt: number): Promise<boolean>;
  /** Marks a message deleted and removes its text (and clientId); false when there is no such message. */
  remove(room: string, id: number): Promise<boolean>;
  /** Quick (never waits for a lock or the network): reads may still work while this says not ok. */
  health(): StorageHealth;
  close(): Promise<void>;
}
