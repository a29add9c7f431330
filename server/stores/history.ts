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
  close(): Promise<void>;
}
