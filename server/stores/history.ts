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
  close(): Promise<void>;
}
